"""Every command's arguments, built without importing what the commands run.

``speechtag --help`` and argument errors cost the standard library only; a command's
module (``toolkit.cli.<name>_command``) and what it needs are imported when it runs.
"""

from __future__ import annotations

import argparse
import os

from toolkit.cli.corpus_parser import add_corpus_commands
from toolkit.cli.loop_parser import add_loop_commands
from toolkit.limits import HEADER_TIMEOUT_SECONDS, MAX_BODY_BYTES

TOKEN_ENV = "SPEECHTAG_TOKEN"
# The output formats of `speechtag tag` (toolkit.bulk.FORMATS; a test keeps them equal).
FORMATS = ("jsonl", "csv", "parquet")
BUNDLED = "model directory or MLflow URI (default: the bundled model)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speechtag",
        description="Tag every sentence of a Chinese work-meeting speech with its rhetorical role.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="say less")
    parser.add_argument("--workspace", metavar="DIR",
                        help="the folder with datasets/, experiments/, models/ and mlflow.db "
                             "(default: the current directory)")
    # The same flags after the command; SUPPRESS keeps them from resetting the ones before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS)
    common.add_argument("-q", "--quiet", action="count", default=argparse.SUPPRESS)
    common.add_argument("--workspace", metavar="DIR", default=argparse.SUPPRESS)
    commands = Commands(
        parser.add_subparsers(title="commands", required=True, metavar="COMMAND"), common
    )
    _add_speech_commands(commands)
    add_loop_commands(commands)
    add_corpus_commands(commands)
    return parser


class Commands:
    """Subcommand registry: the common flags, and the module that runs each command."""

    def __init__(self, actions: argparse._SubParsersAction, common: argparse.ArgumentParser):
        self.actions = actions
        self.common = common

    def add(self, name: str, module: str, **kwargs) -> argparse.ArgumentParser:
        parser = self.actions.add_parser(name, parents=[self.common], **kwargs)
        parser.set_defaults(module=module, command=name)
        return parser


def _add_speech_commands(commands: Commands) -> None:
    split = commands.add(
        "split", "split_command", help="clean and split speech files into units",
        description="Read, clean and split speech files into units as LABELING.md defines them.",
    )
    split.add_argument("files", nargs="*", default=["-"], metavar="FILE",
                       help=".txt/.md/.docx files; - or nothing reads stdin")
    split.add_argument("--json", action="store_true", help="one JSON object per unit")
    split.add_argument("--show-removed", action="store_true",
                       help="also show what the cleaner removed")
    split.add_argument("--doc-id", help="doc_id for a single input (default: the file stem)")

    tag = commands.add(
        "tag", "tag_command", help="tag speeches in bulk",
        description="Tag .txt/.md/.docx speeches (cleaned and split) and .jsonl units (taken as "
                    "given). Output rows: unit fields, label, confidence, p_<label>.",
    )
    tag.add_argument("inputs", nargs="*", default=["-"], metavar="INPUT",
                     help="files, directories (recursive), globs; - reads stdin")
    tag.add_argument("-o", "--output", help="output file (default: JSONL to stdout)")
    tag.add_argument("--format", choices=FORMATS,
                     help="output format (default: from the -o suffix, else jsonl)")
    tag.add_argument("--jobs", type=int, default=1, help="processes to use (default 1)")
    tag.add_argument("--resume", action="store_true",
                     help="continue an interrupted run into the same -o OUT")
    tag.add_argument("--force", action="store_true", help="replace an existing output file")
    tag.add_argument("--model", help=BUNDLED)

    report = commands.add(
        "report", "report_command", help="write tagged speeches as one HTML file",
        description="Tag .txt/.md/.docx speeches (or .jsonl units) and write one self-contained "
                    "HTML file: highlighted units, legend, summaries, JSONL/CSV download. "
                    "Several speeches open with an overview: the label shares chart, a "
                    "sortable table of speeches and a search over all units. "
                    "It needs no server or network to open.",
    )
    report.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files, directories (recursive), globs; - reads stdin")
    report.add_argument("-o", "--output", required=True, help="the HTML file to write")
    report.add_argument("--title", default="speechtag report", help="the report's title")
    report.add_argument("--by", default="doc", metavar="doc|year|region|FIELD",
                        help="the overview chart's groups, as in `speechtag profile` "
                             "(default doc)")
    report.add_argument("--meta", metavar="CSV",
                        help="a table with a file (or doc_id) column, such as the corpus "
                             "INDEX.csv: the speeches' years and regions")
    report.add_argument("--model", help=BUNDLED)

    serve = commands.add(
        "serve", "serve_command", help="serve the tagger over HTTP",
        description="A page at / to paste or upload a speech and see it tagged; the API "
                    "POST /v1/tag, POST /v1/tag-file, GET /v1/health, GET /v1/model; "
                    "OpenAPI docs at /docs.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--model", help=BUNDLED)
    serve.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                       help=f"require 'Authorization: Bearer TOKEN' (default: ${TOKEN_ENV})")
    serve.add_argument("--max-bytes", type=int,
                       help=f"largest request body accepted (default {MAX_BODY_BYTES}, 2 MB)")
    serve.add_argument("--header-timeout", type=float, default=HEADER_TIMEOUT_SECONDS,
                       metavar="SECONDS",
                       help="close a connection whose request headers take longer "
                            f"(default {HEADER_TIMEOUT_SECONDS:g})")

    evaluate = commands.add(
        "evaluate", "evaluate_command", help="score a model on labelled JSONL units",
        description="DATA is JSONL with doc_id, sent_id, text, label. Units are never re-split; "
                    "they are grouped into speeches by doc_id in sent_id order. With a "
                    "documents.csv beside the data (genre, sector, origin per doc_id), or files "
                    "in genre folders, scores are also given per genre, origin and sector.",
    )
    evaluate.add_argument("data", nargs="?", metavar="DATA",
                          help="labelled .jsonl file or directory (default: the workspace's "
                               "datasets/)")
    evaluate.add_argument("--model", help=BUNDLED)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
