"""``speechtag import-labels``: annotation exports back into the dataset format."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from toolkit.annotation import labelled_units
from toolkit.dataset import write_units
from toolkit.outputs import claimed


def run(args: argparse.Namespace) -> int:
    with claimed(args.output, args.files, replace=args.force, kind="dataset") as out:
        rows = labelled_units([Path(f) for f in args.files], args.allow_unlabelled)
        write_units(rows, out)
    counts = Counter(row["label"] for row in rows)
    speeches = len({row["doc_id"] for row in rows})
    print(f"speechtag: wrote {len(rows)} units of {speeches} speeches to {args.output} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})", file=sys.stderr)
    return 0
