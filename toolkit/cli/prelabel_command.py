"""``speechtag prelabel``: tasks for Label Studio (or doccano) with the model's predictions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from toolkit.annotation import doccano_lines, label_studio_config, tasks_for
from toolkit.bulk import speeches_in
from toolkit.tag import Tagger


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "prelabel", help="write annotation tasks pre-labelled by the model",
        description="One task per unit with its context and the model's prediction, as Label "
                    "Studio import JSON (or doccano JSONL with --format doccano).",
    )
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="speeches (.txt/.md/.docx) or .jsonl units, files/dirs/globs")
    parser.add_argument("-o", "--output", help="tasks file (default: stdout)")
    parser.add_argument("--format", choices=("label-studio", "doccano"), default="label-studio")
    parser.add_argument("--model", help="model directory or MLflow URI (default: bundled)")
    parser.add_argument("--ls-config", action="store_true",
                        help="print the matching Label Studio labelling configuration and exit")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.ls_config:
        print(label_studio_config(), end="")
        return 0
    tagger = Tagger.load(args.model)
    speeches = speeches_in(args.inputs or ["-"])
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
    return 0
