"""``speechtag weak-label``: silver labels from labelling functions, with their statistics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.cli.common import readable_speeches
from toolkit.dataset import write_units
from toolkit.files import check_output
from toolkit.weak import weak_labels


def run(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_output(args.output)
    speeches, skipped = readable_speeches(args.inputs)
    labels, stats = weak_labels(speeches)
    print(f"units {stats['units']}, labelled {stats['labelled']} "
          f"({stats['labelled'] / max(stats['units'], 1):.1%}), overlap {stats['overlap']:.1%}, "
          f"conflict {stats['conflict']:.1%}")
    for name, coverage in stats["coverage"].items():
        print(f"  {name:<22} coverage {coverage:.1%}")
    if args.output:
        rows = [{**unit, "label": label} for speech, speech_labels in zip(speeches, labels,
                                                                          strict=True)
                for unit, label in zip(speech, speech_labels, strict=True) if label]
        write_units(rows, Path(args.output), overwrite=args.force)
        print(f"speechtag: wrote {len(rows)} silver units to {args.output}", file=sys.stderr)
    return 1 if skipped else 0
