"""Reading files: encodings detected, .docx paragraphs in order, bad input refused clearly."""

from __future__ import annotations

import codecs
import io
import re

import pytest

from toolkit.errors import InputError
from toolkit.read import decode_bytes, read_document

SPEECH = "同志们：\n今天召开全县卫生健康工作会议。一是健康扶贫取得阶段性胜利。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_simplified_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "speech.txt"
    path.write_bytes(SPEECH.encode(encoding))
    assert read_document(path).text == SPEECH


def test_big5_traditional_text_is_detected(tmp_path):
    text = "同志們：\n今天召開全縣衛生健康工作會議，總結過去一年的工作。"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    document = read_document(path)
    assert (document.text, document.encoding) == (text, "big5")


def test_short_gbk_file_is_read(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("要加强党的建设。".encode("gbk"))
    assert read_document(path).text == "要加强党的建设。"


def test_utf16_without_bom_is_detected():
    assert decode_bytes(SPEECH.encode("utf-16-le"), "x.txt").text == SPEECH


def test_utf8_cut_in_last_character_is_read_with_a_warning():
    data = SPEECH.encode("utf-8") + "健".encode()[:2]
    document = decode_bytes(data, "cut.txt")
    assert document.text == SPEECH
    assert document.warnings == [
        f"cut.txt: the last character is cut off at byte offset {len(SPEECH.encode())}; "
        "read the text before it"
    ]


def test_docx_paragraphs_in_order(tmp_path):
    from docx import Document

    doc = Document()
    for line in ("在全县卫生健康工作会议上的讲话", "同志们：", "一、2021年工作回顾"):
        doc.add_paragraph(line)
    path = tmp_path / "speech.docx"
    doc.save(path)
    assert read_document(path).text == "在全县卫生健康工作会议上的讲话\n同志们：\n一、2021年工作回顾"


def test_docx_that_is_plain_text_is_read_as_text(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text(SPEECH, encoding="utf-8")
    assert read_document(path).text == SPEECH


def test_stdin_dash(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SPEECH.encode("gb18030"))))
    assert read_document("-").text == SPEECH


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"", "an empty file"),
        (b" \n\t\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "a PNG image"),
        (b"PK\x03\x04" + bytes(64), "a zip archive"),
        (b"abc\x00\x01\x02\xff\xfe\x00\x00\x00\x9c", "a NUL byte at byte offset 3 (binary data)"),
    ],
)
def test_unreadable_input_is_refused_with_file_and_found(tmp_path, data, found):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(f"{path}: expected ")) as error:
        read_document(path)
    assert f"found {found}" in str(error.value)


def test_directory_is_refused(tmp_path):
    with pytest.raises(InputError, match=re.escape(f"{tmp_path}: expected a file, found a directory")):
        read_document(tmp_path)


def test_bad_utf16_after_bom_is_refused():
    with pytest.raises(InputError, match="valid utf-16 after its byte-order mark"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "odd.txt")
