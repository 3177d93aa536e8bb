"""The overview a report of several speeches opens with: its numbers are those of
`speechtag profile` on the same speeches, with years and regions from --meta or the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.paths import DATASETS_DIR

from .test_report import DATA, SAMPLE, embedded

WRITTEN = DATASETS_DIR / "written" / "raw"


def corpus(tmp_path: Path) -> tuple[list[Path], Path]:
    """Four speeches (one with a year in its name) and a metadata table for three of them."""
    folder = tmp_path / "speeches"
    folder.mkdir()
    files = [folder / "sample_speech.txt", folder / "审计2024.txt", folder / "ws-courts-1.txt",
             folder / "ws-water-2.txt"]
    for source, target in zip([SAMPLE, WRITTEN / "ws-audit-1.txt", WRITTEN / "ws-courts-1.txt",
                               WRITTEN / "ws-water-2.txt"], files, strict=True):
        shutil.copyfile(source, target)
    meta = tmp_path / "meta.csv"
    meta.write_text("file,year,region,level\n"
                    "speeches/sample_speech.txt,2021,云南省,city\n"
                    "ws-courts-1.txt,2019,吉林省,provincial\n"
                    "ws-water-2,,吉林省,provincial\n", encoding="utf-8")
    return files, meta


def report_data(files: list[Path], out: Path, *options: str) -> dict:
    assert main(["report", *map(str, files), "-o", str(out), *options]) == 0
    return embedded(out.read_text(encoding="utf-8"))


def profile_json(files: list[Path], out: Path, *options: str) -> list[dict]:
    assert main(["profile", *map(str, files), "-o", str(out), *options]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_overview_holds_the_profile_of_the_same_speeches(tmp_path):
    files, meta = corpus(tmp_path)
    data = report_data(files, tmp_path / "report.html", "--meta", str(meta), "--by", "region")
    overview = data["overview"]
    assert overview["table"] == profile_json(files, tmp_path / "doc.json", "--meta", str(meta))
    assert overview["chart"] == profile_json(files, tmp_path / "region.json", "--meta", str(meta),
                                             "--by", "region")
    assert [row["group"] for row in overview["table"]] == \
        [s["title"] for s in data["speeches"]] == ["sample_speech", "审计2024", "ws-courts-1",
                                                   "ws-water-2"]
    assert [row["units"] for row in overview["table"]] == \
        [len(s["units"]) for s in data["speeches"]]
    assert overview["by"] == "region" and overview["fields"] == ["year", "region"]
    # The metadata's year, else the file name's; the region from the metadata only.
    assert overview["speeches"] == [{"year": "2021", "region": "云南省"},
                                    {"year": "2024", "region": None},
                                    {"year": "2019", "region": "吉林省"},
                                    {"year": None, "region": "吉林省"}]
    assert [row["group"] for row in overview["chart"]] == ["云南省", "吉林省", "(unknown)"]


def test_by_a_metadata_column_adds_it_to_the_table(tmp_path):
    files, meta = corpus(tmp_path)
    overview = report_data(files, tmp_path / "report.html", "--meta", str(meta),
                           "--by", "level")["overview"]
    assert overview["fields"] == ["year", "region", "level"]
    assert [s["level"] for s in overview["speeches"]] == ["city", None, "provincial",
                                                          "provincial"]
    assert overview["chart"] == profile_json(files, tmp_path / "level.json", "--meta", str(meta),
                                             "--by", "level")


def test_without_meta_the_year_comes_from_the_file_and_the_chart_is_per_speech(tmp_path):
    files, _ = corpus(tmp_path)
    overview = report_data(files[:2], tmp_path / "report.html")["overview"]
    assert overview["fields"] == ["year"]
    assert overview["speeches"] == [{"year": None}, {"year": "2024"}]
    assert overview["chart"] == overview["table"]


def test_one_speech_keeps_the_report_without_an_overview(tmp_path):
    data = report_data([SAMPLE], tmp_path / "report.html", "--by", "year")
    assert set(data) == {"title", "model", "speeches"}


def test_the_page_script_draws_the_overview_and_nothing_is_fetched(tmp_path):
    files, _ = corpus(tmp_path)
    html = (tmp_path / "report.html")
    report_data(files[:3], html)
    text = html.read_text(encoding="utf-8")
    assert "S.overview = function" in text and 'id="overview"' in text
    assert "http://" not in DATA.sub("", text) and "https://" not in DATA.sub("", text)


@pytest.mark.parametrize(("options", "message"), [
    (["--by", "province"], "--by: expected doc, year, or a field of the rows or of --meta"),
    (["--meta", "{tmp}/missing.csv"], "missing.csv"),
    (["--meta", "{tmp}/bad.csv"], "bad.csv:1: expected a header with a file or doc_id column"),
    (["-o", "{tmp}/speeches/sample_speech.txt"], "expected an output file that is none of the inputs"),
])
def test_bad_options_give_one_line_and_write_nothing(tmp_path, capsys, options, message):
    files, _ = corpus(tmp_path)
    (tmp_path / "bad.csv").write_text("name,year\na.txt,2020\n", encoding="utf-8")
    options = [option.format(tmp=tmp_path) for option in options]
    before = {path: path.read_bytes() for path in files}
    argv = ["report", *map(str, files), *options]
    if "-o" not in options:
        argv += ["-o", str(tmp_path / "report.html")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "report.html").exists()
    assert {path: path.read_bytes() for path in files} == before
