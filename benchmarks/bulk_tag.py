"""Bulk tagging throughput on ../shared/corpus against the jieba floor.

    python benchmarks/bulk_tag.py [CORPUS_DIR]

Runs `speechtag tag CORPUS -o OUT.jsonl` with --jobs 1 and --jobs 2 as a user would
(a fresh process, model load included), samples the resident memory of the whole
process tree, then times jieba alone segmenting the same units on one core (dictionary
load excluded) — the floor for any jieba-based tagger — and prints the ratio.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from toolkit.paths import CORPUS_DIR


def run_tag(corpus: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """Wall seconds and peak memory (MB) of one tag run."""
    return measure([sys.executable, "-m", "toolkit", "-q", "tag", str(corpus), "--jobs",
                    str(jobs), "-o", str(out)])


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak memory and largest single process (MB) of one command.

    Memory is the proportional set size summed over the process tree: forked
    workers share the parent's pages, which plain RSS would count once per process.
    """
    started = time.perf_counter()
    process = psutil.Popen(command, stderr=subprocess.DEVNULL)
    peak = largest = 0
    while process.poll() is None:
        try:
            tree = [p.memory_full_info() for p in (process, *process.children(recursive=True))]
            peak = max(peak, sum(info.pss for info in tree))
            largest = max(largest, *(info.rss for info in tree))
        except psutil.Error:
            pass
        time.sleep(0.25)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{' '.join(command[2:5])} exited {process.returncode}")
    return seconds, peak / 2**20, largest / 2**20


def jieba_seconds(texts: list[str]) -> float:
    import jieba

    jieba.initialize()
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started


def main(corpus: Path) -> int:
    if not corpus.is_dir():
        print(f"{corpus} is absent; nothing to measure")
        return 0
    megabytes = sum(p.stat().st_size for p in corpus.rglob("*.txt")) / 2**20
    with tempfile.TemporaryDirectory() as scratch:
        figures = {}
        for jobs in (1, 2):
            out = Path(scratch) / f"jobs{jobs}.jsonl"
            figures[jobs] = run_tag(corpus, out, jobs)
        with open(Path(scratch) / "jobs1.jsonl", encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle]
    floor = jieba_seconds(texts)
    print(f"corpus: {megabytes:.1f} MB, {len(texts)} units")
    for jobs, (seconds, peak, largest) in figures.items():
        print(f"--jobs {jobs}: {seconds:.2f} s wall, {len(texts) / seconds:.0f} units/s, "
              f"{megabytes / seconds:.2f} MB/s, peak memory {peak:.0f} MB (PSS summed over "
              f"the process tree; largest single-process RSS {largest:.0f} MB)")
    print(f"jieba alone, one core, same units: {floor:.2f} s ({len(texts) / floor:.0f} units/s)")
    print(f"ratio --jobs 2 / jieba alone: {figures[2][0] / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS_DIR))
