"""Cold model load and one-sentence HTTP latency.

    python benchmarks/latency.py [--requests 2000]

Cold load: a fresh interpreter imports toolkit and times `Tagger.load()` (the
import is timed and printed apart). HTTP: `speechtag serve` on a free loopback
port, one sentence per request over a kept-alive connection, one client.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time

from serving import running_server

# Run by a fresh interpreter from any folder: it imports only the installed package.
COLD = """
import time

started = time.perf_counter()
from toolkit.tag import Tagger
imported = time.perf_counter()
tagger = Tagger.load()
loaded = time.perf_counter()
tagger.warm_up()
warm = time.perf_counter()
print(imported - started, loaded - imported, warm - loaded)
"""


def cold_load(runs: int = 5) -> list[tuple[float, float, float]]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True,
                             check=True).stdout.split()
        results.append(tuple(map(float, out)))
    return results


def http_latency(requests: int) -> list[float]:
    with running_server() as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"units": [{"text": "要加快推进县医院扩建项目建设。"}]},
                          ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        timings = []
        for index in range(requests + 50):
            started = time.perf_counter()
            connection.request("POST", "/v1/tag", body, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}")
            if index >= 50:  # the first requests warm up caches
                timings.append(time.perf_counter() - started)
        return timings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    loads = cold_load()
    median = [statistics.median(column) for column in zip(*loads, strict=True)]
    print(f"cold start (median of {len(loads)} fresh processes): import toolkit.tag "
          f"{median[0]:.2f} s, Tagger.load() {median[1]:.2f} s, first-use warm-up "
          f"(n-gram lookup tables) {median[2]:.2f} s")
    timings = sorted(http_latency(args.requests))
    p50 = timings[len(timings) // 2] * 1000
    p99 = timings[int(len(timings) * 0.99)] * 1000
    print(f"HTTP POST /v1/tag, one sentence, {len(timings)} requests: p50 {p50:.2f} ms, "
          f"p99 {p99:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
