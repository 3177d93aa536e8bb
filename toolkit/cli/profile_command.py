"""``speechtag profile``: units, characters and shares per label, per group, as a table."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from functools import partial
from pathlib import Path

from toolkit.bulk import COLUMNS as UNIT_COLUMNS
from toolkit.cli.common import tagged_inputs
from toolkit.errors import InputError
from toolkit.labels import CHINESE_NAMES, LABELS
from toolkit.outputs import claimed, write_text
from toolkit.profile import (
    COLUMNS,
    add_counts,
    check_field,
    plot_profile,
    profile_counts,
    read_meta_csv,
    unit_counts,
)
from toolkit.profile_plot import FIGURE_SUFFIXES

TABLE_SUFFIXES = (".csv", ".json")


def run(args: argparse.Namespace) -> int:
    if args.output and Path(args.output).suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(args.output, "a .csv or .json file name",
                         repr(Path(args.output).suffix or "no suffix"), "Use -o table.csv.")
    if args.plot and Path(args.plot).suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(args.plot, "a .png or .svg file name",
                         repr(Path(args.plot).suffix or "no suffix"), "Use --plot figure.png.")
    meta = read_meta_csv(args.meta) if args.meta is not None else None
    inputs = tagged_inputs(args)
    with claimed(args.output, inputs.sources) as out, claimed(args.plot, inputs.sources) as plot:
        return _profile(args, inputs, meta, out, plot)


def _profile(args: argparse.Namespace, inputs, meta, out, plot) -> int:
    if not inputs.tagged:  # before tagging: fields of tagged files are known only on reading
        check_field(args.by, [*UNIT_COLUMNS, *{column for info in (meta or {}).values()
                                               for column in info}])
    totals: dict = {}
    for counts in inputs.summaries(partial(unit_counts, by=args.by)):
        add_counts(totals, counts)
    table = profile_counts(totals, args.by, meta)
    if not table and inputs.failed:
        return 1  # each failed input has had its line
    if not table:
        raise InputError(", ".join(args.inputs), "at least one tagged unit", "none",
                         "Fix the errors above or pass other inputs.")
    if out:
        write_text(out, table_text(table, out.suffix.lower()))
    else:
        sys.stdout.write(readable(table))
    if plot:
        plot_profile(table, plot, args.by)
    if not args.quiet:
        units = sum(row["units"] for row in table)
        wrote = [path for path in (args.output, args.plot) if path]
        print(f"speechtag: profiled {units} units in {len(table)} groups (by {args.by}) from "
              f"{len(inputs.sources) - inputs.failed} of {len(inputs.sources)} inputs"
              + (f"; {inputs.failed} failed" if inputs.failed else "")
              + (f"; wrote {', '.join(wrote)}" if wrote else ""), file=sys.stderr)
    return 1 if inputs.failed else 0


def table_text(table: list[dict], suffix: str) -> str:
    """The table as CSV (the contract's columns, in order) or as a JSON list of objects."""
    if suffix == ".json":
        return json.dumps(table, ensure_ascii=False, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def readable(table: list[dict]) -> str:
    """An aligned text table: counts, shares in per cent, confidence and the ratio."""
    header = ["group", "units", "chars", *[f"{CHINESE_NAMES[label]}%" for label in LABELS],
              "confidence", "问题/成绩"]
    lines = [header]
    for row in table:
        lines.append([row["group"], str(row["units"]), str(row["chars"]),
                      *[f"{100 * row[f'share_{label}']:.1f}" for label in LABELS],
                      _number(row["mean_confidence"], 3),
                      _number(row["problem_to_achievement"], 2)])
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    return "".join(
        "  ".join(cell + " " * (width - _width(cell)) if i == 0
                  else " " * (width - _width(cell)) + cell
                  for i, (cell, width) in enumerate(zip(line, widths, strict=True))) + "\n"
        for line in lines
    )


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
