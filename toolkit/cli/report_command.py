"""``speechtag report``: tagged speeches as one self-contained HTML file, opened from disk."""

from __future__ import annotations

import argparse
import sys

from toolkit.atomic import write_atomically
from toolkit.bulk import expand_inputs
from toolkit.cli.common import workspace
from toolkit.errors import InputError, SpeechtagError
from toolkit.report import build_html, tag_source
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    sources = expand_inputs(args.inputs)
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
    write_atomically(args.output, build_html(speeches, tagger.name, args.title))
    units = sum(len(speech["units"]) for speech in speeches)
    print(f"speechtag: wrote {args.output}: {len(speeches)} speeches, {units} units from "
          f"{len(sources) - failed} of {len(sources)} inputs"
          + (f"; {failed} failed" if failed else ""), file=sys.stderr)
    return 1 if failed else 0
