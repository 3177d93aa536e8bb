"""``speechtag suggest``: the unlabelled units most worth labelling next."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from toolkit.active import suggest
from toolkit.annotation import tasks_for
from toolkit.bulk import speeches_in
from toolkit.tag import Tagger


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "suggest", help="rank unlabelled units by the value of labelling them",
        description="Least-margin uncertainty, spread over speeches and sections.",
    )
    parser.add_argument("--pool", nargs="+", required=True, metavar="INPUT",
                        help="unlabelled speeches or .jsonl units (files, dirs, globs)")
    parser.add_argument("-n", type=int, default=50, help="how many units (default 50)")
    parser.add_argument("-o", "--output", help="write them as Label Studio tasks (JSON)")
    parser.add_argument("--spread", type=float, default=0.5,
                        help="value kept per unit already chosen from the same speech or "
                             "section (default 0.5; 1 = pure uncertainty)")
    parser.add_argument("--model", help="model directory or MLflow URI (default: bundled)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    tagger = Tagger.load(args.model)
    speeches = speeches_in(args.pool)
    tagged = tagger.tag_speeches(speeches, explain=False)
    probabilities = [np.array([[unit.probabilities[label] for label in tagger.labels]
                               for unit in speech]) for speech in tagged]
    chosen = suggest(speeches, probabilities, args.n, args.spread)
    if args.output:
        tasks = tasks_for(speeches, tagged, tagger.name)
        offsets = [0]
        for speech in speeches:
            offsets.append(offsets[-1] + len(speech))
        picked = [tasks[offsets[s] + u] for s, u, _, _ in chosen]
        with open(args.output, "w", encoding="utf-8") as handle:
            json.dump(picked, handle, ensure_ascii=False, indent=1)
        print(f"speechtag: wrote {len(picked)} tasks to {args.output}", file=sys.stderr)
        return 0
    print("priority\tuncertainty\tpredicted\tdoc_id\tsent_id\ttext")
    for s, u, uncertainty, priority in chosen:
        unit = tagged[s][u]
        print(f"{priority:.3f}\t{uncertainty:.3f}\t{unit.label}\t{unit.doc_id}\t"
              f"{unit.sent_id}\t{unit.text}")
    return 0
