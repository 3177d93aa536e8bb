"""Shared fixtures: paths to the real speeches and corpus, and a model trained once."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from toolkit.paths import CORPUS_DIR, DATASETS_DIR, ROOT

SPEECHES_DIR = ROOT.parent / "shared" / "speeches"
# The five health speeches: small enough to train on inside a test.
HEALTH_DIR = DATASETS_DIR / "health-speeches"
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def speech_file(prefix: str) -> Path:
    if not SPEECHES_DIR.is_dir():
        pytest.skip("../shared/speeches is not present")
    return next(SPEECHES_DIR.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def labelled():
    from toolkit.dataset import dataset_files, read_units

    return read_units(dataset_files(HEALTH_DIR))


@pytest.fixture(scope="session")
def default_tagger():
    from toolkit.tag import Tagger

    return Tagger.load()


def free_port() -> int:
    """A loopback port nobody listens on, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(token: str | None = None, *extra: str, env: dict | None = None):
    """A real `speechtag serve` on a free loopback port; yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "speechtag"), "serve", "--port", str(port),
               *extra, *(["--token", token] if token else [])]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, \
                    "server did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    """Poll ``url`` until the server started as ``process`` answers it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.5)
