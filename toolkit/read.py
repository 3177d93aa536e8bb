"""Read a speech file into text: .txt/.md in any common Chinese encoding, .docx, or stdin."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.docx import read_docx
from toolkit.errors import InputError
from toolkit.files import check_size, read_limited

TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIX = ".docx"
READABLE_SUFFIXES = (*TEXT_SUFFIXES, DOCX_SUFFIX)
# Frequent characters of official Chinese prose, simplified and traditional.
# A wrong guess between GB18030 and Big5 decodes to rare characters, so the
# share of these tells the right codec apart even in a short file.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研卫健康工作会议推"
    "进落实服务医疗改革发展全面加快完善提升加强深化坚持领导责任群众保障建设基层组织干部精神贯彻"
    "這個們來為國說時對會過麼學經現實動兩體機當點從業還後種樣與關義開發進區領導務醫療衛設計劃"
    "們當這與黨經濟員問題應該過還將對於說話議會議貫徹落實領導幹部組織建設醫療衛生健康服務發展"
)
_DECODERS = ("gb18030", "big5")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "a legacy Office (.doc) file",
    b"\x7fELF": "an executable",
}


@dataclass
class Document:
    """Text read from one file, before cleaning."""

    source: str
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def read_document(path: str | Path) -> Document:
    """Read ``path`` (or ``-`` for stdin) into text, detecting its encoding."""
    source = "<stdin>" if str(path) == "-" else str(path)
    return read_bytes(read_limited(path), source)


def read_bytes(data: bytes, name: str) -> Document:
    """Read a file's bytes (an upload, say) into text; ``name``'s suffix tells .docx from text."""
    check_size(data, name)
    if Path(name).suffix.lower() == DOCX_SUFFIX and data.startswith(b"PK\x03\x04"):
        return _checked(Document(name, read_docx(data, name), "docx"), name)
    return decode_bytes(data, name)


def decode_bytes(data: bytes, source: str) -> Document:
    """Decode raw bytes of a text file; refuse binary or empty input with a clear error."""
    if not data.strip():
        raise InputError(
            source, "speech text", "an empty file" if not data else "only whitespace",
            "Check that the file was saved with its content.",
        )
    bom = _decode_with_bom(data, source)
    if bom is not None:
        return _checked(bom, source)
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, "a text or .docx file", kind, "Convert it to .txt or .docx.")
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16 is None:
            offset = data.index(b"\x00")
            raise InputError(
                source, "text", f"a NUL byte at byte offset {offset} (binary data)",
                "Pass a text file; if it is UTF-16, save it with a byte-order mark.",
            )
        return _checked(Document(source, data.decode(utf16), utf16), source)
    try:
        return _checked(Document(source, data.decode("utf-8"), "utf-8"), source)
    except UnicodeDecodeError as exc:
        if len(data) - exc.start < 4 and exc.reason.startswith("unexpected end"):
            text = data[: exc.start].decode("utf-8")
            warning = (
                f"{source}: the last character is cut off at byte offset {exc.start}; "
                "read the text before it"
            )
            return _checked(Document(source, text, "utf-8", [warning]), source)
    return _checked(_decode_chinese(data, source), source)


def _decode_with_bom(data: bytes, source: str) -> Document | None:
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return Document(source, data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    source, f"valid {encoding} after its byte-order mark",
                    f"undecodable bytes at byte offset {exc.start}",
                    "Re-save the file as UTF-8.",
                ) from None
    return None


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: the byte order whose text reads as Chinese or ASCII."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r")
        if not controls and _common_share(text) >= 0.2:
            return encoding
    return None


def _decode_chinese(data: bytes, source: str) -> Document:
    best: tuple[float, str, str] | None = None
    for encoding in _DECODERS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _common_share(text)
        if best is None or score > best[0]:
            best = (score, encoding, text)
    if best is None or best[0] < 0.2:
        raise InputError(
            source, "text in UTF-8, UTF-16, GB18030/GBK or Big5",
            "bytes that decode in none of them",
            "Convert the file to UTF-8 (e.g. iconv -f <its encoding> -t utf-8).",
        )
    return Document(source, best[2], best[1])


def _common_share(text: str) -> float:
    cjk = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 1.0 if text.isascii() else 0.0
    return sum(ch in _COMMON for ch in cjk) / len(cjk)


def _checked(document: Document, source: str) -> Document:
    check_text(document.text, source)
    return document


def check_text(text: str, source: str) -> None:
    """Refuse text that is empty, only whitespace, or binary data in disguise."""
    if not text.strip():
        raise InputError(source, "speech text", "only whitespace" if text else "no text",
                         "Pass a file with text.")
    _check_surrogates(text, source)
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise InputError(
            source, "text", f"{controls} control characters (binary data)",
            "Pass a text or .docx file.",
        )


def check_unit_text(text: str, source: str, line: int | None = None) -> None:
    """Refuse a unit's text that is empty or that no model can read: a NUL (it separates
    units inside feature extraction) or an unpaired surrogate (not encodable). Other
    control characters are kept, as they are in files. Every path that takes units —
    JSONL, HTTP, the Python API — checks them here."""
    if not text.strip():
        raise InputError(source, "non-empty text", "an empty text",
                         "Remove the unit or fill in its text.", line)
    _check_surrogates(text, source, line)
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(source, "text without NUL characters",
                         f"a NUL character at character offset {nul}",
                         "Remove it from the text.", line)


def _check_surrogates(text: str, source: str, line: int | None = None) -> None:
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise InputError(source, "valid Unicode text",
                         f"an unpaired surrogate at character offset {surrogate.start()}",
                         "Re-encode the text as UTF-8.", line)
