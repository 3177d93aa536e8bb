"""What a body of tagged speeches says: units, characters and shares per label, per group.

Rows are the tagged units ``speechtag tag`` writes; a group is a document, a year, a
region or any field of the rows or of a metadata table (such as the corpus ``INDEX.csv``).
Two steps: :func:`unit_counts` sums the units per document (in one pass, where the units
are: a tagging worker sends back these sums, not its rows), :func:`profile_counts` turns
the sums into the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from toolkit.errors import InputError
from toolkit.labels import LABELS
from toolkit.meta import YEAR, MetaIndex, read_meta_csv, year_of

__all__ = ["COLUMNS", "CONTRACT", "UNKNOWN", "YEAR", "add_counts", "check_field", "group_order",
           "plot_profile", "profile_counts", "profile_rows", "read_meta_csv", "table_row",
           "unit_counts"]

# The contract of `speechtag profile -o table.csv`; extra columns only ever go after it.
CONTRACT = ["group", "units", "chars",
            *[f"{kind}_{label}" for label in LABELS for kind in ("units", "chars", "share")],
            "mean_confidence"]
COLUMNS = [*CONTRACT, "problem_to_achievement"]
UNKNOWN = "(unknown)"
_N = len(LABELS)
_INDEX = {label: i for i, label in enumerate(LABELS)}


def profile_rows(rows: Iterable[dict], by: str = "doc",
                 meta: dict[str, dict] | None = None) -> list[dict]:
    """One row of :data:`COLUMNS` per group of ``rows`` (tagged units), ``by`` one of
    ``doc``, ``year``, ``region`` or any field of the rows or of ``meta``."""
    return profile_counts(unit_counts(rows, by), by, meta)


def unit_counts(rows: Iterable[dict], by: str = "doc") -> dict[tuple, list]:
    """Per (source, doc_id, the row's ``by`` field): units and characters per label, the sum
    and the number of confidences."""
    field = None if by == "doc" else by
    totals: dict[tuple, list] = {}
    for row in rows:
        value = row.get(field) if field else None
        if isinstance(value, list):  # a section path
            value = " / ".join(value)
        key = (row.get("source") or "", row["doc_id"], value)
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
    return totals


def add_counts(totals: dict[tuple, list], more: dict[tuple, list]) -> dict[tuple, list]:
    """``more`` (another input's :func:`unit_counts`) added into ``totals``."""
    for key, counts in more.items():
        if key in totals:
            totals[key] = [a + b for a, b in zip(totals[key], counts, strict=True)]
        else:
            totals[key] = counts
    return totals


def profile_counts(totals: dict[tuple, list], by: str = "doc",
                   meta: dict[str, dict] | None = None) -> list[dict]:
    """The table from :func:`unit_counts`: one row per group, documents in input order,
    other groups in :func:`group_order`."""
    if not totals:
        return []
    if by == "doc":
        names = _doc_names(totals)
        groups = {name: [] for name in names.values()}
    else:
        names = _group_names(totals, by, MetaIndex(meta or {}))
        groups = {name: [] for name in sorted(set(names.values()), key=group_order)}
    for key, counts in totals.items():
        groups[names[key]].append(counts)
    return [table_row(group, [sum(column) for column in zip(*sums, strict=True)])
            for group, sums in groups.items()]


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


def group_order(group: str) -> tuple:
    """Years and other numbers in numeric order, then other values, then the unknown."""
    return (group == UNKNOWN, not group.isdigit(), int(group) if group.isdigit() else 0, group)


def check_field(by: str, known: Iterable[str]) -> None:
    """Refuse a ``by`` that is neither doc, year nor one of the ``known`` fields and columns."""
    known = set(known)
    if by not in ("doc", "year") and by not in known:
        raise InputError("--by", "doc, year, or a field of the rows or of --meta "
                         f"({', '.join(sorted(known))})", repr(by),
                         "Pick one of those, or pass --meta with that column.")


def _group_names(totals: dict[tuple, list], by: str, meta: MetaIndex) -> dict[tuple, str]:
    """Each key's group: the row's field, else the metadata's, else (a year) the file's."""
    names = {}
    for key in totals:
        source, doc_id, value = key
        if value is None or value == "":
            value = meta.get(source, doc_id).get(by)
        if (value is None or value == "") and by == "year":
            value = year_of(source, doc_id)
        names[key] = UNKNOWN if value is None or value == "" else str(value)
    if all(key[2] is None for key in totals):
        check_field(by, meta.columns)
    return names


def _doc_names(totals: dict[tuple, list]) -> dict[tuple, str]:
    """doc_id, or the source folder and doc_id when two files share a doc_id (2010 of
    every province)."""
    seen: dict[str, int] = {}
    for _, doc_id in dict.fromkeys(key[:2] for key in totals):
        seen[doc_id] = seen.get(doc_id, 0) + 1
    return {(source, doc_id, value): doc_id if seen[doc_id] == 1 or not source
            else f"{Path(source).parent.as_posix()}/{doc_id}"
            for source, doc_id, value in totals}


def plot_profile(table: list[dict], path: str | Path, by: str) -> None:
    """Shares per group as stacked bars, or as lines over the years when ``by`` is year."""
    from toolkit.profile_plot import save_profile_figure

    save_profile_figure(table, path, by)
