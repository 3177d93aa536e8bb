"""``speechtag tag``: tag files, directories, globs or stdin in bulk; atomic, resumable output."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from toolkit.bulk import FORMATS, Journal, expand_inputs, format_result, tag_all
from toolkit.cli.common import workspace
from toolkit.errors import InputError
from toolkit.files import check_output
from toolkit.limits import MAX_JOBS
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    output_format = args.format or _format_of(args.output)
    if output_format == "parquet" and not args.output:
        raise InputError("--format parquet", "an output file (-o OUT.parquet)", "stdout",
                         "Add -o OUT.parquet.")
    if not 1 <= args.jobs <= MAX_JOBS:
        raise InputError("--jobs", f"a number from 1 to {MAX_JOBS}", str(args.jobs),
                         "Use --jobs 1, or the number of cores.")
    if args.output is not None:
        check_output(args.output)
    sources = expand_inputs(args.inputs)
    tagger = Tagger.load(args.model, workspace(args).root)
    journal = Journal(Path(args.output), args.resume) if args.output else None
    todo = [s for s in sources if not journal or s not in journal.done]
    progress = Progress(len(sources), len(sources) - len(todo))
    failed = []
    header = True
    for result in tag_all(tagger, todo, args.jobs):
        for warning in result.warnings:
            progress.clear()
            print(f"speechtag: warning: {warning}", file=sys.stderr)
        if result.error:
            failed.append(result)
            progress.clear()
            print(f"speechtag: error: {result.error} (skipped)", file=sys.stderr)
        elif journal:
            journal.write(result)
        else:
            sys.stdout.write(format_result(result, output_format, header))
            sys.stdout.flush()
            header = False
        progress.update(result.units)
    progress.clear()
    if journal:
        journal.finish(output_format)
    done = len(sources) - len(failed)
    if args.quiet:
        return 1 if failed else 0
    print(f"speechtag: tagged {progress.units} units from {done} of {len(sources)} inputs "
          f"in {progress.elapsed():.1f} s ({progress.rate():.0f} units/s)"
          + (f"; {len(failed)} failed" if failed else "")
          + (f"; wrote {args.output}" if args.output else ""), file=sys.stderr)
    return 1 if failed else 0


def _format_of(output: str | None) -> str:
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "jsonl"


class Progress:
    """files, units, units/s and ETA on one terminal line; silent when stderr is a pipe."""

    def __init__(self, total: int, skipped: int) -> None:
        self.total = total
        self.files = skipped
        self.units = 0
        self.started = time.monotonic()
        self.shown = sys.stderr.isatty()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> float:
        return self.units / max(self.elapsed(), 1e-9)

    def update(self, units: int) -> None:
        self.files += 1
        self.units += units
        if self.shown:
            left = self.total - self.files
            eta = self.elapsed() / max(self.files, 1) * left
            sys.stderr.write(f"\r{self.files}/{self.total} files  {self.units} units  "
                             f"{self.rate():.0f} units/s  ETA {eta:.0f} s   ")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 70 + "\r")
