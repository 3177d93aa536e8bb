"""``speechtag weak-label``: silver labels from labelling functions, with their statistics."""

from __future__ import annotations

import argparse
import sys

from toolkit.bulk import expand_inputs
from toolkit.cli.common import readable_speeches
from toolkit.dataset import write_units
from toolkit.outputs import claimed
from toolkit.weak import weak_labels


def run(args: argparse.Namespace) -> int:
    sources = expand_inputs(args.inputs)
    with claimed(args.output, sources, replace=args.force, kind="dataset") as out:
        return _weak_label(sources, out)


def _weak_label(sources: list[str], out) -> int:
    speeches, skipped = readable_speeches(sources)
    labels, stats = weak_labels(speeches)
    print(f"units {stats['units']}, labelled {stats['labelled']} "
          f"({stats['labelled'] / max(stats['units'], 1):.1%}), overlap {stats['overlap']:.1%}, "
          f"conflict {stats['conflict']:.1%}")
    for name, coverage in stats["coverage"].items():
        print(f"  {name:<22} coverage {coverage:.1%}")
    if out:
        rows = [{**unit, "label": label} for speech, speech_labels in zip(speeches, labels,
                                                                          strict=True)
                for unit, label in zip(speech, speech_labels, strict=True) if label]
        write_units(rows, out)
        print(f"speechtag: wrote {len(rows)} silver units to {out}", file=sys.stderr)
    return 1 if skipped else 0
