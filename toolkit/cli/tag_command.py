"""``speechtag tag``: tag files, directories, globs or stdin in bulk; atomic, resumable output."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from toolkit.bulk import FORMATS, converter, expand_inputs, format_result, tag_all
from toolkit.cli.common import workspace
from toolkit.errors import InputError
from toolkit.journal import Journal, run_record
from toolkit.limits import MAX_JOBS
from toolkit.outputs import claimed
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    output_format = args.format or _format_of(args.output)
    if output_format == "parquet" and not args.output:
        raise InputError("--format parquet", "an output file (-o OUT.parquet)", "stdout",
                         "Add -o OUT.parquet.")
    if not 1 <= args.jobs <= MAX_JOBS:
        raise InputError("--jobs", f"a number from 1 to {MAX_JOBS}", str(args.jobs),
                         "Use --jobs 1, or the number of cores.")
    sources = expand_inputs(args.inputs)
    if args.output is None:
        return _tag(args, sources, output_format, None)
    with claimed(args.output, sources, replace=args.force) as out:
        return _tag(args, sources, output_format, out)


def _tag(args: argparse.Namespace, sources: list[str], output_format: str,
         out: Path | None) -> int:
    tagger = Tagger.load(args.model, workspace(args).root)
    journal = None
    if out:
        journal = Journal(out, args.resume, run_record(tagger.meta.get("model_sha256"), sources))
        _say_resumed(args, journal, len(sources))
    todo = [s for s in sources if not journal or s not in journal.done]
    progress = Progress(len(sources), len(sources) - len(todo))
    failed = []
    header = True
    try:
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
    except KeyboardInterrupt:
        progress.clear()
        if journal:
            journal.close()
            print(f"speechtag: {len(journal.done)} of {len(sources)} inputs are saved in "
                  f"{journal.partial}; to continue, run the same command with --resume",
                  file=sys.stderr)
        raise
    progress.clear()
    wrote = ""
    if journal and journal.done:
        journal.finish(converter(output_format))
        wrote = f"; wrote {out}"
    elif journal:
        # Every input failed: an existing OUT stays as it was rather than becoming empty.
        journal.discard()
        wrote = "; wrote nothing" + (f", left {out} as it was" if out.exists() else "")
    done = len(sources) - len(failed)
    if args.quiet:
        return 1 if failed else 0
    print(f"speechtag: tagged {progress.units} units from {done} of {len(sources)} inputs "
          f"in {progress.elapsed():.1f} s ({progress.rate():.0f} units/s)"
          + (f"; {len(failed)} failed" if failed else "") + wrote, file=sys.stderr)
    return 1 if failed else 0


def _say_resumed(args: argparse.Namespace, journal: Journal, total: int) -> None:
    if args.quiet:
        return
    if journal.resumed:
        print(f"speechtag: resumed {journal.partial}: skipped {len(journal.done)} of {total} "
              "inputs tagged before", file=sys.stderr)
    elif args.resume:
        print(f"speechtag: no interrupted run of {args.output} to resume; tagging from the "
              "start", file=sys.stderr)


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
