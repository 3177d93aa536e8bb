"""`speechtag profile` of the whole ../shared/corpus from raw files, against tagging alone.

    python benchmarks/profile_corpus.py [CORPUS_DIR] [--runs N]

Runs, in turn and N times each (fresh processes, model load included, --jobs 2),
`speechtag profile CORPUS -o table.csv` and `speechtag tag CORPUS -o tagged.jsonl`, and
prints the median wall time and peak memory of each. Then it times the aggregation alone,
in this process, over the rows `tag` wrote: summing them per document (`unit_counts`, the
part that runs beside the tagging) and building the tables by document and by year with
the corpus INDEX.csv (`profile_counts`). Reading the JSONL is timed apart: `profile` of
raw files never does it, its workers send back sums.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bulk_tag import measure

from toolkit.paths import CORPUS_DIR
from toolkit.profile import profile_counts, read_meta_csv, unit_counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS_DIR)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus} is absent; nothing to measure")
        return 0
    files = list(args.corpus.rglob("*.txt"))
    toolkit = [sys.executable, "-m", "toolkit", "-q"]
    with tempfile.TemporaryDirectory() as scratch:
        table, tagged = Path(scratch) / "table.csv", Path(scratch) / "tagged.jsonl"
        runs: dict[str, list] = {"profile": [], "tag": []}
        for _ in range(args.runs):
            runs["profile"].append(measure([*toolkit, "profile", str(args.corpus), "--jobs", "2",
                                            "-o", str(table)]))
            runs["tag"].append(measure([*toolkit, "tag", str(args.corpus), "--jobs", "2",
                                        "-o", str(tagged)]))
        started = time.perf_counter()
        with open(tagged, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        reading = time.perf_counter() - started
    meta = read_meta_csv(args.corpus / "gov-work-reports" / "INDEX.csv")
    summing, by_doc = timed(lambda: unit_counts(rows, "doc"))
    tabling, docs = timed(lambda: profile_counts(by_doc, "doc"))
    summing_year, by_year = timed(lambda: unit_counts(rows, "year"))
    tabling_year, years = timed(lambda: profile_counts(by_year, "year", meta))
    megabytes = sum(p.stat().st_size for p in files) / 2**20
    print(f"corpus: {len(files)} files, {megabytes:.1f} MB, {len(rows)} units; "
          f"medians of {args.runs} runs, --jobs 2")
    median = {name: [statistics.median(column) for column in zip(*figures, strict=True)]
              for name, figures in runs.items()}
    for name, (seconds, peak, largest) in median.items():
        print(f"{name}: {seconds:.2f} s wall, peak memory {peak:.0f} MB (PSS summed over the "
              f"process tree; largest single process {largest:.0f} MB)")
    tag_seconds = median["tag"][0]
    print(f"profile / tag wall: {median['profile'][0] / tag_seconds:.3f}")
    for what, seconds, groups in (("by doc", summing + tabling, len(docs)),
                                  ("by year with INDEX.csv", summing_year + tabling_year,
                                   len(years))):
        print(f"aggregation alone, {what} ({groups} groups): {seconds:.3f} s = "
              f"{100 * seconds / tag_seconds:.2f} % of tagging")
    print(f"(reading the tagged JSONL, which profile of raw files does not do: {reading:.2f} s)")
    return 0


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


if __name__ == "__main__":
    sys.exit(main())
