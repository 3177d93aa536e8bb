"""``speechtag check-labels``: labels the model doubts most, out of sample, with context."""

from __future__ import annotations

import argparse
import csv
import sys

from toolkit.active import doubtful_labels
from toolkit.config import load_experiment
from toolkit.dataset import dataset_files, read_units
from toolkit.paths import DATASETS_DIR, DEFAULT_EXPERIMENT


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check-labels", help="rank labelled units whose label the model doubts",
        description="Out-of-sample probabilities by cross-validation grouped by speech; units "
                    "ranked by the probability of their given label, lowest first.",
    )
    parser.add_argument("--data", default=str(DATASETS_DIR), help="labelled JSONL file or dir")
    parser.add_argument("--config", default=str(DEFAULT_EXPERIMENT), help="experiment TOML")
    parser.add_argument("--top", type=int, default=20, help="rows to show (default 20)")
    parser.add_argument("--csv", metavar="OUT", help="write every unit, ranked, as CSV")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rows = doubtful_labels(load_experiment(args.config), read_units(dataset_files(args.data)))
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
