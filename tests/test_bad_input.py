"""The bad-input matrix through the command line (over HTTP: tests/test_serve.py).

Read, not refused: what a user expects to work. Refused: one line naming the file
(and line), expected vs found and the fix, exit code 1, no traceback.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import zipfile

import pytest

from toolkit.cli import main
from toolkit.paths import DEFAULT_MODEL_DIR

SPEECH = "同志们：\n一、工作回顾\n全年完成投资5亿元，同比增长12%。"
ERROR = re.compile(r"^speechtag: error: (?P<where>\S+?): expected (?P<expected>.+), "
                   r"found (?P<found>.+?)\. (?P<fix>.+)$")


def tag(capsys, *args) -> tuple[int, list[dict], str]:
    code = main(["tag", *map(str, args)])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


@pytest.mark.parametrize(("name", "data"), [
    ("gbk.txt", SPEECH.encode("gbk")),
    ("gb18030.txt", SPEECH.encode("gb18030")),
    ("big5.txt", "同志們：\n一、工作回顧\n全年完成投資5億元，同比增長12%。".encode("big5")),
    ("short-gbk.txt", "同志们：".encode("gbk")),
    ("utf16.txt", codecs.BOM_UTF16_LE + SPEECH.encode("utf-16-le")),
    ("utf8-bom.txt", codecs.BOM_UTF8 + SPEECH.encode()),
    ("text.docx", SPEECH.encode()),
])
def test_read_not_refused(tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    code, rows, err = tag(capsys, path)
    assert code == 0, err
    assert len(rows) == (1 if name.startswith("short") else 3)
    assert rows[0]["text"] in ("同志们：", "同志們：")


def test_cut_utf8_is_read_with_a_warning_naming_file_and_offset(tmp_path, capsys):
    path = tmp_path / "cut.txt"
    path.write_bytes(SPEECH.encode() + "好".encode()[:2])
    code, rows, err = tag(capsys, path)
    assert code == 0 and len(rows) == 3
    offset = len(SPEECH.encode())
    assert f"speechtag: warning: {path}: the last character is cut off at byte offset {offset}" in err


def zip_bytes(tmp_path) -> bytes:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.txt", "x")
    return archive.read_bytes()


@pytest.mark.parametrize(("name", "data", "found"), [
    ("empty.txt", b"", "an empty file"),
    ("blank.txt", b" \n\t\r\n", "only whitespace"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image"),
    ("nul.txt", "同志们".encode() + b"\x00\x00\x00\x01", "a NUL byte at byte offset 9"),
    ("broken.docx", b"PK\x03\x04" + bytes(40), "a broken package"),
])
def test_refused_files(tmp_path, capsys, name, data, found):
    path = tmp_path / name
    path.write_bytes(data)
    code, rows, err = tag(capsys, path)
    assert code == 1 and rows == []
    first = err.splitlines()[0]
    assert "Traceback" not in err
    match = ERROR.match(first.removesuffix(" (skipped)"))
    assert match and match["where"] == str(path) and found in match["found"], first


def test_zip_archive_is_refused(tmp_path, capsys):
    path = tmp_path / "archive.txt"
    path.write_bytes(zip_bytes(tmp_path))
    code, _, err = tag(capsys, path)
    assert code == 1 and "found a zip archive. Convert it to .txt or .docx." in err


def test_directory_with_nothing_readable(tmp_path, capsys):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    code, _, err = tag(capsys, tmp_path)
    assert code == 1
    assert err == (f"speechtag: error: {tmp_path}: expected a directory with .txt, .md, .docx or "
                   ".jsonl files, found none. Pass a directory that holds speeches.\n")


@pytest.mark.parametrize(("row", "found"), [
    ({"doc_id": "a", "text": "x"}, "found no sent_id"),
    ({"doc_id": "a", "sent_id": 1.5, "text": "x"}, "expected sent_id as int, found float 1.5"),
    ({"doc_id": "a", "sent_id": 0, "text": ""}, "expected non-empty text, found an empty text"),
])
def test_refused_unit_rows_name_file_and_line(tmp_path, capsys, row, found):
    path = tmp_path / "units.jsonl"
    good = {"doc_id": "a", "sent_id": 7, "text": "同志们："}
    path.write_text(json.dumps(good) + "\n" + json.dumps(row) + "\n")
    code, _, err = tag(capsys, path)
    assert code == 1 and err.startswith(f"speechtag: error: {path}:2: expected ")
    assert found in err


def test_malformed_json_line(tmp_path, capsys):
    path = tmp_path / "units.jsonl"
    path.write_text('{"doc_id": "a", "sent_id": 0, "text": "x"}\n{"doc_id": \n')
    code, _, err = tag(capsys, path)
    assert code == 1
    assert f"{path}:2: expected one JSON object per line, found invalid JSON" in err


def test_unknown_label_lists_the_known_ones(tmp_path, capsys):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "sent_id": 0, "text": "x", "label": "praise"}))
    assert main(["evaluate", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"speechtag: error: {path}:1: expected a label in ['achievement', 'exhortation', "
        "'other', 'problem', 'task'], found 'praise'. Use one of the five labels of "
        "LABELING.md.\n")


def test_bad_config_through_train(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text('name = "x"\n[params]\ntransition_weight = -1\n')
    assert main(["train", "--config", str(config), "--no-mlflow"]) == 1
    assert capsys.readouterr().err == (
        f"speechtag: error: {config}: expected params.transition_weight ≥ 0, found -1. "
        "Set transition_weight to a valid number.\n")


def test_model_directory_with_a_missing_file(tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    (model / "meta.json").unlink()
    (tmp_path / "s.txt").write_text(SPEECH)
    code, _, err = tag(capsys, tmp_path / "s.txt", "--model", model)
    assert code == 1 and "Traceback" not in err
    assert err == (f"speechtag: error: {model}: expected meta.json, found none. Retrain with "
                   "`speechtag train` or copy the whole model directory.\n")


def test_a_bad_file_never_stops_the_others(tmp_path, capsys):
    for name, data in (("a.txt", SPEECH.encode()), ("b.txt", b""), ("c.txt", SPEECH.encode())):
        (tmp_path / name).write_bytes(data)
    code, rows, err = tag(capsys, tmp_path)
    assert code == 1 and len(rows) == 6
    assert "tagged 6 units from 2 of 3 inputs" in err and "1 failed" in err


def test_limits_are_stated(tmp_path, capsys):
    lines = tmp_path / "lines.txt"
    lines.write_text("好\n" * 250_000)
    unpunctuated = tmp_path / "line.txt"
    unpunctuated.write_text("好" * 25_000)
    code, _, err = tag(capsys, lines, unpunctuated)
    assert code == 1
    assert f"{lines}: expected at most 200000 lines, found 250001 lines." in err
    assert (f"{unpunctuated}: expected units of at most 20000 characters, found one of 25000 "
            "at character offset 0") in err
