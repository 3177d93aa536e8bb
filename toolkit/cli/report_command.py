"""``speechtag report``: tagged speeches as one self-contained HTML file, opened from disk."""

from __future__ import annotations

import argparse
import sys

from toolkit.bulk import expand_inputs, failure
from toolkit.cli.common import workspace
from toolkit.errors import InputError
from toolkit.meta import read_meta_csv
from toolkit.outputs import claimed, write_text
from toolkit.overview import check_by, overview
from toolkit.report import build_html, tag_source
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    meta = read_meta_csv(args.meta) if args.meta is not None else None
    check_by(args.by, meta)
    sources = expand_inputs(args.inputs)
    with claimed(args.output, [*sources, *([args.meta] if args.meta else [])]) as out:
        return _report(args, sources, meta, out)


def _report(args: argparse.Namespace, sources: list[str], meta, out) -> int:
    tagger = Tagger.load(args.model, workspace(args).root)
    speeches, failed = [], 0
    for source in sources:
        try:
            tagged, warnings = tag_source(tagger, source)
        except Exception as exc:  # reported per file, see failure()
            failed += 1
            print(f"speechtag: error: {failure(source, exc)} (skipped)", file=sys.stderr)
            continue
        for warning in warnings:
            print(f"speechtag: warning: {warning}", file=sys.stderr)
        speeches.extend(tagged)
    if not speeches:
        raise InputError(", ".join(args.inputs), "at least one readable speech",
                         "none", "Fix the errors above.")
    # One speech keeps the plain report; several open with the overview.
    opening = overview(speeches, args.by, meta) if len(speeches) > 1 else None
    write_text(out, build_html(speeches, tagger.name, args.title, opening))
    units = sum(len(speech["units"]) for speech in speeches)
    print(f"speechtag: wrote {args.output}: {len(speeches)} speeches, {units} units from "
          f"{len(sources) - failed} of {len(sources)} inputs"
          + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return 1 if failed else 0
