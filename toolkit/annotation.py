"""Annotation tools' formats: Label Studio tasks and exports, doccano JSONL, back to units.

Tasks carry every unit field in ``data`` so that an export read back gives the
units exactly as they were split, with the annotator's labels.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InputError
from toolkit.exports import FROM_NAME, TO_NAME, UNIT_FIELDS, read_export
from toolkit.labels import CHINESE_NAMES, LABELS
from toolkit.limits import MAX_UNITS


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
        ids.sort()
        # sent_id numbers units from 0; a speech has at most MAX_UNITS of them.
        if ids[0] < 0 or ids[-1] >= MAX_UNITS:
            bad = ids[0] if ids[0] < 0 else ids[-1]
            raise InputError(doc_id, f"sent_id from 0 and below {MAX_UNITS} (the most units "
                             "a speech may have)", str(bad),
                             "Keep the sent_id of the prelabelled tasks unchanged.")
        if ids[-1] + 1 > len(ids) and not allow_gaps:
            first = next(n for n, sent_id in enumerate(ids) if n != sent_id)
            raise InputError(doc_id, f"units 0..{ids[-1]} of the speech",
                             f"{ids[-1] + 1 - len(ids)} missing, the first sent_id {first}",
                             "Export every task of the speech.")
