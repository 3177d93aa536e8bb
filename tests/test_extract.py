"""`speechtag extract`: one label's units as an outline under their headings, or JSON lines."""

from __future__ import annotations

import json

import pytest

from toolkit.cli import main
from toolkit.extract import JSON_FIELDS, outline

from .test_profile import SAMPLE, tagged_rows, write_jsonl


def speech(*units: tuple[str, str, list[str]]) -> list[dict]:
    return [{"source": "s.txt", "doc_id": "d", "sent_id": i, "text": text, "label": label,
             "confidence": 0.9, "section": section}
            for i, (label, text, section) in enumerate(units)]


def test_the_tasks_of_the_hand_counted_speech(tmp_path, capsys):
    data = write_jsonl(tmp_path / "tagged.jsonl", tagged_rows())
    assert main(["extract", "--label", "task", str(data)]) == 0
    # The heading 一、今年工作安排 is a task over the other two: shown as their heading.
    assert capsys.readouterr().out == (
        "# 2021 (reports/city/2021.txt)\n\n"
        "## 一、今年工作安排\n\n"
        "1. 要加快推进项目建设。\n"
        "2. 要确保按期完工。\n\n"
    )


def test_numbering_restarts_under_each_heading_and_enclosing_headings_come_back():
    rows = speech(
        ("task", "一、甲", []), ("task", "（一）乙", ["一、甲"]),
        ("task", "要做一。", ["一、甲", "（一）乙"]), ("other", "说明。", ["一、甲", "（一）乙"]),
        ("task", "要做二。", ["一、甲", "（一）乙"]), ("task", "要做三。", ["一、甲"]),
        ("task", "二、丙", []), ("task", "要做四。", []),
    )
    assert "".join(outline(rows, "task")) == (
        "# d (s.txt)\n\n## 一、甲\n\n### （一）乙\n\n1. 要做一。\n2. 要做二。\n\n"
        "## 一、甲\n\n1. 要做三。\n\n---\n\n1. 二、丙\n2. 要做四。\n\n"
    )
    assert list(outline(rows, "problem")) == []


def test_json_lines_carry_the_contract_fields(tmp_path):
    data = write_jsonl(tmp_path / "tagged.jsonl", tagged_rows())
    out = tmp_path / "tasks.jsonl"
    assert main(["extract", "--label", "task", "--json", str(data), "-o", str(out)]) == 0
    units = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [tuple(unit) for unit in units] == [JSON_FIELDS] * 3
    assert [(u["sent_id"], u["text"], u["section"], u["confidence"]) for u in units] == [
        (4, "一、今年工作安排", [], 0.95),
        (5, "要加快推进项目建设。", ["一、今年工作安排"], 0.85),
        (6, "要确保按期完工。", ["一、今年工作安排"], 0.75),
    ]


def test_a_raw_speech_gives_the_units_tag_labels_task(tmp_path, capsys):
    tagged = tmp_path / "sample.jsonl"
    assert main(["tag", str(SAMPLE), "-o", str(tagged)]) == 0
    rows = [json.loads(line) for line in tagged.read_text(encoding="utf-8").splitlines()]
    capsys.readouterr()
    assert main(["extract", "--label", "task", str(SAMPLE)]) == 0
    markdown = capsys.readouterr().out
    assert markdown == "".join(outline(rows, "task"))
    assert markdown.startswith("# sample_speech (")
    items = [line.split(". ", 1)[1] for line in markdown.splitlines() if line[:1].isdigit()]
    headings = {line.split(" ", 1)[1] for line in markdown.splitlines() if line.startswith("##")}
    tasks = [row["text"] for row in rows if row["label"] == "task"]
    assert items == [text for text in tasks if text not in headings]
    assert items


def test_bad_input_and_usage(tmp_path, capsys):
    assert main(["extract", "--label", "task", str(tmp_path / "none.txt")]) == 1
    err = capsys.readouterr().err
    assert "none.txt: expected an existing file" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exit:
        main(["extract", "--label", "success", str(SAMPLE)])
    assert exit.value.code == 2 and "invalid choice" in capsys.readouterr().err
