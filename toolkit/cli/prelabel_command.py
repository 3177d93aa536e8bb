"""``speechtag prelabel``: tasks for Label Studio (or doccano) with the model's predictions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from toolkit.annotation import doccano_lines, label_studio_config, tasks_for
from toolkit.cli.common import readable_speeches, workspace
from toolkit.files import check_output
from toolkit.tag import Tagger


def run(args: argparse.Namespace) -> int:
    if args.ls_config:
        print(label_studio_config(), end="")
        return 0
    if args.output is not None:
        check_output(args.output)
    tagger = Tagger.load(args.model, workspace(args).root)
    speeches, skipped = readable_speeches(args.inputs or ["-"])
    tasks = tasks_for(speeches, tagger.tag_speeches(speeches, explain=False), tagger.name)
    if args.format == "doccano":
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n"
                       for line in doccano_lines(tasks))
    else:
        text = json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"speechtag: wrote {len(tasks)} tasks to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if skipped else 0
