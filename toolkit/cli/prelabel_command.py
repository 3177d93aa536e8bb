"""``speechtag prelabel``: tasks for Label Studio (or doccano) with the model's predictions."""

from __future__ import annotations

import argparse
import json
import sys

from toolkit.annotation import doccano_lines, label_studio_config, tasks_for
from toolkit.bulk import expand_inputs
from toolkit.cli.common import readable_speeches, workspace
from toolkit.outputs import claimed, write_text
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    if args.ls_config:
        print(label_studio_config(), end="")
        return 0
    sources = expand_inputs(args.inputs or ["-"])
    with claimed(args.output, sources) as out:
        return _prelabel(args, sources, out)


def _prelabel(args: argparse.Namespace, sources: list[str], out) -> int:
    tagger = Tagger.load(args.model, workspace(args).root)
    speeches, skipped = readable_speeches(sources)
    tasks = tasks_for(speeches, tagger.tag_speeches(speeches, explain=False), tagger.name)
    if args.format == "doccano":
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n"
                       for line in doccano_lines(tasks))
    else:
        text = json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
    if out:
        write_text(out, text)
        print(f"speechtag: wrote {len(tasks)} tasks to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if skipped else 0
