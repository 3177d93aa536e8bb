"""Load on `speechtag serve` over loopback, then a flood of bad requests beside good ones.

    python benchmarks/http_load.py [--requests 10000] [--concurrency 16]

Phase 1: N one-sentence requests from C threads on kept-alive connections; prints
p50/p99 and errors. Phase 2: while the same clients keep sending good requests,
other threads send oversized bodies, malformed JSON and stalled (slow) bodies; the
server must stay up and answer every good request. Traffic goes to 127.0.0.1 only,
in bounded loops.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from serving import running_server

GOOD = json.dumps({"units": [{"text": "要加快推进县医院扩建项目建设。"}]},
                  ensure_ascii=False).encode()
HEADERS = {"Content-Type": "application/json"}


def good_client(port: int, count: int) -> tuple[list[float], int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings, errors = [], 0
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection.request("POST", "/v1/tag", GOOD, HEADERS)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        timings.append(time.perf_counter() - started)
    return timings, errors


def run_good(port: int, requests: int, concurrency: int) -> tuple[list[float], int]:
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: good_client(port, requests // concurrency),
                                range(concurrency)))
    return sorted(t for r in results for t in r[0]), sum(r[1] for r in results)


def bad_request(port: int, kind: str) -> int:
    """Send one hostile request; return the status, or 0 if the server closed on us."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if kind == "oversized":
            connection.request("POST", "/v1/tag", b"{" + b" " * 3_000_000 + b"}", HEADERS)
        elif kind == "malformed":
            connection.request("POST", "/v1/tag", b'{"units": [{"text": ', HEADERS)
        else:  # slow: promise a body, send a little, then stall
            connection.putrequest("POST", "/v1/tag")
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", "1000")
            connection.endheaders(b'{"text": "')
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def health(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/v1/health")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with running_server() as port:
        started = time.perf_counter()
        timings, errors = run_good(port, args.requests, args.concurrency)
        seconds = time.perf_counter() - started
        print(f"phase 1: {len(timings)} requests, concurrency {args.concurrency}: "
              f"p50 {timings[len(timings) // 2] * 1000:.1f} ms, "
              f"p99 {timings[int(len(timings) * 0.99)] * 1000:.1f} ms, "
              f"{len(timings) / seconds:.0f} requests/s, errors {errors}")

        kinds = ["oversized"] * 20 + ["malformed"] * 200 + ["slow"] * 50
        statuses: dict[str, list[int]] = {}
        lock = threading.Lock()

        def hostile(kind: str) -> None:
            status = bad_request(port, kind)
            with lock:
                statuses.setdefault(kind, []).append(status)

        with ThreadPoolExecutor(64) as flood:
            futures = [flood.submit(hostile, kind) for kind in kinds]
            timings, errors = run_good(port, 2_000, args.concurrency)
            for future in futures:
                future.result()
        alive = health(port)
        print(f"phase 2: {len(timings)} good requests beside {len(kinds)} hostile ones: "
              f"p50 {timings[len(timings) // 2] * 1000:.1f} ms, "
              f"p99 {timings[int(len(timings) * 0.99)] * 1000:.1f} ms, errors {errors}; "
              f"server {'up' if alive else 'DOWN'}")
        for kind, codes in sorted(statuses.items()):
            counts = {code: codes.count(code) for code in sorted(set(codes))}
            print(f"  {kind}: {len(codes)} requests, statuses {counts} (0 = connection closed)")
        return 0 if alive and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
