"""``speechtag split``: show the units a file splits into, and what the cleaner removed."""

from __future__ import annotations

import argparse
import json
import sys

from toolkit.speech import load_speeches


def run(args: argparse.Namespace) -> int:
    for path in args.files:
        for speech in load_speeches(path, args.doc_id):
            for warning in speech.warnings:
                print(f"speechtag: warning: {warning}", file=sys.stderr)
            if args.show_removed:
                _print_removed(speech, args.json)
            for unit in speech.units:
                if args.json:
                    print(json.dumps(unit.to_dict(), ensure_ascii=False))
                else:
                    marker = f"H{unit.heading_level} " if unit.heading_level else "   "
                    print(f"{unit.doc_id}\t{unit.sent_id}\t{marker}{unit.text}")
    return 0


def _print_removed(speech, as_json: bool) -> None:
    for removal in speech.removed:
        if as_json:
            record = {"removed": removal.text, "line": removal.line, "reason": removal.reason,
                      "doc_id": speech.doc_id}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"- {speech.source}:{removal.line} [{removal.reason}] {removal.text[:120]}")
