"""Labelled and unlabelled units as JSONL: read, validate, group into speeches, fingerprint."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import InputError
from toolkit.files import read_limited
from toolkit.labels import LABELS
from toolkit.outputs import write_text
from toolkit.read import check_unit_text

REQUIRED = {"doc_id": str, "sent_id": int, "text": str}
# The data card's table of documents (genre, sector, origin, source …), beside the JSONL files.
DOCUMENTS = "documents.csv"
OPTIONAL = {"heading_level": int, "section": list, "para_id": int, "start": int, "end": int}


@dataclass
class LabelledSpeeches:
    """Speeches as lists of unit dicts in ``sent_id`` order, with their labels (or None)."""

    speeches: list[list[dict]]
    labels: list[list[str]] | None
    files: list[Path]
    documents: dict[str, dict] = field(default_factory=dict)

    @property
    def doc_ids(self) -> list[str]:
        return [speech[0]["doc_id"] for speech in self.speeches]

    def attribute(self, key: str) -> list[str]:
        """Each speech's ``key`` (genre, sector, origin …) from the document table, or ``?``.

        A dataset without a table still has genres: the folder each file stands in.
        """
        return [self.documents.get(doc_id, {}).get(key) or "?" for doc_id in self.doc_ids]


    def n_units(self) -> int:
        return sum(map(len, self.speeches))


def dataset_files(path: str | Path) -> list[Path]:
    """The ``.jsonl`` files of a dataset directory, or the one file given."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.rglob("*.jsonl"))
        if not files:
            raise InputError(
                str(path), "a directory with .jsonl files", "none",
                "Pass a folder of labelled JSONL files such as datasets/.",
            )
        return files
    if not path.exists():
        raise InputError(str(path), "a JSONL file or directory", "nothing", "Check the path.")
    return [path]


def read_units(files: Iterable[Path], labelled: bool = True) -> LabelledSpeeches:
    """Read JSONL units, validating every row; group them into speeches by ``doc_id``."""
    files = list(files)
    by_doc: dict[str, dict[int, tuple[dict, str | None]]] = {}
    documents: dict[str, dict] = {}
    for path in files:
        for line_number, row in _rows(path):
            _validate(row, path, line_number, labelled)
            units = by_doc.setdefault(row["doc_id"], {})
            if row["sent_id"] in units:
                raise InputError(
                    str(path), "a unique (doc_id, sent_id)",
                    f"({row['doc_id']!r}, {row['sent_id']}) a second time",
                    "Remove the duplicate row or renumber sent_id.", line_number,
                )
            units[row["sent_id"]] = (row, row.get("label"))
            documents.setdefault(row["doc_id"], {"genre": path.parent.name})
    speeches, labels = [], []
    for doc_id in by_doc:
        ordered = [by_doc[doc_id][key] for key in sorted(by_doc[doc_id])]
        speeches.append([unit for unit, _ in ordered])
        labels.append([label for _, label in ordered])
    if not speeches:
        raise InputError(str(files[0]) if files else "data", "units", "no rows",
                         "Pass a JSONL file with one unit per line.")
    for table in sorted({p.parent / DOCUMENTS for p in files} | {p.parent.parent / DOCUMENTS
                                                                 for p in files}):
        for doc_id, info in read_documents(table).items():
            if doc_id in documents:
                documents[doc_id].update({k: v for k, v in info.items() if v})
    return LabelledSpeeches(speeches, labels if labelled else None, files, documents)


def read_documents(path: Path) -> dict[str, dict]:
    """A dataset's document table (``doc_id`` and any columns), or nothing if there is none."""
    if not path.is_file():
        return {}
    text = _utf8(read_limited(path), path, "a UTF-8 CSV table")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if rows and "doc_id" not in rows[0]:
        raise InputError(str(path), "a doc_id column", f"columns {sorted(rows[0])}",
                         "Name the document column doc_id.", 1)
    return {row["doc_id"]: row for row in rows if row.get("doc_id")}


def _utf8(data: bytes, path: Path, expected: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), expected, f"undecodable bytes at offset {exc.start}",
                         "Save the file as UTF-8.") from None


def _rows(path: Path):
    text = _utf8(read_limited(path), path, "UTF-8 JSONL")
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), "one JSON object per line", f"invalid JSON ({exc.msg})",
                             "Fix the line or remove it.", line_number) from None
        if not isinstance(row, dict):
            raise InputError(str(path), "a JSON object", type(row).__name__,
                             "Write each unit as an object with doc_id, sent_id and text.",
                             line_number)
        yield line_number, row


def _validate(row: dict, path: Path, line: int, labelled: bool) -> None:
    required = {**REQUIRED, "label": str} if labelled else REQUIRED
    missing = sorted(set(required) - set(row))
    if missing:
        raise InputError(str(path), f"the fields {sorted(required)}",
                         f"no {', '.join(missing)}", "Add the missing fields.", line)
    for name, kind in {**required, **OPTIONAL}.items():
        if name in row and (not isinstance(row[name], kind) or isinstance(row[name], bool)):
            raise InputError(str(path), f"{name} as {kind.__name__}",
                             f"{type(row[name]).__name__} {row[name]!r:.40}",
                             f"Write {name} as a JSON {_json_kind(kind)}.", line)
    check_unit_text(row["text"], str(path), line)
    if labelled and row["label"] not in LABELS:
        raise InputError(str(path), f"a label in {sorted(LABELS)}", repr(row["label"]),
                         "Use one of the five labels of LABELING.md.", line)


def _json_kind(kind: type) -> str:
    return {str: "string", int: "integer", list: "array"}[kind]


def dataset_sha256(files: Iterable[Path]) -> str:
    """One SHA-256 over the dataset files, in name order, so a model records what it saw."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_sha256s(files: Iterable[Path]) -> dict[str, str]:
    """Each file's own SHA-256 by name, so a part of the dataset is recognised too."""
    from toolkit.persist import sha256_file

    return {path.name: sha256_file(path) for path in sorted(files, key=lambda p: p.name)}


def seen_in_training(meta: dict, files: Iterable[Path]) -> list[Path]:
    """Which of ``files`` the model of ``meta`` was trained on: all of them when they are
    its whole dataset, else those whose own SHA-256 its ``meta.json`` records."""
    files = list(files)
    dataset = meta.get("dataset") or {}
    if files and dataset.get("sha256") == dataset_sha256(files):
        return files
    from toolkit.persist import sha256_file

    known = set((dataset.get("file_sha256s") or {}).values())
    return [path for path in files if known and sha256_file(path) in known]


def write_units(rows: list[dict], path: Path) -> Path:
    """Write labelled units as JSONL, atomically (the CLI has claimed ``path`` first)."""
    write_text(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return Path(path)
