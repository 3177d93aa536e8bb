"""``speechtag evaluate``: score a model on labelled units taken exactly as given."""

from __future__ import annotations

import argparse
import json

from toolkit.dataset import dataset_files, read_units
from toolkit.evaluate import compact, format_report, format_table, score
from toolkit.tag import Tagger


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "evaluate", help="score a model on labelled JSONL units",
        description="DATA is JSONL with doc_id, sent_id, text, label. Units are never re-split; "
                    "they are grouped into speeches by doc_id in sent_id order. With a "
                    "documents.csv beside the data (genre, sector, origin per doc_id), or files "
                    "in genre folders, scores are also given per genre, origin and sector.",
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
    tables = _breakdowns(data, tagged)
    result.update({f"by_{key}": {name: compact(row) for name, row in table.items()}
                   for key, table in tables.items()})
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"model: {tagger.source}   data: {args.data}")
        print(format_report(result))
        for key, table in tables.items():
            print(f"\n{format_table(f'by {key}', table)}")
    return 0


def _breakdowns(data, tagged) -> dict[str, dict]:
    from toolkit.holdout import breakdown

    predicted = [[unit.label for unit in speech] for speech in tagged]
    tables = {key: breakdown(data, predicted, key) for key in ("genre", "origin", "sector")}
    return {key: table for key, table in tables.items() if len(table) > 1}
