"""Tagging from Python and in bulk from the command line, as users run it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.labels import LABELS
from toolkit.paths import DEFAULT_MODEL_DIR
from toolkit.tag import TaggedUnit, Tagger

from .conftest import HEALTH_DIR, speech_file

BIN = Path(sys.executable).parent


def test_tag_speech_cleans_splits_and_tags(default_tagger):
    raw = "仅供学习 禁止外传\n在全县卫生健康工作会议上的讲话\n同志们：\n一、2021年工作回顾\n全年完成投资5亿元，同比增长12%。"
    tagged = default_tagger.tag_speech(raw)
    assert [t.text for t in tagged] == ["在全县卫生健康工作会议上的讲话", "同志们：", "一、2021年工作回顾",
                                        "全年完成投资5亿元，同比增长12%。"]
    assert all(isinstance(t, TaggedUnit) for t in tagged)
    unit = tagged[-1]
    assert unit.label == "achievement" and unit.section == ["一、2021年工作回顾"]
    assert set(unit.probabilities) == set(LABELS)
    assert abs(sum(unit.probabilities.values()) - 1) < 1e-6
    assert unit.confidence == max(unit.probabilities.values())
    assert unit.cues and all(isinstance(cue, str) for cue in unit.cues)


def test_tag_units_reads_units_in_context(default_tagger):
    units = [{"text": "二、存在的困难和问题"}, {"text": "一是基层基础仍然薄弱。"}]
    tagged = default_tagger.tag_units(units)
    assert [(t.doc_id, t.sent_id, t.label) for t in tagged] == [
        ("speech", 0, "problem"), ("speech", 1, "problem")]
    with pytest.raises(TypeError, match="use tag_speech for raw text"):
        default_tagger.tag_units("一是基层基础仍然薄弱。")


def test_tagger_load_accepts_a_directory(tmp_path):
    shutil.copytree(DEFAULT_MODEL_DIR, tmp_path / "default")
    tagger = Tagger.load(tmp_path / "default")
    assert tagger.labels == sorted(LABELS)


def run_tag(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "speechtag"), "tag", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_tag_to_stdout_keeps_input_order_and_columns(tmp_path):
    done = run_tag(str(speech_file("004")), str(speech_file("001")))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[0]["doc_id"].startswith("004_")
    assert rows[-1]["doc_id"].startswith("001_")
    assert list(rows[0]) == ["source", "doc_id", "sent_id", "text", "start", "end",
                             "heading_level", "section", "para_id", "label", "confidence",
                             *[f"p_{label}" for label in LABELS]]
    assert "tagged 327 units from 2 of 2 inputs" in done.stderr


def test_jsonl_units_are_tagged_as_given_and_formats_agree(tmp_path):
    source = HEALTH_DIR / "003_97f8dc4bf8a49888.jsonl"
    assert main(["tag", str(source), "-o", str(tmp_path / "a.csv")]) == 0
    assert main(["tag", str(source), "-o", str(tmp_path / "a.parquet")]) == 0
    assert main(["tag", str(source), "--jobs", "2", "-o", str(tmp_path / "a.jsonl")]) == 0
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    with open(tmp_path / "a.csv", encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    import pyarrow.parquet as pq

    parquet_rows = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert len(rows) == len(csv_rows) == len(parquet_rows) == 136
    assert [r["label"] for r in rows] == [r["label"] for r in csv_rows] == [
        r["label"] for r in parquet_rows]
    assert parquet_rows[5]["section"] == rows[5]["section"]


def test_directories_globs_and_parallel_runs_give_the_same_output(tmp_path):
    folder = speech_file("000").parent
    assert main(["tag", str(folder), "-o", str(tmp_path / "one.jsonl")]) == 0
    assert main(["tag", str(folder / "*.txt"), "--jobs", "2", "-o", str(tmp_path / "two.jsonl")]) == 0
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_a_bad_file_is_reported_and_skipped(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("同志们：\n要加强党的建设。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert main(["tag", str(bad), str(good), "-o", str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"speechtag: error: {bad}: expected a text or .docx file, found a PNG image." in err
    assert "tagged 2 units from 1 of 2 inputs" in err and "1 failed" in err
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2


def test_killed_run_resumes_to_the_same_output(tmp_path, corpus_dir):
    inputs = [str(corpus_dir / "gov-work-reports" / "national")]
    assert run_tag(*inputs, "-o", str(tmp_path / "whole.jsonl")).returncode == 0
    out = tmp_path / "resumed.jsonl"
    process = subprocess.Popen([str(BIN / "speechtag"), "tag", *inputs, "--resume", "-o", str(out)],
                               stderr=subprocess.DEVNULL)
    journal = Path(str(out) + ".partial.done")
    deadline = time.monotonic() + 120
    while not (journal.exists() and len(journal.read_text().splitlines()) >= 5):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not out.exists(), "a killed run must not leave OUT behind"
    resumed = run_tag(*inputs, "--resume", "-o", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
    assert not Path(str(out) + ".partial").exists()
