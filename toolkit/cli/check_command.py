"""``speechtag check-labels``: labels the model doubts most, out of sample, with context."""

from __future__ import annotations

import argparse
import csv
import sys

from toolkit.active import doubtful_labels
from toolkit.cli.common import experiment_and_data
from toolkit.errors import InputError
from toolkit.files import check_output


def run(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise InputError("--top", "a number of rows ≥ 0", str(args.top), "Use --top 20, say.")
    if args.csv is not None:
        check_output(args.csv)
    _, experiment, data = experiment_and_data(args)
    rows = doubtful_labels(experiment, data)
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as handle:
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
