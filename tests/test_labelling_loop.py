"""The labelling loop: prelabel → annotation tool export → import, suggest, check-labels."""

from __future__ import annotations

import csv
import json
import re

import pytest

from toolkit.cli import main
from toolkit.errors import InputError

from .conftest import HEALTH_DIR

GOLD = HEALTH_DIR / "003_97f8dc4bf8a49888.jsonl"



def gold_rows() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def tasks(tmp_path, capsys) -> list[dict]:
    path = tmp_path / "tasks.json"
    assert main(["prelabel", str(GOLD), "-o", str(path)]) == 0
    capsys.readouterr()
    return json.loads(path.read_text(encoding="utf-8"))


def corrected(task: dict, gold: dict[tuple, str]) -> str:
    """What an annotator would choose: the gold label of the unit."""
    return gold[(task["data"]["doc_id"], task["data"]["sent_id"])]


def label_studio_json(tasks, gold):
    return [{"id": n, "data": task["data"], "predictions": task["predictions"],
             "annotations": [
                 {"id": 1, "was_cancelled": True, "result": []},
                 {"id": 2, "was_cancelled": False, "result": [
                     {"from_name": "label", "to_name": "text", "type": "choices",
                      "value": {"choices": [corrected(task, gold)]}}]}]}
            for n, task in enumerate(tasks, 1)]


def label_studio_min(tasks, gold):
    return [{**task["data"], "id": n, "label": corrected(task, gold), "annotator": 1,
             "annotation_id": n, "lead_time": 3.2} for n, task in enumerate(tasks, 1)]


def write_export(tmp_path, kind: str, tasks, gold):
    if kind == "json":
        path = tmp_path / "export.json"
        path.write_text(json.dumps(label_studio_json(tasks, gold), ensure_ascii=False))
    elif kind == "json-min":
        path = tmp_path / "export-min.json"
        path.write_text(json.dumps(label_studio_min(tasks, gold), ensure_ascii=False))
    else:
        path = tmp_path / "export.csv"
        rows = label_studio_min(tasks, gold)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({**r, "section": json.dumps(r["section"], ensure_ascii=False)}
                             for r in rows)
    return path


@pytest.mark.parametrize("kind", ["json", "json-min", "csv"])
def test_label_studio_round_trip_reproduces_units_and_labels(tmp_path, capsys, tasks, kind):
    gold = {(r["doc_id"], r["sent_id"]): r["label"] for r in gold_rows()}
    export = write_export(tmp_path, kind, tasks, gold)
    out = tmp_path / "imported.jsonl"
    assert main(["import-labels", str(export), "-o", str(out)]) == 0
    imported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert imported == gold_rows()
    assert "wrote 136 units of 1 speeches" in capsys.readouterr().err


def test_prediction_and_context_are_in_the_tasks(tasks):
    task = tasks[6]
    prediction = task["predictions"][0]
    assert prediction["model_version"].startswith("default@")
    assert 0 < prediction["score"] <= 1
    assert prediction["result"][0]["value"]["choices"][0] in {
        "achievement", "problem", "task", "exhortation", "other"}
    assert task["data"]["previous"] == tasks[5]["data"]["text"]
    assert task["data"]["next"] == tasks[7]["data"]["text"]
    assert task["data"]["title"] == tasks[0]["data"]["text"]


def test_doccano_round_trip(tmp_path, capsys):
    tasks = tmp_path / "doccano.jsonl"
    assert main(["prelabel", str(GOLD), "--format", "doccano", "-o", str(tasks)]) == 0
    gold = {(r["doc_id"], r["sent_id"]): r["label"] for r in gold_rows()}
    lines = []
    for n, line in enumerate(tasks.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        record.update(id=n, label=[gold[(record["doc_id"], record["sent_id"])]], Comments=[])
        lines.append(json.dumps(record, ensure_ascii=False))
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "imported.jsonl"
    assert main(["import-labels", str(export), "-o", str(out)]) == 0
    assert [json.loads(x) for x in out.read_text().splitlines()] == gold_rows()


def test_ls_config_lists_the_five_labels(capsys):
    assert main(["prelabel", "--ls-config"]) == 0
    config = capsys.readouterr().out
    assert re.findall(r'Choice value="(\w+)"', config) == [
        "achievement", "problem", "task", "exhortation", "other"]


def test_import_never_overwrites_silently(tmp_path, capsys, tasks):
    gold = {(r["doc_id"], r["sent_id"]): r["label"] for r in gold_rows()}
    export = write_export(tmp_path, "json-min", tasks, gold)
    out = tmp_path / "existing.jsonl"
    out.write_text("keep me\n")
    assert main(["import-labels", str(export), "-o", str(out)]) == 1
    assert "expected a new file, found an existing dataset. Choose another -o, or pass " \
           "--force to replace it." in capsys.readouterr().err
    assert out.read_text() == "keep me\n"
    assert main(["import-labels", str(export), "-o", str(out), "--force"]) == 0


@pytest.mark.parametrize(("change", "message"), [
    (lambda rows: rows[3].update(label="praise"),
     "expected a label in ['achievement', 'exhortation', 'other', 'problem', 'task'], "
     "found 'praise'"),
    (lambda rows: rows.append(dict(rows[0])), "expected each unit once, found ("),
    (lambda rows: rows.pop(7), "found 1 missing, the first sent_id 7"),
    (lambda rows: rows[2].pop("label"), "found 1 without one"),
])
def test_import_validates(tmp_path, tasks, change, message):
    from toolkit.annotation import labelled_units

    gold = {(r["doc_id"], r["sent_id"]): r["label"] for r in gold_rows()}
    rows = label_studio_min(tasks, gold)
    change(rows)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows, ensure_ascii=False))
    with pytest.raises(InputError, match=re.escape(message)):
        labelled_units([path])


def test_suggest_spreads_over_speeches(tmp_path, capsys):
    assert main(["suggest", "--pool", str(HEALTH_DIR), "-n", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert len(lines) == 10
    assert len({line.split("\t")[3] for line in lines}) >= 4, "not ten doubts from one speech"
    out = tmp_path / "next.json"
    assert main(["suggest", "--pool", str(HEALTH_DIR), "-n", "5", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())) == 5


def test_check_labels_ranks_by_out_of_sample_self_confidence(tmp_path, capsys):
    out = tmp_path / "doubts.csv"
    assert main(["check-labels", "--data", str(HEALTH_DIR), "--top", "3", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("labelled ") == 3
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 629
    confidence = [float(r["self_confidence"]) for r in rows]
    assert confidence == sorted(confidence)


def test_weak_labelling_reports_coverage_and_conflict(tmp_path, capsys):
    out = tmp_path / "silver.jsonl"
    assert main(["weak-label", str(HEALTH_DIR), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("units 629, labelled ")
    assert "lf_section_heading" in printed and "conflict" in printed
    silver = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    gold = {(r["doc_id"], r["sent_id"]): r["label"] for path in HEALTH_DIR.glob("*.jsonl")
            for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    agreement = sum(gold[(r["doc_id"], r["sent_id"])] == r["label"] for r in silver) / len(silver)
    assert 300 < len(silver) < 629 and agreement > 0.7


def test_silver_config_is_validated(tmp_path):
    from toolkit.config import load_experiment

    path = tmp_path / "s.toml"
    path.write_text('model = "tfidf_lr"\nsilver_from = ["x"]\n')
    with pytest.raises(InputError, match=re.escape('expected silver_from with model = "sequence"')):
        load_experiment(path)
