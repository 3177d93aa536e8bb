"""Read a .docx's paragraphs without letting a zip bomb or broken package take the machine.

A .docx is a zip of XML parts. Before python-docx parses anything, every part is inflated
once, in chunks, and counted: a part or the whole that would inflate past the limits, or
a main document with more paragraphs than a speech could have, is refused having used
at most one chunk of memory more than the limit allows. Anything the package then fails
on — broken XML, a bad deflate stream, missing parts — is one sentence naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile

from toolkit.errors import InputError
from toolkit.limits import (
    MAX_DOCX_ENTRIES,
    MAX_DOCX_PARAGRAPHS,
    MAX_DOCX_PART_BYTES,
    MAX_DOCX_TOTAL_BYTES,
)

_CHUNK = 1024 * 1024
# A paragraph element of WordprocessingML (<w:p>, <w:p/> or <w:p attr…>), not <w:pPr>.
_PARAGRAPH = re.compile(rb"<w:p[\s/>]")
_FIX = "Open and re-save it in Word or LibreOffice, or save it as .txt."


def read_docx(data: bytes, source: str) -> str:
    """The text of a .docx: body paragraphs in order, then table cells, one per line."""
    with _open_zip(data, source) as archive:
        _check_inflated_sizes(archive, source)
    from docx import Document as DocxDocument

    try:
        document = DocxDocument(io.BytesIO(data))
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                paragraphs.extend(cell.text for cell in row.cells)
    # python-docx and lxml raise many types on a malformed package (KeyError, ValueError,
    # XMLSyntaxError, zlib.error, …); whatever it is, the file is unusable as a .docx.
    except Exception as exc:
        raise _broken(source, exc) from None
    return "\n".join(paragraphs)


def _open_zip(data: bytes, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise _broken(source, exc) from None


def _check_inflated_sizes(archive: zipfile.ZipFile, source: str) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_DOCX_ENTRIES:
        raise _too_big(source, f"at most {MAX_DOCX_ENTRIES} parts", f"{len(entries)} parts")
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_DOCX_TOTAL_BYTES:
        raise _too_big(source, _mb(MAX_DOCX_TOTAL_BYTES, "uncompressed"),
                       f"{declared / 1024 / 1024:.0f} MB declared")
    total = 0
    for entry in entries:
        if entry.file_size > MAX_DOCX_PART_BYTES:
            raise _too_big(source, _mb(MAX_DOCX_PART_BYTES, f"in {entry.filename}"),
                           f"{entry.file_size / 1024 / 1024:.0f} MB declared")
        total += _inflated_size(archive, entry, source, MAX_DOCX_TOTAL_BYTES - total)


def _inflated_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str,
                   room: int) -> int:
    """Inflate one part in chunks (sizes may lie), counting bytes and paragraphs."""
    size = paragraphs = 0
    counting = entry.filename.endswith("document.xml")
    tail = b""
    try:
        with archive.open(entry) as part:
            while chunk := part.read(_CHUNK):
                size += len(chunk)
                if size > min(MAX_DOCX_PART_BYTES, room):
                    limit, where = ((MAX_DOCX_PART_BYTES, f"in {entry.filename}")
                                    if size > MAX_DOCX_PART_BYTES
                                    else (MAX_DOCX_TOTAL_BYTES, "uncompressed"))
                    raise _too_big(source, _mb(limit, where),
                                   f"more than {limit // (1024 * 1024)} MB when inflated")
                if counting:
                    # Keep a few bytes so a tag cut between two chunks is still counted.
                    window = tail + chunk
                    paragraphs += len(_PARAGRAPH.findall(window))
                    tail = window[-5:]
                    paragraphs -= len(_PARAGRAPH.findall(tail))
                    if paragraphs > MAX_DOCX_PARAGRAPHS:
                        raise _too_big(source, f"at most {MAX_DOCX_PARAGRAPHS} paragraphs",
                                       f"more than {MAX_DOCX_PARAGRAPHS}")
    except InputError:
        raise
    except Exception as exc:  # zlib.error, BadZipFile (a bad CRC), EOFError, …
        raise _broken(source, exc) from None
    return size


def _mb(limit: int, where: str) -> str:
    return f"at most {limit // (1024 * 1024)} MB of XML {where}"


def _too_big(source: str, expected: str, found: str) -> InputError:
    return InputError(source, f"a .docx with {expected}", found,
                      "Split the document, or save it as .txt.")


def _broken(source: str, exc: BaseException) -> InputError:
    reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return InputError(source, "a Word .docx document", f"a broken package ({reason})", _FIX)
