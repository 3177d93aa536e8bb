"""Annotation tools' formats: Label Studio tasks and exports, doccano JSONL, back to units.

Tasks carry every unit field in ``data`` so that an export read back gives the
units exactly as they were split, with the annotator's labels.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from toolkit.errors import InputError
from toolkit.labels import CHINESE_NAMES, LABELS

FROM_NAME, TO_NAME = "label", "text"
UNIT_FIELDS = ("doc_id", "sent_id", "text", "start", "end", "heading_level", "section", "para_id")


def label_studio_config() -> str:
    """The labelling interface: the unit in its context, and one choice of five labels."""
    choices = "\n".join(
        f'    <Choice value="{label}" hint="{CHINESE_NAMES[label]}"/>' for label in LABELS
    )
    return f"""<View>
  <Header value="$title"/>
  <Text name="section" value="$section_path"/>
  <Text name="previous" value="$previous"/>
  <Text name="{TO_NAME}" value="${TO_NAME}"/>
  <Text name="next" value="$next"/>
  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="single" showInline="true">
{choices}
  </Choices>
</View>
"""


def tasks_for(speeches: list[list[dict]], tagged, model_version: str) -> list[dict]:
    """One Label Studio task per unit, with context and the model's prediction."""
    tasks = []
    for units, predictions in zip(speeches, tagged, strict=True):
        title = units[0]["text"] if units else ""
        for i, (unit, prediction) in enumerate(zip(units, predictions, strict=True)):
            data = {field: unit.get(field) for field in UNIT_FIELDS}
            data.update(
                title=title,
                section_path=" › ".join(unit.get("section") or []),
                previous=units[i - 1]["text"] if i else "",
                next=units[i + 1]["text"] if i + 1 < len(units) else "",
            )
            tasks.append({
                "data": data,
                "predictions": [{
                    "model_version": model_version,
                    "score": round(prediction.confidence, 6),
                    "result": [_choice(prediction.label)],
                }],
            })
    return tasks


def doccano_lines(tasks: list[dict]) -> list[dict]:
    """The same tasks as doccano text-classification JSONL (prediction as the initial label)."""
    return [
        {**{k: v for k, v in task["data"].items() if k in UNIT_FIELDS},
         "label": task["predictions"][0]["result"][0]["value"]["choices"]}
        for task in tasks
    ]


def _choice(label: str) -> dict:
    return {"from_name": FROM_NAME, "to_name": TO_NAME, "type": "choices",
            "value": {"choices": [label]}}


def read_export(path: Path) -> list[tuple[dict, str | None, int]]:
    """Units with their labels from any supported export: ``(unit, label, line)``."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, FileNotFoundError) as exc:
        raise InputError(source, "a UTF-8 export file", type(exc).__name__,
                         "Export again from the annotation tool.") from None
    if path.suffix.lower() == ".csv":
        return [(_unit(row, source, n), _plain_label(row.get(FROM_NAME)), n)
                for n, row in enumerate(csv.DictReader(text.splitlines()), 2)]
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
            rows.append((_unit(record, source, n), _plain_label(record.get("label")), n))
    return rows


def _from_label_studio(record: dict, source: str, number: int):
    if "data" in record:  # full JSON export: the last annotation that was not cancelled
        annotations = [a for a in record.get("annotations", []) if not a.get("was_cancelled")]
        label = None
        for annotation in annotations[-1:]:
            for result in annotation.get("result", []):
                if result.get("from_name") == FROM_NAME:
                    label = _plain_label(result.get("value", {}).get("choices"))
        return _unit(record["data"], source, number), label, number
    return _unit(record, source, number), _plain_label(record.get(FROM_NAME)), number


def _plain_label(value) -> str | None:
    """A label written as a string, a one-item list, or {"choices": [...]}."""
    if isinstance(value, dict):
        value = value.get("choices")
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else (value or None)
    return value


def _unit(record: dict, source: str, line: int) -> dict:
    missing = [field for field in ("doc_id", "sent_id", "text") if record.get(field) in (None, "")]
    if missing:
        raise InputError(source, "doc_id, sent_id and text in every record",
                         f"no {', '.join(missing)}",
                         "Import tasks made by `speechtag prelabel` (they carry these fields).",
                         line)
    unit = {field: record[field] for field in UNIT_FIELDS if record.get(field) not in (None, "")}
    for field in ("sent_id", "start", "end", "heading_level", "para_id"):
        if field in unit:
            unit[field] = _integer(unit[field], field, source, line)
    if isinstance(unit.get("section"), str):  # CSV flattens lists to JSON text
        unit["section"] = json.loads(unit["section"]) if unit["section"].startswith("[") else []
    return unit


def _integer(value, field: str, source: str, line: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(source, f"{field} as an integer", repr(value),
                         "Keep the fields of the prelabelled tasks unchanged.", line) from None


def labelled_units(paths: list[Path], allow_unlabelled: bool = False) -> list[dict]:
    """Units with labels from exports, validated: known labels, no duplicates, no gaps."""
    rows: dict[tuple[str, int], dict] = {}
    unlabelled = []
    for path in paths:
        for unit, label, line in read_export(path):
            key = (unit["doc_id"], unit["sent_id"])
            if key in rows:
                raise InputError(str(path), "each unit once", f"({key[0]!r}, {key[1]}) again",
                                 "Remove the duplicate task or export each task once.", line)
            if label is None:
                unlabelled.append((path, line, key))
                continue
            if label not in LABELS:
                raise InputError(str(path), f"a label in {sorted(LABELS)}", repr(label),
                                 "Use the labelling configuration of "
                                 "`speechtag prelabel --ls-config`.", line)
            rows[key] = {**unit, "label": label}
    if unlabelled and not allow_unlabelled:
        path, line, key = unlabelled[0]
        raise InputError(str(path), "a label on every task",
                         f"{len(unlabelled)} without one, the first ({key[0]!r}, {key[1]})",
                         "Finish them, or pass --allow-unlabelled to leave them out.", line)
    _check_contiguous(rows, allow_unlabelled)
    return [rows[key] for key in sorted(rows, key=lambda k: (str(k[0]), k[1]))]


def _check_contiguous(rows: dict, allow_gaps: bool) -> None:
    by_doc: dict[str, list[int]] = {}
    for doc_id, sent_id in rows:
        by_doc.setdefault(doc_id, []).append(sent_id)
    for doc_id, ids in by_doc.items():
        missing = sorted(set(range(max(ids) + 1)) - set(ids))
        if missing and not allow_gaps:
            raise InputError(doc_id, f"units 0..{max(ids)} of the speech",
                             f"{len(missing)} missing, the first sent_id {missing[0]}",
                             "Export every task of the speech.")
