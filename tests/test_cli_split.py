"""``speechtag split`` as a user runs it, on the real scraped speeches."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.speech import load_speeches

from .conftest import speech_file

BOILERPLATE = re.compile(r"登录|下载|VIP|会员|客服|版权|ICP|http|欢迎访问|本文标题|侵权|金币|订阅|QQ")


def split_json(capsys, *args) -> list[dict]:
    assert main(["split", "--json", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_inline_headings_of_001_are_units(capsys):
    units = split_json(capsys, str(speech_file("001")))
    headings = [u["text"] for u in units if u["heading_level"] == 1]
    assert headings == [
        "一、总揽全局,卫生健康事业发展硕果累累",
        "二、正视问题,切实增强工作责任感和紧迫感",
        "三、鼓足勇气,确保发展方向不偏不倚",
    ]
    assert sum(u["heading_level"] == 2 for u in units) == 6
    assert set(units[0]) >= {"doc_id", "sent_id", "text", "start", "end", "heading_level",
                             "section"}
    assert units[0]["doc_id"] == speech_file("001").stem


def test_fragments_of_003_are_rejoined(capsys):
    units = split_json(capsys, str(speech_file("003")))
    texts = [u["text"] for u in units]
    assert "一、充分肯定全市卫生健康事业取得的显著成效,进一步增强做好卫生健康工作的责任感、使命感" in texts
    assert any("社会各界大力支持和广大群众共同参与的结果" in t for t in texts)
    assert not any(re.match(r"\d+、", t) for t in texts)


@pytest.mark.parametrize("prefix", ["001", "003", "004"])
def test_no_unit_contains_site_boilerplate(capsys, prefix):
    units = split_json(capsys, str(speech_file(prefix)))
    assert [u["text"] for u in units if BOILERPLATE.search(u["text"])] == []


def test_two_speeches_in_000(capsys):
    units = split_json(capsys, str(speech_file("000")))
    assert sorted({u["doc_id"] for u in units}) == [
        f"{speech_file('000').stem}-1", f"{speech_file('000').stem}-3"]


def test_show_removed_lists_what_went(capsys):
    assert main(["split", "--show-removed", str(speech_file("004"))]) == 0
    out = capsys.readouterr().out
    assert "[site chrome] 仅供学习 禁止外传" in out
    assert "在全市卫生健康大会上的讲话" in out


def test_every_shared_file_splits(corpus_dir):
    files = sorted(corpus_dir.rglob("*.txt")) + sorted(speech_file("000").parent.glob("*.txt"))
    units = sum(len(s.units) for path in files for s in load_speeches(path))
    assert len(files) > 700 and units > 100_000


def test_bad_file_exits_1_with_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["split", str(empty)]) == 1
    assert capsys.readouterr().err == (
        f"speechtag: error: {empty}: expected speech text, found an empty file. "
        "Check that the file was saved with its content.\n"
    )


def test_installed_command_and_module_entry_point(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("同志们：\n要加强党的建设。", encoding="gbk")
    installed = str(Path(sys.executable).parent / "speechtag")
    for command in ([installed], [sys.executable, "-m", "toolkit"]):
        done = subprocess.run([*command, "split", str(path)], capture_output=True, text=True,
                              check=True)
        assert done.stdout == "s\t0\t   同志们：\ns\t1\t   要加强党的建设。\n"
