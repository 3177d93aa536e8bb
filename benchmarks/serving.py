"""Start `speechtag serve` on a free loopback port for a benchmark, and stop it after."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def running_server() -> Iterator[int]:
    """The port of a fresh `speechtag serve`, up and listening."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "speechtag"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("speechtag serve did not start") from None
                time.sleep(0.2)
        yield port
        if server.poll() is not None:
            raise SystemExit("speechtag serve went down during the benchmark")
    finally:
        server.terminate()
        server.wait()
