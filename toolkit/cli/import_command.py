"""``speechtag import-labels``: annotation exports back into the dataset format."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from toolkit.annotation import labelled_units
from toolkit.dataset import write_units


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import-labels", help="read Label Studio / doccano exports into a dataset file",
        description="Reads Label Studio JSON, JSON_MIN and CSV exports and doccano JSONL of "
                    "tasks made by `speechtag prelabel`; validates labels and units.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="export files")
    parser.add_argument("-o", "--output", required=True, help="dataset file (.jsonl) to write")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    parser.add_argument("--allow-unlabelled", action="store_true",
                        help="leave out tasks nobody labelled instead of failing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rows = labelled_units([Path(f) for f in args.files], args.allow_unlabelled)
    write_units(rows, Path(args.output), overwrite=args.force)
    counts = Counter(row["label"] for row in rows)
    speeches = len({row["doc_id"] for row in rows})
    print(f"speechtag: wrote {len(rows)} units of {speeches} speeches to {args.output} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})", file=sys.stderr)
    return 0
