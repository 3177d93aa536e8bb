"""``speechtag evaluate``: score a model on labelled units taken exactly as given."""

from __future__ import annotations

import argparse
import json

from toolkit.dataset import dataset_files, read_units
from toolkit.evaluate import format_report, score
from toolkit.tag import Tagger


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "evaluate", help="score a model on labelled JSONL units",
        description="DATA is JSONL with doc_id, sent_id, text, label. Units are never re-split; "
                    "they are grouped into speeches by doc_id in sent_id order.",
    )
    parser.add_argument("data", metavar="DATA", help="labelled .jsonl file or directory")
    parser.add_argument("--model", help="model directory or MLflow URI (default: bundled)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    data = read_units(dataset_files(args.data))
    tagger = Tagger.load(args.model)
    tagged = tagger.tag_speeches(data.speeches, explain=False)
    truth = [label for labels in data.labels for label in labels]
    predicted = [unit.label for speech in tagged for unit in speech]
    result = score(truth, predicted)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"model: {tagger.source}   data: {args.data}")
        print(format_report(result))
    return 0
