"""Arguments of the commands that read a body of speeches: profile and extract."""

from __future__ import annotations

from toolkit.cli.loop_parser import BUNDLED
from toolkit.labels import LABELS

INPUTS = ("tagged output of `speechtag tag` (.jsonl/.csv/.parquet), or speeches and .jsonl "
          "units to tag first (files, directories, globs)")


def add_corpus_commands(commands) -> None:
    profile = commands.add(
        "profile", "profile_command", help="units, characters and shares per label, per group",
        description="Profile tagged speeches: per document, year, region or any field, the "
                    "units and characters of each label, their shares, the problem-to-"
                    "achievement ratio and the model's mean confidence. The year comes from "
                    "--meta, else a year in the file name or the front matter's title.",
    )
    profile.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUTS)
    profile.add_argument("--by", default="doc", metavar="doc|year|region|FIELD",
                         help="what a group is (default doc)")
    profile.add_argument("--meta", metavar="CSV",
                         help="a table with a file (or doc_id) column, such as the corpus "
                              "INDEX.csv, joined on the input file's path")
    profile.add_argument("-o", "--output", metavar="table.csv|.json",
                         help="write the table (default: print it)")
    profile.add_argument("--plot", metavar="figure.png|.svg", help="draw the shares")
    _add_tagging(profile)

    extract = commands.add(
        "extract", "extract_command", help="the units of one label, as an outline",
        description="The units of one label under their section headings, numbered under each "
                    "heading: a meeting's tasks as a checklist. Markdown, or JSON lines.",
    )
    extract.add_argument("--label", required=True, choices=LABELS, help="the label to extract")
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUTS)
    extract.add_argument("--json", action="store_true",
                         help="one JSON object per unit (doc_id, sent_id, text, section, "
                              "confidence)")
    extract.add_argument("-o", "--output", help="write to this file (default: print)")
    _add_tagging(extract)


def _add_tagging(parser) -> None:
    parser.add_argument("--model", help=BUNDLED)
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes to tag speeches with (default 1)")
