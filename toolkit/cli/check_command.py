"""``speechtag check-labels``: labels the model doubts most, out of sample, with context."""

from __future__ import annotations

import argparse
import csv
import sys

from toolkit.active import doubtful_labels
from toolkit.cli.common import data_files, experiment_and_data, progress_shown
from toolkit.errors import InputError
from toolkit.outputs import claimed, replacing


def run(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise InputError("--top", "a number of rows ≥ 0", str(args.top), "Use --top 20, say.")
    inputs = [*data_files(args), *([args.config] if args.config else [])]
    with claimed(args.csv, inputs) as out:
        return _check(args, out)


def _check(args: argparse.Namespace, out) -> int:
    _, experiment, data = experiment_and_data(args)
    with progress_shown(args):
        rows = doubtful_labels(experiment, data)
    if out:
        with replacing(out) as staging, open(staging, "w", encoding="utf-8",
                                             newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        print(f"speechtag: wrote {len(rows)} ranked units to {args.csv}", file=sys.stderr)
    for row in rows[: args.top]:
        print(f"{row['self_confidence']:.3f}  {row['doc_id']}#{row['sent_id']}  "
              f"labelled {row['label']}, model says {row['suggested']} ({row['suggested_p']:.2f})")
        print(f"    … {row['previous'][-40:]}")
        print(f"    » {row['text']}")
        print(f"    … {row['next'][:40]}")
    return 0
