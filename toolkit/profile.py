"""What a body of tagged speeches says: units, characters and shares per label, per group.

Rows are the tagged units ``speechtag tag`` writes; a group is a document, a year, a
region or any field of the rows or of a metadata table (such as the corpus ``INDEX.csv``).
One pass, constant memory per group: the whole corpus costs a fraction of tagging it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path, PurePosixPath

from toolkit.errors import InputError
from toolkit.labels import LABELS
from toolkit.read import TEXT_SUFFIXES, read_document

# The contract of `speechtag profile -o table.csv`; extra columns only ever go after it.
CONTRACT = ["group", "units", "chars",
            *[f"{kind}_{label}" for label in LABELS for kind in ("units", "chars", "share")],
            "mean_confidence"]
COLUMNS = [*CONTRACT, "problem_to_achievement"]
UNKNOWN = "(unknown)"
YEAR = re.compile(r"(?<!\d)(1949|19[5-9]\d|20\d\d)(?!\d)")
_FRONT_MATTER_BYTES = 4096
_N = len(LABELS)
_INDEX = {label: i for i, label in enumerate(LABELS)}


def profile_rows(rows: Iterable[dict], by: str = "doc",
                 meta: dict[str, dict] | None = None) -> list[dict]:
    """One row of :data:`COLUMNS` per group of ``rows`` (tagged units), ``by`` one of
    ``doc``, ``year``, ``region`` or any field of the rows or of ``meta``."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return []
    group_of = _grouper(by, first, meta or {})
    totals: dict = {}
    for row in chain([first], rows):
        key = group_of(row)
        counts = totals.get(key)
        if counts is None:
            counts = totals[key] = [0] * (2 * _N) + [0.0, 0]
        i = _INDEX.get(row["label"])
        if i is None:
            raise InputError(str(row.get("source") or row["doc_id"]), f"a label in {LABELS}",
                             repr(row["label"]), "Profile the output of `speechtag tag`.")
        counts[i] += 1
        counts[_N + i] += len(row["text"])
        if row.get("confidence") is not None:
            counts[-2] += row["confidence"]
            counts[-1] += 1
    names = _doc_names(totals) if by == "doc" else {key: key for key in totals}
    keys = totals if by == "doc" else sorted(totals, key=group_order)
    return [table_row(names[key], totals[key]) for key in keys]


def table_row(group: str, counts: list) -> dict:
    """A table row from a group's counts: units per label, characters per label, then the
    sum and the number of confidences."""
    units, chars = sum(counts[:_N]), sum(counts[_N:2 * _N])
    row: dict = {"group": group, "units": units, "chars": chars}
    for i, label in enumerate(LABELS):
        row[f"units_{label}"] = counts[i]
        row[f"chars_{label}"] = counts[_N + i]
        row[f"share_{label}"] = round(counts[i] / units, 6) if units else 0.0
    row["mean_confidence"] = round(counts[-2] / counts[-1], 6) if counts[-1] else None
    achievements = counts[_INDEX["achievement"]]
    row["problem_to_achievement"] = (round(counts[_INDEX["problem"]] / achievements, 6)
                                     if achievements else None)
    return row


def _grouper(by: str, first: dict, meta: dict[str, dict]) -> Callable[[dict], object]:
    if by == "doc":
        return lambda row: (row.get("source") or "", row["doc_id"])
    columns = {column for info in meta.values() for column in info}
    if by in first and by not in ("year", "region"):
        return lambda row: _text(row.get(by))
    if by not in first and by not in columns and by != "year":
        raise InputError("--by", "doc, year, or a field of the rows or of --meta "
                         f"({', '.join(sorted(set(first) | columns))})", repr(by),
                         "Pick one of those, or pass --meta with that column.")
    index = _meta_index(meta)
    cache: dict[tuple[str, str], str] = {}

    def group_of(row: dict) -> str:
        doc = (row.get("source") or "", row["doc_id"])
        if doc not in cache:
            cache[doc] = _document_value(by, row, _lookup(index, *doc))
        return cache[doc]

    return group_of


def _document_value(by: str, row: dict, info: dict) -> str:
    value = row.get(by)
    value = info.get(by) if value is None or value == "" else value
    if by != "year" or value:
        return _text(value)
    source = row.get("source") or ""
    found = YEAR.search(f"{PurePosixPath(source).name} {row['doc_id']}") or \
        YEAR.search(_front_matter_title(source))
    return found[1] if found else UNKNOWN


def _text(value) -> str:
    return UNKNOWN if value is None or value == "" else str(value)


def group_order(group: str) -> tuple:
    """Years and other numbers in numeric order, then other values, then the unknown."""
    return (group == UNKNOWN, not group.isdigit(), int(group) if group.isdigit() else 0, group)


def _doc_names(totals: dict) -> dict:
    """doc_id, or the source folder and doc_id when two files share a doc_id (2010 of
    every province)."""
    seen: dict[str, int] = {}
    for _, doc_id in totals:
        seen[doc_id] = seen.get(doc_id, 0) + 1
    return {(source, doc_id): doc_id if seen[doc_id] == 1 or not source
            else f"{Path(source).parent.as_posix()}/{doc_id}" for source, doc_id in totals}


def _front_matter_title(source: str) -> str:
    """The ``title:`` of a speech file's YAML front matter (a bounded read), or ``""``."""
    path = Path(source)
    if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
        return ""
    with open(path, "rb") as handle:
        head = handle.read(_FRONT_MATTER_BYTES).decode("utf-8", "ignore").lstrip("\ufeff")
    lines = head.splitlines()
    if not lines or lines[0].strip() != "---":
        return ""
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if line.startswith("title:"):
            return line[len("title:"):].strip()
    return ""


def read_meta_csv(path: str | Path) -> dict[str, dict]:
    """A metadata table (a ``file`` or ``doc_id`` column, any others) keyed by that column."""
    text = read_document(path).text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = reader.fieldnames or []
        key = next((name for name in ("file", "doc_id") if name in columns), None)
        if key is None:
            raise InputError(str(path), "a header with a file or doc_id column",
                             f"columns {columns}", "Name the column of file names file.", 1)
        table: dict[str, dict] = {}
        for row in reader:
            if None in row or None in row.values():
                found = sum(v is not None for k, v in row.items() if k is not None)
                raise InputError(str(path), f"{len(columns)} fields as in the header",
                                 f"{found + len(row.get(None) or [])}",
                                 "Quote fields that hold commas.", reader.line_num)
            name = _key(row[key])
            if not name:
                raise InputError(str(path), f"a {key}", "an empty field",
                                 "Fill it in or remove the row.", reader.line_num)
            if name in table:
                raise InputError(str(path), f"each {key} once", f"{name!r} again",
                                 "Remove the duplicate row.", reader.line_num)
            table[name] = row
    except csv.Error as exc:
        raise InputError(str(path), "CSV", str(exc), "Fix the line.", reader.line_num) from None
    return table


def _key(name: str) -> str:
    return name.strip().replace("\\", "/").removeprefix("./")


def _meta_index(meta: dict[str, dict]) -> dict[str, dict]:
    """Each key, also without its suffix (an INDEX.csv names files, rows carry doc_ids)."""
    index = {}
    for name, info in meta.items():
        index.setdefault(str(PurePosixPath(name).with_suffix("")), info)
    index.update(meta)
    return index


def _lookup(index: dict[str, dict], source: str, doc_id: str) -> dict:
    """The metadata of the longest path suffix of ``source`` a key names, else of doc_id."""
    parts = PurePosixPath(_key(source)).parts
    for start in range(len(parts)):
        info = index.get("/".join(parts[start:]))
        if info is not None:
            return info
    return index.get(doc_id, {})


def plot_profile(table: list[dict], path: str | Path, by: str) -> None:
    """Shares per group as stacked bars, or as lines over the years when ``by`` is year."""
    from toolkit.profile_plot import save_profile_figure

    save_profile_figure(table, path, by)
