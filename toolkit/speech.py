"""From a file to speeches: read → clean → split, the path every raw speech takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.clean import Removal, clean_text
from toolkit.errors import InputError
from toolkit.limits import MAX_LINES
from toolkit.read import check_text, read_document
from toolkit.split import SplitLimitError, Unit, split_speeches, split_units


@dataclass
class Speech:
    """One cleaned speech and its units."""

    doc_id: str
    text: str
    units: list[Unit]
    source: str = ""
    removed: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def speeches_from_text(text: str, doc_id: str, source: str = "") -> list[Speech]:
    """Clean and split raw speech text; a file may hold several ``【篇N】`` speeches."""
    check_text(text, source or doc_id)
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise InputError(source or doc_id, f"at most {MAX_LINES} lines", f"{lines} lines",
                         "Split the file into one file per speech.")
    cleaned = clean_text(text)
    speeches = []
    for speech_id, speech_text in split_speeches(cleaned.text, doc_id):
        try:
            units = split_units(speech_text, speech_id)
        except SplitLimitError as exc:
            expected, found = exc.args
            raise InputError(source or doc_id, expected, found,
                             "Split the file into one file per speech, with line breaks.") from None
        if units:
            # Removals belong to the file: report them once, with its first speech.
            removed = [] if speeches else cleaned.removed
            speeches.append(Speech(speech_id, speech_text, units, source, removed))
    if not speeches:
        raise InputError(
            source or doc_id, "speech text", "nothing but page boilerplate",
            "Check the file: the cleaner removed every line "
            "(see `speechtag split --show-removed`).",
        )
    return speeches


def load_speeches(path: str | Path, doc_id: str | None = None) -> list[Speech]:
    """Read, clean and split one file (``-`` for stdin); ``doc_id`` defaults to the file stem."""
    document = read_document(path)
    name = doc_id or ("stdin" if str(path) == "-" else Path(path).stem)
    speeches = speeches_from_text(document.text, name, document.source)
    for speech in speeches:
        speech.warnings = list(document.warnings)
    return speeches
