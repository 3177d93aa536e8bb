"""`speechtag report` (one self-contained HTML file) and the page's API: `/`, `/v1/tag-file`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from toolkit.bulk import COLUMNS
from toolkit.labels import LABELS
from toolkit.paths import ROOT
from toolkit.report import build_html

from .conftest import running_server

BIN = Path(sys.executable).parent
SAMPLE = ROOT / "examples" / "sample_speech.txt"
TOKEN = "report-token-456"
GBK_SPEECH = "同志们：\n二、存在的问题\n一是基层基础仍然薄弱。\n三、今年工作安排\n要加快推进县医院扩建项目建设。"
DATA = re.compile(r'<script id="speechtag-data" type="application/json">(.*?)</script>', re.DOTALL)


def speechtag(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "speechtag"), *args], capture_output=True, text=True,
                          timeout=300)


def embedded(html: str) -> dict:
    match = DATA.search(html)
    assert match, "no embedded data"
    return json.loads(match[1])


def test_report_is_self_contained_with_the_units_of_the_python_api(tmp_path, default_tagger):
    out = tmp_path / "report.html"
    result = speechtag("report", str(SAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'src="http' not in html and 'href="http' not in html
    assert not re.search(r'(src|href)="(?!data:|#)', html), "every asset must be inlined"
    data = embedded(html)
    expected = default_tagger.tag_speech(SAMPLE.read_text(encoding="utf-8"), "sample_speech")
    units = data["speeches"][0]["units"]
    assert [(u["text"], u["label"]) for u in units] == [(u.text, u.label) for u in expected]
    assert data["model"] == default_tagger.name
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"], "no temporary file is left"


def test_embedded_json_cannot_end_its_script_element():
    text = "</script><script>alert(1)</script><!-- 同志们"
    units = [{"text": text, "label": "other", "confidence": 1.0, "probabilities": {}}]
    html = build_html([{"title": "x", "source": "", "units": units}], "m")
    payload = DATA.search(html)[1]
    assert "<" not in payload
    assert json.loads(payload)["speeches"][0]["units"][0]["text"] == text


def test_several_inputs_make_one_report_and_a_bad_file_is_skipped(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(GBK_SPEECH.encode("gbk"))
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    result = speechtag("report", str(SAMPLE), str(tmp_path / "gbk.txt"),
                       str(tmp_path / "image.txt"), "-o", str(out))
    assert result.returncode == 1
    assert "speechtag: error:" in result.stderr and "a PNG image" in result.stderr
    assert "Traceback" not in result.stderr
    data = embedded(out.read_text(encoding="utf-8"))
    assert [s["title"] for s in data["speeches"]] == ["sample_speech", "gbk"]
    assert data["speeches"][1]["units"][0]["text"] == "同志们："


@pytest.mark.parametrize(("output", "message"), [
    ("missing/report.html", "expected an output path in an existing directory"),
    (".", "expected an output file, found a directory"),
])
def test_bad_output_gives_one_clear_error(tmp_path, output, message):
    result = subprocess.run([str(BIN / "speechtag"), "report", str(SAMPLE), "-o", output],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 1 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_only_bad_inputs_write_nothing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = speechtag("report", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 1 and "expected at least one readable speech" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["empty.txt"]


@pytest.fixture(scope="module")
def server():
    with running_server(TOKEN, "--max-bytes", "100000") as url:
        yield url


def upload(url: str, data: bytes, name: str, token: str | None = TOKEN):
    request = urllib.request.Request(f"{url}/v1/tag-file?name={urllib.request.quote(name)}",
                                     data=data, method="POST")
    request.add_header("Content-Type", "application/octet-stream")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_tag_file_reads_gbk_text(server, default_tagger):
    status, body = upload(server, GBK_SPEECH.encode("gbk"), "讲话.txt")
    assert status == 200
    expected = default_tagger.tag_speech(GBK_SPEECH, "讲话")
    assert [(u["text"], u["label"], u["doc_id"]) for u in body["units"]] == \
        [(u.text, u.label, u.doc_id) for u in expected]


def test_tag_file_reads_docx(server):
    from docx import Document

    doc = Document()
    for line in GBK_SPEECH.split("\n"):
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    status, body = upload(server, buffer.getvalue(), "speech.docx")
    assert status == 200
    assert [u["text"] for u in body["units"]] == GBK_SPEECH.split("\n")
    assert body["units"][2]["label"] == "problem"


@pytest.mark.parametrize(("data", "name", "status", "message"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "x.txt", 422, "found a PNG image"),
    (b"PK\x03\x04" + bytes(40), "x.docx", 422, "a broken package"),
    (b"", "x.txt", 422, "found an empty file"),
    ("好".encode() * 40_000, "x.txt", 413, "over the limit of 100000 bytes"),
])
def test_tag_file_refuses_bad_input_with_json(server, data, name, status, message):
    answer = upload(server, data, name)
    assert answer[0] == status and message in answer[1]["error"]


def test_tag_file_needs_the_token_but_the_page_does_not(server):
    assert upload(server, GBK_SPEECH.encode(), "x.txt", token=None)[0] == 401
    for path, kind in [("/", "text/html"), ("/static/app.js", "javascript"),
                       ("/static/style.css", "text/css")]:
        with urllib.request.urlopen(f"{server}{path}", timeout=10) as response:
            assert response.status == 200 and kind in response.headers["content-type"]


def test_the_scripts_know_the_labels_and_columns_of_the_toolkit():
    static = ROOT / "toolkit" / "static"
    render = (static / "render.js").read_text(encoding="utf-8")
    assert re.findall(r'"(\w+)"', re.search(r"S\.LABELS = \[(.*?)\]", render)[1]) == list(LABELS)
    export = (static / "export.js").read_text(encoding="utf-8")
    listed = re.search(r"const COLUMNS = \[(.*?)\.\.\.S\.LABELS", export, re.DOTALL)[1]
    assert [*re.findall(r'"(\w+)"', listed), *(f"p_{label}" for label in LABELS)] == COLUMNS
