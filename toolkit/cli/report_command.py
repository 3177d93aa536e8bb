"""``speechtag report``: tagged speeches as one self-contained HTML file, opened from disk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.atomic import write_atomically
from toolkit.bulk import expand_inputs
from toolkit.cli.common import workspace
from toolkit.errors import InputError, SpeechtagError
from toolkit.meta import read_meta_csv
from toolkit.overview import check_by, overview
from toolkit.report import build_html, tag_source
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    meta = read_meta_csv(args.meta) if args.meta else None
    check_by(args.by, meta)
    sources = expand_inputs(args.inputs)
    if Path(args.output).resolve() in {Path(path).resolve() for path in
                                       [*sources, args.meta] if path and path != "-"}:
        raise InputError(args.output, "an output file that is not an input", "one of the inputs",
                         "Write the report to another file.")
    tagger = Tagger.load(args.model, workspace(args).root)
    speeches, failed = [], 0
    for source in sources:
        try:
            tagged, warnings = tag_source(tagger, source)
        except SpeechtagError as exc:
            failed += 1
            print(f"speechtag: error: {exc} (skipped)", file=sys.stderr)
            continue
        for warning in warnings:
            print(f"speechtag: warning: {warning}", file=sys.stderr)
        speeches.extend(tagged)
    if not speeches:
        raise InputError(", ".join(args.inputs), "at least one readable speech",
                         "none", "Fix the errors above.")
    # One speech keeps the plain report; several open with the overview.
    opening = overview(speeches, args.by, meta) if len(speeches) > 1 else None
    write_atomically(args.output, build_html(speeches, tagger.name, args.title, opening))
    units = sum(len(speech["units"]) for speech in speeches)
    print(f"speechtag: wrote {args.output}: {len(speeches)} speeches, {units} units from "
          f"{len(sources) - failed} of {len(sources)} inputs"
          + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return 1 if failed else 0
