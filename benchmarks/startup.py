"""How fast the command starts, as a user runs it: whole processes, median of 5.

    python benchmarks/startup.py [--runs 5]

`speechtag --help`, `speechtag split` and `speechtag tag` of examples/sample_speech.txt
(18 units), and `speechtag serve` from its start until it has answered one
`POST /v1/tag`. Each run is a fresh process of the `speechtag` next to this Python, run
from the repository root after one unmeasured run (the OS file cache warm, as for a
user's second command); peak resident memory is the process's own (wait4).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEECHTAG = Path(sys.executable).parent / "speechtag"
SAMPLE = "examples/sample_speech.txt"
TARGETS = {"--help": 0.3, "split": 0.6, "tag": 1.2, "serve": 2.0}
# Where `speechtag tag`'s time goes, phase by phase, in one fresh interpreter.
PHASES = """
import time
marks = [time.perf_counter()]
import toolkit.cli.parser, toolkit.speech, toolkit.bulk
marks.append(time.perf_counter())
import toolkit.tag
marks.append(time.perf_counter())
tagger = toolkit.tag.Tagger.load()
marks.append(time.perf_counter())
tagger.tag_speech(open("examples/sample_speech.txt", encoding="utf-8").read())
marks.append(time.perf_counter())
print(*(b - a for a, b in zip(marks, marks[1:])))
"""
PHASE_NAMES = ("CLI, reading and splitting", "numpy and the feature code",
               "Tagger.load(): checksum, numpy arrays", "tagging the speech")


def finish(process: subprocess.Popen) -> float:
    """Reap ``process``; return its peak resident memory in MB."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024


def command(*args: str) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen([str(SPEECHTAG), *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    memory = finish(process)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"speechtag {' '.join(args)} exited with {process.returncode}")
    return seconds, memory


def serve() -> tuple[float, float]:
    """Seconds from starting `speechtag serve` to the first answered POST /v1/tag."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    body = json.dumps({"units": [{"text": "要加快推进县医院扩建项目建设。"}]}).encode()
    started = time.perf_counter()
    process = subprocess.Popen([str(SPEECHTAG), "serve", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("POST", "/v1/tag", body, {"Content-Type": "application/json"})
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("speechtag serve did not start") from None
                time.sleep(0.01)
        seconds = time.perf_counter() - started
    finally:
        process.terminate()
    return seconds, finish(process)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    cases = {"--help": lambda: command("--help"), "split": lambda: command("split", SAMPLE),
             "tag": lambda: command("tag", SAMPLE), "serve": serve}
    print(f"speechtag start-up: whole process, median of {runs} runs after a warm-up, "
          f"from {ROOT}")
    failed = 0
    for name, case in cases.items():
        case()
        results = [case() for _ in range(runs)]
        seconds = statistics.median(s for s, _ in results)
        memory = statistics.median(m for _, m in results)
        verdict = "ok" if seconds <= TARGETS[name] else "OVER"
        failed += verdict != "ok"
        low, high = min(s for s, _ in results), max(s for s, _ in results)
        print(f"  speechtag {name:<7} {seconds:5.2f} s  (min {low:.2f}, max {high:.2f})  "
              f"target ≤ {TARGETS[name]} s {verdict:<4}  peak RSS {memory:.0f} MB")
    phases = [[float(x) for x in subprocess.run(
        [sys.executable, "-c", PHASES], cwd=ROOT, capture_output=True, text=True,
        check=True).stdout.split()] for _ in range(runs)]
    print("  where tag's time goes (median of fresh interpreters):")
    for name, values in zip(PHASE_NAMES, zip(*phases, strict=True), strict=True):
        print(f"    {statistics.median(values):5.2f} s  {name}")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
