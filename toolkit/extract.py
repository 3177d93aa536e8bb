"""The units of one label as an outline under their section headings: a meeting's tasks as a
checklist, or every problem a report admits.

Headings keep the speech's own enumerators (一、, （一）, 一是 …); the units under each
heading are numbered 1., 2. … A unit of the label that is itself a heading over other such
units is shown as their heading, not once more as an item.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby

JSON_FIELDS = ("doc_id", "sent_id", "text", "section", "confidence")
_DEEPEST_HEADING = 6


def extract_units(rows: Iterable[dict], label: str) -> Iterator[dict]:
    """The rows of ``label`` with the fields of ``JSON_FIELDS``, in speech order."""
    for row in rows:
        if row["label"] == label:
            yield {"doc_id": row["doc_id"], "sent_id": row["sent_id"], "text": row["text"],
                   "section": list(row.get("section") or []),
                   "confidence": row.get("confidence")}


def json_lines(rows: Iterable[dict], label: str) -> Iterator[str]:
    for unit in extract_units(rows, label):
        yield json.dumps(unit, ensure_ascii=False) + "\n"


def outline(rows: Iterable[dict], label: str) -> Iterator[str]:
    """Markdown, one block per speech that has units of ``label``: a title, the headings
    over those units, and the units numbered under each heading."""
    for (source, doc_id), speech in groupby(rows, key=lambda r: (r.get("source"), r["doc_id"])):
        units = list(extract_units(speech, label))
        if units:
            yield _speech_outline(doc_id, source, units)


def _speech_outline(doc_id: str, source: str | None, units: list[dict]) -> str:
    lines = [f"# {doc_id}" + (f" ({source})" if source and source != "-" else ""), ""]
    enclosing = {tuple(unit["section"][:depth]) for unit in units
                 for depth in range(1, len(unit["section"]) + 1)}
    shown: list[str] = []
    number = 0
    for unit in units:
        if (*unit["section"], unit["text"]) in enclosing:
            continue  # it heads units below it: shown as their heading
        section = unit["section"]
        if section != shown:
            same = next((i for i, (a, b) in enumerate(zip(section, shown, strict=False))
                         if a != b), min(len(section), len(shown)))
            # Back up to an enclosing heading: show it again, or its units would read as
            # the subsection's.
            same = min(same, max(len(section) - 1, 0))
            if lines[-1]:
                lines.append("")
            if not section:
                lines += ["---", ""]  # back outside every heading
            for depth, heading in enumerate(section[same:], same):
                lines += [f"{'#' * min(depth + 2, _DEEPEST_HEADING)} {heading}", ""]
            shown, number = section, 0
        number += 1
        lines.append(f"{number}. {unit['text']}")
    return "\n".join(lines) + "\n\n"
