"""`speechtag profile` and toolkit.profile: figures against a hand count, inputs of every kind,
years and regions from metadata, figures on disk, and bad input reported in one line."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from toolkit.bulk import COLUMNS, csv_row
from toolkit.cli import main
from toolkit.labels import CHINESE_NAMES, COLOURS, LABELS
from toolkit.paths import PACKAGE_DIR, ROOT
from toolkit.profile import CONTRACT, profile_rows, read_meta_csv

from .conftest import HEALTH_DIR
from .test_cli_startup import loaded

SAMPLE = ROOT / "examples" / "sample_speech.txt"
SOURCE = "reports/city/2021.txt"
# A tiny tagged speech; the lengths and the sums below are counted by hand.
UNITS = [  # (label, text, characters, confidence, section)
    ("other", "同志们：", 4, 0.9, []),
    ("achievement", "去年完成投资十亿元。", 10, 0.8, []),
    ("achievement", "新建学校三所。", 7, 1.0, []),
    ("problem", "一是基础仍然薄弱。", 9, 0.7, []),
    ("task", "一、今年工作安排", 8, 0.95, []),
    ("task", "要加快推进项目建设。", 10, 0.85, ["一、今年工作安排"]),
    ("task", "要确保按期完工。", 8, 0.75, ["一、今年工作安排"]),
    ("exhortation", "希望大家真抓实干！", 9, 0.65, ["一、今年工作安排"]),
]
HAND_COUNT = {
    "group": "2021", "units": 8, "chars": 65,
    "units_achievement": 2, "chars_achievement": 17, "share_achievement": 0.25,
    "units_problem": 1, "chars_problem": 9, "share_problem": 0.125,
    "units_task": 3, "chars_task": 26, "share_task": 0.375,
    "units_exhortation": 1, "chars_exhortation": 9, "share_exhortation": 0.125,
    "units_other": 1, "chars_other": 4, "share_other": 0.125,
    "mean_confidence": 0.825, "problem_to_achievement": 0.5,
}


def tagged_rows(source: str = SOURCE, doc_id: str = "2021") -> list[dict]:
    rows = []
    for sent_id, (label, text, chars, confidence, section) in enumerate(UNITS):
        assert len(text) == chars
        rows.append({"source": source, "doc_id": doc_id, "sent_id": sent_id, "text": text,
                     "heading_level": 1 if text.startswith("一、") else 0, "section": section,
                     "label": label, "confidence": confidence,
                     **{f"p_{other}": float(other == label) for other in LABELS}})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def approx_rows(rows: list[dict]) -> list[dict]:
    return [{k: pytest.approx(v) if isinstance(v, float) else v for k, v in r.items()}
            for r in rows]


def test_profile_rows_equal_the_hand_count():
    (row,) = profile_rows(tagged_rows())
    assert list(row) == [*CONTRACT, "problem_to_achievement"]
    assert row == approx_rows([HAND_COUNT])[0]


def test_the_table_file_has_the_contract_columns_and_the_hand_count(tmp_path, capsys):
    data = write_jsonl(tmp_path / "tagged.jsonl", tagged_rows())
    assert main(["profile", str(data), "-o", str(tmp_path / "table.csv")]) == 0
    assert main(["profile", str(data), "-o", str(tmp_path / "table.json")]) == 0
    with open(tmp_path / "table.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [*CONTRACT, "problem_to_achievement"]
        (row,) = list(reader)
    assert {k: str(v) for k, v in HAND_COUNT.items()} == row
    assert json.loads((tmp_path / "table.json").read_text(encoding="utf-8")) == [HAND_COUNT]
    assert main(["profile", str(data)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == ["group", "units", "chars", "成绩%", "问题%", "任务%", "号召%",
                                  "其他%", "confidence", "问题/成绩"]
    assert printed[1].split() == ["2021", "8", "65", "25.0", "12.5", "37.5", "12.5", "12.5",
                                  "0.825", "0.50"]


def test_raw_speeches_are_profiled_as_tag_tags_them(tmp_path):
    tagged = tmp_path / "sample.jsonl"
    assert main(["tag", str(SAMPLE), "-o", str(tagged)]) == 0
    for name in ("sample.csv", "sample.parquet"):
        assert main(["tag", str(SAMPLE), "-o", str(tmp_path / name)]) == 0
    tables = []
    for source in (SAMPLE, tagged, tmp_path / "sample.csv", tmp_path / "sample.parquet"):
        out = tmp_path / f"{source.name}.json"
        assert main(["profile", str(source), "-o", str(out)]) == 0
        tables.append(json.loads(out.read_text(encoding="utf-8")))
    rows = [json.loads(line) for line in tagged.read_text(encoding="utf-8").splitlines()]
    assert tables[0] == tables[1] == tables[2] == tables[3] == profile_rows(rows)
    assert tables[0][0]["units"] == len(rows) and tables[0][0]["group"] == "sample_speech"
    # Two processes send back their sums, not their rows: the same table.
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "both.json"
    assert main(["profile", str(SAMPLE), str(copy), "--jobs", "2", "-o", str(out)]) == 0
    copied = [{**row, "source": str(copy), "doc_id": "copy"} for row in rows]
    assert json.loads(out.read_text(encoding="utf-8")) == profile_rows(rows + copied)


def test_labelled_datasets_are_profiled_by_their_gold_labels(tmp_path):
    out = tmp_path / "health.json"
    assert main(["profile", str(HEALTH_DIR), "-o", str(out)]) == 0
    table = {row["group"]: row for row in json.loads(out.read_text(encoding="utf-8"))}
    for path in sorted(HEALTH_DIR.glob("*.jsonl")):
        gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        row = table[path.stem]
        assert row["units"] == len(gold)
        assert row["chars"] == sum(len(unit["text"]) for unit in gold)
        for label in LABELS:
            assert row[f"units_{label}"] == sum(unit["label"] == label for unit in gold)
        assert row["mean_confidence"] is None


def test_profile_of_tagged_output_loads_no_model(tmp_path):
    data = write_jsonl(tmp_path / "tagged.jsonl", tagged_rows())
    code, heavy, commands = loaded("profile", str(data))
    assert code == 0
    assert heavy.isdisjoint({"sklearn", "skops", "jieba", "matplotlib", "mlflow"})
    assert commands == {"profile_command"}


def test_years_come_from_meta_then_the_file_name_then_the_front_matter(tmp_path):
    front = tmp_path / "report.txt"
    front.write_text("---\ntitle: 2003年政府工作报告\nsource: x\n---\n各位代表：\n", "utf-8")
    rows = (tagged_rows("corpus/national/1954.txt", "1954")
            + tagged_rows("corpus/national/1964-part.txt", "1964-part")
            + tagged_rows(str(front), "report") + tagged_rows("congress12.txt", "congress12"))
    by_name = profile_rows(rows, by="year")
    assert [row["group"] for row in by_name] == ["1954", "1964", "2003", "(unknown)"]
    meta = tmp_path / "INDEX.csv"
    meta.write_text("file,level,region,year,title\n"
                    "national/1954.txt,national,国务院,1955,\n"
                    "national/1964-part.txt,national,国务院,,\n"
                    "congress12.txt,congress,中共中央,1982,\n", encoding="utf-8")
    by_meta = profile_rows(rows, by="year", meta=read_meta_csv(meta))
    assert [row["group"] for row in by_meta] == ["1955", "1964", "1982", "2003"]
    assert all(row["units"] == 8 for row in by_meta)
    by_region = profile_rows(rows, by="region", meta=read_meta_csv(meta))
    assert [(row["group"], row["units"]) for row in by_region] == [
        ("中共中央", 8), ("国务院", 16), ("(unknown)", 8)]


def test_cli_by_year_with_meta_writes_a_png_trend(tmp_path):
    data = write_jsonl(tmp_path / "tagged.jsonl",
                       tagged_rows("a/1990.txt", "1990") + tagged_rows("a/x.txt", "x"))
    meta = tmp_path / "meta.csv"
    meta.write_text("file,year\na/x.txt,2000\n", encoding="utf-8")
    figure = tmp_path / "trend.png"
    table = tmp_path / "trend.csv"
    assert main(["profile", str(data), "--by", "year", "--meta", str(meta), "-o", str(table),
                 "--plot", str(figure)]) == 0
    assert [row["group"] for row in csv.DictReader(table.open(encoding="utf-8"))] == [
        "1990", "2000"]
    assert figure.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert [p.name for p in sorted(tmp_path.iterdir())] == [
        "meta.csv", "tagged.jsonl", "trend.csv", "trend.png"]


def test_a_doc_profile_plots_as_svg_with_the_label_colours(tmp_path):
    data = write_jsonl(tmp_path / "tagged.jsonl",
                       tagged_rows("a/one.txt", "one") + tagged_rows("b/two.txt", "two"))
    figure = tmp_path / "docs.svg"
    assert main(["profile", str(data), "--plot", str(figure)]) == 0
    root = ET.parse(figure).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    svg = figure.read_text(encoding="utf-8")
    for label in LABELS:
        assert COLOURS[label] in svg


def test_labels_have_the_page_colours_and_names():
    css = (PACKAGE_DIR / "static" / "style.css").read_text(encoding="utf-8")
    js = (PACKAGE_DIR / "static" / "render.js").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--(\w+): (#[0-9a-f]{6})", css))
    assert {label: variables[label] for label in LABELS} == COLOURS
    names = re.search(r"S\.NAMES = \{(.*?)\}", js)[1]
    assert dict(re.findall(r'(\w+): "(\w+)"', names)) == CHINESE_NAMES


def test_same_doc_ids_in_different_folders_stay_apart():
    rows = tagged_rows("p/云南省/2010.txt", "2010") + tagged_rows("p/吉林省/2010.txt", "2010")
    assert [row["group"] for row in profile_rows(rows)] == ["p/云南省/2010", "p/吉林省/2010"]


@pytest.mark.parametrize(("argv", "message"), [
    (["missing.jsonl"], "missing.jsonl: expected an existing file, directory or glob"),
    (["{data}", "--by", "province"], "--by: expected doc, year, or a field"),
    (["{data}", "--meta", "{bad_meta}"], "meta.csv:3: expected 2 fields as in the header, found 3"),
    (["{data}", "--meta", "{no_key}"], "keys.csv:1: expected a header with a file or doc_id"),
    (["{data}", "-o", "{data}.txt"], "expected a .csv or .json file name"),
    (["{data_csv}", "-o", "{data_csv}"], "expected an output file that is none of the inputs"),
    (["{data}", "--plot", "{data}.pdf"], "expected a .png or .svg file name"),
    (["{bad_rows}"], "bad.jsonl:2: expected a label in achievement"),
    (["{data}", "--jobs", "0"], "--jobs: expected a number ≥ 1"),
])
def test_bad_input_is_one_line_and_exit_1(tmp_path, capsys, argv, message):
    data = write_jsonl(tmp_path / "tagged.jsonl", tagged_rows())
    (tmp_path / "meta.csv").write_text("file,year\na.txt,2001\nb.txt,2002,extra\n", "utf-8")
    (tmp_path / "keys.csv").write_text("name,year\na.txt,2001\n", "utf-8")
    bad = tagged_rows()[:2]
    bad[1]["label"] = "success"
    write_jsonl(tmp_path / "bad.jsonl", bad)
    with open(tmp_path / "tagged.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(csv_row(row) for row in tagged_rows())
    paths = {"data": data, "data_csv": tmp_path / "tagged.csv", "bad_meta": tmp_path / "meta.csv", "no_key": tmp_path / "keys.csv",
             "bad_rows": tmp_path / "bad.jsonl"}
    before = sorted(tmp_path.iterdir())
    code = main(["profile", *[arg.format(**paths) for arg in argv]])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert "Traceback" not in err and err.count("speechtag: error:") == 1
    assert sorted(tmp_path.iterdir()) == before


def test_profile_of_raw_reports_by_year_with_the_corpus_index(tmp_path, corpus_dir):
    national = corpus_dir / "gov-work-reports" / "national"
    reports = [str(national / name) for name in ("1954.txt", "2024.txt")]
    out = tmp_path / "years.json"
    assert main(["profile", *reports, "--by", "year", "--jobs", "2",
                 "--meta", str(corpus_dir / "gov-work-reports" / "INDEX.csv"), "-o", str(out)]) == 0
    table = json.loads(out.read_text(encoding="utf-8"))
    assert [row["group"] for row in table] == ["1954", "2024"]
    assert all(row["units"] > 100 and row["units_task"] > 0 for row in table)
