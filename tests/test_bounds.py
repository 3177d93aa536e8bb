"""Bounded everything: one byte limit on every read, .docx bombs, sent_id ranges, unit
texts that would break feature extraction, and bad files skipped in bulk. The limits
checked here are those of toolkit/limits.py, which the README's "Limits" section states.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.limits import (
    IDLE_TIMEOUT_SECONDS,
    MAX_DOCX_PARAGRAPHS,
    MAX_DOCX_PART_BYTES,
    MAX_FILE_BYTES,
    MAX_RSS_BYTES,
    MAX_UNITS,
)

BIN = Path(sys.executable).parent
SPEECH = "同志们：\n一、工作回顾\n全年完成投资5亿元，同比增长12%。"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>")
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(paragraphs: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'
            f"{paragraphs}</w:body></w:document>")


def write_docx(path: Path, document: str | bytes) -> Path:
    """A minimal, real .docx (what Word needs to open it) with ``document`` as its body."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return path


def paragraphs(*texts: str) -> str:
    return "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in texts)


def good_docx(path: Path) -> Path:
    return write_docx(path, document_xml(paragraphs(*SPEECH.splitlines())))


def tag(capsys, *args) -> tuple[int, list[dict], str]:
    code = main(["tag", *map(str, args)])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def one_error(err: str, where: str) -> str:
    """The one error line about ``where``; there is no traceback."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("speechtag: error: ")]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"speechtag: error: {where}: expected "), lines[0]
    return lines[0]


def test_the_readme_states_every_limit_of_the_module():
    import toolkit.limits as limits

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Limits"):readme.index("### Bad input")]
    for name in (n for n in dir(limits) if n.isupper()):
        value = getattr(limits, name)
        if name.endswith("_BYTES"):
            stated = f"{value // 2**30} GB" if value >= 2**30 else f"{value // 2**20} MB"
        elif name.endswith("_SECONDS"):
            stated = f"{value:g} s"
        else:
            stated = f"{value:,}"
        rows = [row for row in section.splitlines() if f"`{name}`" in row]
        assert rows and any(stated in row for row in rows), f"{name} = {stated}"


# Bounded reads: only regular files, and the same byte limit on every path.

def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    code, rows, err = tag(capsys, fifo)
    assert code == 1 and rows == [] and time.monotonic() - started < 30
    assert "found a named pipe (FIFO)" in one_error(err, str(fifo))


@pytest.mark.parametrize(("command", "found"), [
    (["tag", "/dev/zero"], "found a character device"),
    (["split", "/dev/zero"], "found a character device"),
    (["evaluate", "/dev/zero"], "found a character device"),
    (["import-labels", "/dev/zero", "-o", "{tmp}/out.jsonl"], "found a character device"),
    (["train", "--no-mlflow", "--config", "/dev/zero"], "found a character device"),
    (["split", "{tmp}"], "found a directory"),
    (["import-labels", "{tmp}", "-o", "{tmp}/out.jsonl"], "found a directory"),
])
def test_devices_and_directories_are_refused_on_every_path(tmp_path, capsys, command, found):
    code = main([part.format(tmp=tmp_path) for part in command])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert found in err, err


@pytest.mark.parametrize("name", ["big.txt", "big.jsonl", "big.docx"])
def test_every_input_kind_has_the_same_byte_limit(tmp_path, capsys, name):
    path = tmp_path / name
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    code, _, err = tag(capsys, path)
    assert code == 1
    assert f"expected at most {MAX_FILE_BYTES // 2**20} MB" in one_error(err, str(path))


def test_exports_and_configs_have_the_same_byte_limit(tmp_path, capsys):
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert main(["import-labels", str(big), "-o", str(tmp_path / "out.jsonl")]) == 1
    assert "MB" in one_error(capsys.readouterr().err, str(big))
    config = big.rename(tmp_path / "big.toml")
    assert main(["train", "--no-mlflow", "--config", str(config)]) == 1
    assert "MB" in one_error(capsys.readouterr().err, str(config))


def test_stdin_is_capped_at_the_same_limit():
    # /dev/zero as stdin never ends: the reader must stop at the limit, not at EOF.
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run([str(BIN / "speechtag"), "split", "-"], stdin=zero,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"<stdin>: expected at most {MAX_FILE_BYTES // 2**20} MB" in done.stderr


# .docx: zip bombs refused before parsing, broken packages one sentence each.

def test_a_million_paragraph_docx_is_refused_quickly(tmp_path, capsys):
    path = write_docx(tmp_path / "bomb.docx", document_xml("<w:p/>" * 1_000_000))
    assert path.stat().st_size < 200_000
    started = time.monotonic()
    code, _, err = tag(capsys, path)
    assert code == 1 and time.monotonic() - started < 20
    assert f"at most {MAX_DOCX_PARAGRAPHS} paragraphs" in one_error(err, str(path))


def test_a_docx_inflating_past_the_limit_is_refused(tmp_path, capsys):
    padding = " " * (MAX_DOCX_PART_BYTES + 1)
    path = write_docx(tmp_path / "huge.docx", document_xml(f"<!--{padding}-->"))
    code, _, err = tag(capsys, path)
    assert code == 1
    assert f"at most {MAX_DOCX_PART_BYTES // 2**20} MB of XML" in one_error(err, str(path))


def test_a_docx_whose_declared_size_lies_is_refused(tmp_path, capsys):
    path = write_docx(tmp_path / "liar.docx", document_xml(" " * 10_000_000))
    data = bytearray(path.read_bytes())
    # The last central-directory entry is word/document.xml's; its size field says 100.
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    code, _, err = tag(capsys, path)
    assert code == 1 and "found a broken package" in one_error(err, str(path))


@pytest.mark.parametrize(("name", "make"), [
    ("broken-xml.docx", lambda p: write_docx(p, document_xml("<w:p><w:r><w:t>好</w:p>"))),
    ("broken-deflate.docx", lambda p: _corrupt_deflate(good_docx(p))),
    ("no-document.docx", lambda p: _without_document(p)),
])
def test_broken_docx_is_one_sentence_naming_the_file(tmp_path, capsys, name, make):
    path = tmp_path / name
    make(path)
    code, rows, err = tag(capsys, path)
    assert code == 1 and rows == []
    assert "expected a Word .docx document, found a broken package" in one_error(err, str(path))


def _corrupt_deflate(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    path.write_bytes(bytes(data))
    return path


def _without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
    return path


# A bad file is skipped, never fatal, in every command taking many inputs.

def bad_and_good(tmp_path: Path) -> list[Path]:
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_text(SPEECH, encoding="utf-8")
    write_docx(tmp_path / "b.docx", document_xml("<w:p><w:r><w:t>好</w:p>"))
    _corrupt_deflate(good_docx(tmp_path / "c.docx"))
    good_docx(tmp_path / "d.docx")
    return sorted(tmp_path.iterdir())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bulk_tag_skips_broken_docx_with_any_number_of_jobs(tmp_path, jobs):
    inputs = bad_and_good(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    done = subprocess.run([str(BIN / "speechtag"), "tag", *map(str, inputs), "-o", str(out),
                           "--jobs", jobs], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "MaybeEncodingError" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("speechtag: error")]
    assert [line.split(":")[2].strip() for line in errors] == [str(inputs[1]), str(inputs[2])]
    assert "tagged 6 units from 2 of 4 inputs" in done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["source"] for row in rows] == [str(inputs[0])] * 3 + [str(inputs[3])] * 3
    # Nothing half-done is left behind, so --resume starts clean and yields the same rows.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]
    first = out.read_bytes()
    again = subprocess.run([str(BIN / "speechtag"), "tag", *map(str, inputs), "-o", str(out),
                            "--jobs", jobs, "--resume"], capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert out.read_bytes() == first


@pytest.mark.parametrize("command", [
    ["report", "-o", "{tmp}/report.html"],
    ["prelabel", "-o", "{tmp}/tasks.json"],
    ["suggest", "-n", "2", "-o", "{tmp}/next.json", "--pool"],
    ["weak-label", "-o", "{tmp}/silver.jsonl"],
])
def test_other_bulk_commands_skip_a_bad_file_and_exit_1(tmp_path, capsys, command):
    inputs = bad_and_good(tmp_path / "in")
    code = main([part.format(tmp=tmp_path) for part in command] + list(map(str, inputs)))
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("speechtag: error")]
    assert len(errors) == 2 and all(line.endswith("(skipped)") for line in errors)
    written = next(p for p in tmp_path.iterdir() if p.is_file()).read_text(encoding="utf-8")
    assert '"a"' in written or '"d"' in written


# sent_id ranges and unit texts.

def test_a_huge_sent_id_in_an_export_is_refused_at_once(tmp_path, capsys):
    export = tmp_path / "export.json"
    tasks = [{"doc_id": "a", "sent_id": n, "text": "好", "label": "other"} for n in (0, 10**15)]
    export.write_text(json.dumps(tasks), encoding="utf-8")
    started = time.monotonic()
    code = main(["import-labels", str(export), "-o", str(tmp_path / "out.jsonl"),
                 "--allow-unlabelled"])
    assert code == 1 and time.monotonic() - started < 10
    line = one_error(capsys.readouterr().err, "a")
    assert f"below {MAX_UNITS}" in line and "found 1000000000000000" in line


def test_gaps_in_sent_ids_are_still_named(tmp_path, capsys):
    export = tmp_path / "export.json"
    tasks = [{"doc_id": "a", "sent_id": n, "text": "好", "label": "other"} for n in (0, 1, 5)]
    export.write_text(json.dumps(tasks), encoding="utf-8")
    assert main(["import-labels", str(export), "-o", str(tmp_path / "out.jsonl")]) == 1
    assert "found 3 missing, the first sent_id 2" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "found"), [
    ("同志们\x00好", "found a NUL character at character offset 3"),
    ("好\ud800", "found an unpaired surrogate at character offset 1"),
])
def test_unit_texts_that_break_features_are_refused_with_file_and_line(tmp_path, capsys,
                                                                      text, found):
    path = tmp_path / "units.jsonl"
    rows = [{"doc_id": "a", "sent_id": 0, "text": "同志们："},
            {"doc_id": "a", "sent_id": 1, "text": text}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    code, rows, err = tag(capsys, path)
    assert code == 1 and rows == []
    assert found in one_error(err, f"{path}:2")


def test_the_python_api_refuses_the_same_texts(default_tagger):
    from toolkit.errors import InputError

    for text in ("同志们\x00好", "好\ud800"):
        with pytest.raises(InputError, match=r"found a NUL|found an unpaired surrogate"):
            default_tagger.tag_units([{"text": "同志们："}, {"text": text}])
    # Other control characters are kept, as in files, and tagged.
    assert len(default_tagger.tag_units([{"text": "要\x01加强\x1f建设。"}])) == 1


# Memory: a ceiling for any single input, measured on the worst cases.

_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""


def peak_rss(*command: str) -> int:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                          text=True, timeout=900, check=True)
    return int(done.stdout)


def test_memory_stays_under_the_ceiling_for_the_largest_inputs(tmp_path):
    # Short units, as many as a speech may have, fill the most rows; the file as
    # large as allowed.
    sentence = "要加快推进县医院扩建项目建设，全面提升基层医疗卫生服务能力和水平，确保落实。"
    lines = MAX_FILE_BYTES // (len(sentence.encode()) + 1)
    text = tmp_path / "max.txt"
    text.write_text("\n".join([sentence] * min(lines, MAX_UNITS - 1)), encoding="utf-8")
    # The largest .docx the limits admit: as many paragraphs as a speech may have units,
    # each in several formatted runs, up to the size of XML allowed.
    run = '<w:r><w:rPr><w:rFonts w:ascii="SimSun"/><w:sz w:val="28"/></w:rPr><w:t>要加强</w:t></w:r>'
    runs = (MAX_DOCX_PART_BYTES - 4096) // (MAX_UNITS - 1) // len(run.encode())
    docx = write_docx(tmp_path / "max.docx", document_xml(
        f"<w:p>{run * runs}<w:r><w:t>。</w:t></w:r></w:p>" * (MAX_UNITS - 1)))
    assert docx.stat().st_size < MAX_FILE_BYTES
    for path in (text, docx):
        rss = peak_rss(str(BIN / "speechtag"), "tag", str(path), "-o", str(tmp_path / "o.jsonl"))
        assert rss < MAX_RSS_BYTES, f"{path.name}: {rss / 2**20:.0f} MB"


# HTTP: header and idle deadlines, bad uploads as 4xx with the CLI's sentence.

@pytest.fixture(scope="module")
def quick_server():
    from .conftest import running_server

    with running_server(None, "--header-timeout", "1") as url:
        yield url


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends before it closes ``sock``; fails if it is still open."""
    sock.settimeout(seconds)
    received = b""
    while chunk := sock.recv(4096):
        received += chunk
    return received


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def test_a_connection_that_sends_nothing_is_closed(quick_server):
    with _connect(quick_server) as sock:
        assert _closed_within(sock, 15).startswith(b"HTTP/1.1 408")


def test_trickled_headers_do_not_keep_a_connection_open(quick_server):
    with _connect(quick_server) as sock:
        started = time.monotonic()
        with pytest.raises(OSError):  # the server closes it while we still write
            for byte in b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
                sock.sendall(bytes([byte]))
                time.sleep(0.1)
                assert time.monotonic() - started < 15, "still open after 15 s"


def test_an_idle_kept_alive_connection_is_closed(quick_server):
    with _connect(quick_server) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _closed_within(sock, IDLE_TIMEOUT_SECONDS + 15).startswith(b"HTTP/1.1 200")


def _post(url: str, path: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(f"{url}{path}", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("make", [
    lambda p: write_docx(p, document_xml("<w:p><w:r><w:t>好</w:p>")),
    lambda p: _corrupt_deflate(good_docx(p)),
    lambda p: write_docx(p, document_xml("<w:p/>" * 1_000_000)),
])
def test_a_bad_upload_is_a_4xx_with_the_cli_sentence(quick_server, tmp_path, capsys,
                                                      monkeypatch, make):
    monkeypatch.chdir(tmp_path)
    make(tmp_path / "speech.docx")
    _, _, err = tag(capsys, "speech.docx")
    sentence = one_error(err, "speech.docx").removeprefix("speechtag: error: ")
    status, body = _post(quick_server, "/v1/tag-file?name=speech.docx",
                         (tmp_path / "speech.docx").read_bytes())
    assert status == 422 and body["error"] == sentence.removesuffix(" (skipped)")


@pytest.mark.parametrize("text", ["同志们\x00好", "好\ud800"])
def test_unit_texts_over_http_are_refused_like_on_the_cli(quick_server, text):
    body = json.dumps({"units": [{"text": "同志们："}, {"text": text}]}).encode()
    status, answer = _post(quick_server, "/v1/tag", body)
    # A lone surrogate is no valid string to the request schema: 422 naming units.1.text.
    assert status == 422 and re.search(r"NUL character|unicode string", json.dumps(answer)), answer
