"""``speechtag evaluate``: score a model on labelled units taken exactly as given."""

from __future__ import annotations

import argparse
import json

from toolkit.cli.common import shown, warn_if_trained_on, workspace
from toolkit.dataset import dataset_files, read_units
from toolkit.evaluate import compact, format_report, format_table, score
from toolkit.holdout import breakdowns
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    here = workspace(args)
    source = args.data or here.labelled_data()
    data = read_units(dataset_files(source))
    tagger = Tagger.load(args.model, here.root)
    warn_if_trained_on(tagger, data.files, "the data")
    tagged = tagger.tag_speeches(data.speeches, explain=False)
    truth = [label for labels in data.labels for label in labels]
    predicted = [unit.label for speech in tagged for unit in speech]
    result = score(truth, predicted)
    tables = breakdowns(data, [[unit.label for unit in speech] for speech in tagged])
    result.update({f"by_{key}": {name: compact(row) for name, row in table.items()}
                   for key, table in tables.items()})
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"model: {tagger.source}   data: {shown(source)}")
        print(format_report(result))
        for key, table in tables.items():
            print(f"\n{format_table(f'by {key}', table)}")
    return 0

