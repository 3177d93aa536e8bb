"""Read annotation tools' exports back: Label Studio JSON, JSON_MIN and CSV, doccano JSONL.

Every record is checked before use: an export edited by hand or by another tool gives one
sentence naming the file, the record and the field, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from toolkit.errors import InputError
from toolkit.files import read_limited
from toolkit.read import check_unit_text

FROM_NAME, TO_NAME = "label", "text"
UNIT_FIELDS = ("doc_id", "sent_id", "text", "start", "end", "heading_level", "section", "para_id")
_INTEGERS = ("sent_id", "start", "end", "heading_level", "para_id")
_KEEP = "Keep the fields of the prelabelled tasks unchanged."
_DIGITS = re.compile(r"-?\d{1,18}")


def read_export(path: Path) -> list[tuple[dict, str | None, int]]:
    """Units with their labels from any supported export: ``(unit, label, line)``."""
    source = str(path)
    try:
        text = read_limited(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, "a UTF-8 export file", f"undecodable bytes at offset {exc.start}",
                         "Export again from the annotation tool.") from None
    if path.suffix.lower() == ".csv":
        return [(_unit(row, source, n), _plain_label(row.get(FROM_NAME)), n)
                for n, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), 2)]
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(source, "a Label Studio JSON export", f"invalid JSON ({exc.msg})",
                             "Export again as JSON or JSON_MIN.", exc.lineno) from None
        return [_from_label_studio(record, source, n) for n, record in enumerate(records, 1)]
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(source, "doccano JSONL, one object per line",
                                 f"invalid JSON ({exc.msg})", "Export again as JSONL.",
                                 n) from None
            unit = _unit(record, source, n)
            rows.append((unit, _plain_label(record.get("label")), n))
    return rows


def _from_label_studio(record, source: str, number: int):
    if isinstance(record, dict) and "data" in record:
        # A full JSON export: the label of the last annotation that was not cancelled.
        unit = _unit(record["data"], source, number)
        try:
            annotations = [a for a in record.get("annotations", [])
                           if not a.get("was_cancelled")]
            label = None
            for annotation in annotations[-1:]:
                for result in annotation.get("result", []):
                    if result.get("from_name") == FROM_NAME:
                        label = _plain_label(result.get("value", {}).get("choices"))
        except (AttributeError, TypeError):
            raise InputError(source, "annotations as Label Studio exports them",
                             "a malformed annotations field", "Export again as JSON.",
                             number) from None
        return unit, label, number
    unit = _unit(record, source, number)
    return unit, _plain_label(record.get(FROM_NAME)), number


def _plain_label(value) -> str | None:
    """A label written as a string, a one-item list, or {"choices": [...]}."""
    if isinstance(value, dict):
        value = value.get("choices")
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else (value or None)
    return value


def _unit(record, source: str, line: int) -> dict:
    if not isinstance(record, dict):
        raise InputError(source, "a JSON object per task", type(record).__name__,
                         "Export again from the annotation tool.", line)
    missing = [field for field in ("doc_id", "sent_id", "text") if record.get(field) in (None, "")]
    if missing:
        raise InputError(source, "doc_id, sent_id and text in every record",
                         f"no {', '.join(missing)}",
                         "Import tasks made by `speechtag prelabel` (they carry these fields).",
                         line)
    unit = {field: record[field] for field in UNIT_FIELDS if record.get(field) not in (None, "")}
    for field in ("doc_id", "text"):
        if not isinstance(unit[field], str):
            raise InputError(source, f"{field} as a string",
                             f"{type(unit[field]).__name__} {unit[field]!r:.40}", _KEEP, line)
    check_unit_text(unit["text"], source, line)
    for field in _INTEGERS:
        if field in unit:
            unit[field] = _integer(unit[field], field, source, line)
    if "section" in unit:
        unit["section"] = _section(unit["section"], source, line)
    return unit


def _integer(value, field: str, source: str, line: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value)
    raise InputError(source, f"{field} as an integer", f"{value!r:.40}", _KEEP, line)


def _section(value, source: str, line: int) -> list[str]:
    if isinstance(value, str):  # CSV flattens lists to JSON text
        try:
            value = json.loads(value) if value.startswith("[") else []
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(source, "section as a list of headings", f"{value!r:.40}", _KEEP, line)
    return value
