"""The opening of a report on several speeches: what the page charts, sorts and searches.

The numbers are those of :func:`toolkit.profile.profile_rows` (the table of
``speechtag profile``), so the page and the command cannot disagree; the page only draws them.
"""

from __future__ import annotations

from toolkit.bulk import COLUMNS as UNIT_COLUMNS
from toolkit.meta import MetaIndex
from toolkit.profile import UNKNOWN, check_field, profile_counts, profile_rows, unit_counts


def check_by(by: str, meta: dict[str, dict] | None) -> None:
    """Refuse a ``--by`` neither the units nor the metadata have, before anything is tagged."""
    check_field(by, [*UNIT_COLUMNS, *MetaIndex(meta or {}).columns])


def speech_rows(speeches: list[dict]) -> list[dict]:
    """The report's speeches as the flat rows of ``speechtag tag`` (each unit with its source)."""
    return [{**unit, "source": speech["source"]} for speech in speeches
            for unit in speech["units"]]


def overview(speeches: list[dict], by: str = "doc",
             meta: dict[str, dict] | None = None) -> dict:
    """``table``: the profile per speech, a row per speech in order; ``fields`` and
    ``speeches``: each speech's year, region and ``by`` group where known; ``chart``: the
    profile per ``by`` group."""
    rows = speech_rows(speeches)
    # One key, and so one table row, per speech: a speech is one (source, doc_id), as the
    # report's inputs are distinct files and the speeches of one file have distinct doc_ids.
    totals = unit_counts(rows)
    table = profile_counts(totals, "doc", meta)
    columns = MetaIndex(meta or {}).columns
    names = ["year", *[name for name in dict.fromkeys(("region", by))
                       if name in columns and name != "year"]]
    return {"by": by, "table": table, "fields": names,
            "speeches": [{name: _group(totals, key, name, meta) for name in names}
                         for key in totals],
            "chart": table if by == "doc" else profile_rows(rows, by, meta)}


def _group(totals: dict[tuple, list], key: tuple, name: str, meta: dict | None) -> str | None:
    """The group ``speechtag profile --by name`` puts one speech in (None when unknown)."""
    group = profile_counts({key: totals[key]}, name, meta)[0]["group"]
    return None if group == UNKNOWN else group
