"""What is known about a document beyond its units: a metadata table such as the corpus
``INDEX.csv`` (joined on the file's path), and the year its name or front matter gives."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path, PurePosixPath

from toolkit.errors import InputError
from toolkit.read import TEXT_SUFFIXES, read_document

YEAR = re.compile(r"(?<!\d)(1949|19[5-9]\d|20\d\d)(?!\d)")
_FRONT_MATTER_BYTES = 4096


def read_meta_csv(path: str | Path) -> dict[str, dict]:
    """A metadata table (a ``file`` or ``doc_id`` column, any others) keyed by that column."""
    text = read_document(path).text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = reader.fieldnames or []
        key = next((name for name in ("file", "doc_id") if name in columns), None)
        if key is None:
            raise InputError(str(path), "a header with a file or doc_id column",
                             f"columns {columns}", "Name the column of file names file.", 1)
        table: dict[str, dict] = {}
        for row in reader:
            if None in row or None in row.values():
                found = sum(v is not None for k, v in row.items() if k is not None)
                raise InputError(str(path), f"{len(columns)} fields as in the header",
                                 f"{found + len(row.get(None) or [])}",
                                 "Quote fields that hold commas.", reader.line_num)
            name = _key(row[key])
            if not name:
                raise InputError(str(path), f"a {key}", "an empty field",
                                 "Fill it in or remove the row.", reader.line_num)
            if name in table:
                raise InputError(str(path), f"each {key} once", f"{name!r} again",
                                 "Remove the duplicate row.", reader.line_num)
            table[name] = row
    except csv.Error as exc:
        raise InputError(str(path), "CSV", str(exc), "Fix the line.", reader.line_num) from None
    return table


class MetaIndex:
    """Finds a document's metadata row by the longest tail of its path that a key names."""

    def __init__(self, meta: dict[str, dict]) -> None:
        # Each key also without its suffix: a table may name files, rows carry doc_ids.
        self.index = {str(PurePosixPath(name).with_suffix("")): info
                      for name, info in meta.items()}
        self.index.update(meta)
        self.columns = {column for info in meta.values() for column in info}

    def get(self, source: str, doc_id: str) -> dict:
        parts = PurePosixPath(_key(source)).parts
        for start in range(len(parts)):
            info = self.index.get("/".join(parts[start:]))
            if info is not None:
                return info
        return self.index.get(doc_id, {})


def year_of(source: str, doc_id: str) -> str | None:
    """A year (1949–2099) in the file name or doc_id, else in the front matter's title."""
    found = YEAR.search(f"{PurePosixPath(source).name} {doc_id}") or \
        YEAR.search(_front_matter_title(source))
    return found[1] if found else None


def _key(name: str) -> str:
    return name.strip().replace("\\", "/").removeprefix("./")


def _front_matter_title(source: str) -> str:
    """The ``title:`` of a speech file's YAML front matter (a bounded read), or ``""``."""
    path = Path(source)
    if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
        return ""
    with open(path, "rb") as handle:
        head = handle.read(_FRONT_MATTER_BYTES).decode("utf-8", "ignore").lstrip("\ufeff")
    lines = head.splitlines()
    if not lines or lines[0].strip() != "---":
        return ""
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if line.startswith("title:"):
            return line[len("title:"):].strip()
    return ""
