"""Tag many files: expand inputs, tag speech by speech in order, write atomically, resume.

Output goes to ``OUT.partial`` as JSONL, one speech at a time, each followed by
a line in the journal ``OUT.partial.done`` once its rows are on disk. Only a
finished run renames the result to ``OUT``, so a killed run never leaves a
half-written file under that name, and ``--resume`` continues from the journal.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.dataset import read_units
from toolkit.errors import InputError, SpeechtagError
from toolkit.labels import LABELS
from toolkit.read import READABLE_SUFFIXES
from toolkit.speech import load_speeches

UNIT_SUFFIXES = (".jsonl",)
FORMATS = ("jsonl", "csv", "parquet")
COLUMNS = ["source", "doc_id", "sent_id", "text", "start", "end", "heading_level", "section",
           "para_id", "label", "confidence", *[f"p_{label}" for label in LABELS]]


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files, directories (recursively) and globs, in the order given, each once."""
    found: list[str] = []
    for item in inputs:
        if item == "-":
            found.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES + UNIT_SUFFIXES
            )
            if not files:
                raise InputError(item, "a directory with .txt, .md, .docx or .jsonl files",
                                 "none", "Pass a directory that holds speeches.")
            found.extend(map(str, files))
        elif path.exists():
            found.append(item)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(item, "an existing file, directory or glob", "no match",
                                 "Check the path.")
            found.extend(matches)
    return list(dict.fromkeys(found))


def speeches_of(source: str) -> list[list[dict]]:
    """The speeches of one input: raw files are cleaned and split, ``.jsonl`` taken as given."""
    if source.lower().endswith(UNIT_SUFFIXES):
        return read_units([Path(source)], labelled=False).speeches
    return [[unit.to_dict() for unit in speech.units] for speech in load_speeches(source)]


@dataclass
class FileResult:
    source: str
    rows: list[dict] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def tag_file(tagger, source: str) -> FileResult:
    """Tag every speech of one input; a bad file gives an error, never an exception."""
    try:
        speeches = speeches_of(source)
        tagged = tagger.tag_speeches(speeches, explain=False)
    except SpeechtagError as exc:
        return FileResult(source, error=str(exc))
    rows = []
    for speech in tagged:
        for unit in speech:
            row = {"source": source, **unit.to_row()}
            rows.append({column: row.get(column) for column in COLUMNS})
    return FileResult(source, rows)


class Journal:
    """``OUT.partial`` plus the list of finished sources, for atomic output and resume."""

    def __init__(self, out: Path, resume: bool) -> None:
        self.out = out
        self.partial = out.with_name(out.name + ".partial")
        self.done_path = out.with_name(out.name + ".partial.done")
        self.done: set[str] = set()
        offset = 0
        if resume and self.done_path.exists() and self.partial.exists():
            for line in self.done_path.read_text(encoding="utf-8").splitlines():
                source, _, end = line.rpartition("\t")
                self.done.add(source)
                offset = int(end)
        mode = "r+b" if offset else "wb"
        self._data = open(self.partial, mode)  # noqa: SIM115 - closed in finish/close
        self._data.truncate(offset)
        self._data.seek(offset)
        self._log = open(self.done_path, "a" if offset else "w", encoding="utf-8")  # noqa: SIM115

    def write(self, result: FileResult) -> None:
        block = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in result.rows)
        self._data.write(block.encode("utf-8"))
        self._data.flush()
        os.fsync(self._data.fileno())
        self._log.write(f"{result.source}\t{self._data.tell()}\n")
        self._log.flush()
        os.fsync(self._log.fileno())
        self.done.add(result.source)

    def close(self) -> None:
        self._data.close()
        self._log.close()

    def finish(self, output_format: str) -> None:
        """Convert the journal's rows to OUT's format and rename into place."""
        self.close()
        staging = self.out.with_name(self.out.name + ".tmp")
        if output_format == "jsonl":
            os.replace(self.partial, staging)
        else:
            (_write_parquet if output_format == "parquet" else _write_csv)(self.partial, staging)
            self.partial.unlink()
        os.replace(staging, self.out)
        self.done_path.unlink()


def _rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def csv_row(row: dict) -> dict:
    return {**row, "section": json.dumps(row.get("section") or [], ensure_ascii=False)}


def _write_csv(source: Path, target: Path) -> None:
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in _rows(source):
            writer.writerow(csv_row(row))


def _write_parquet(source: Path, target: Path, batch: int = 50_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("source", pa.string()), ("doc_id", pa.string()), ("sent_id", pa.int64()),
        ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("heading_level", pa.int64()), ("section", pa.list_(pa.string())),
        ("para_id", pa.int64()), ("label", pa.string()), ("confidence", pa.float64()),
        *[(f"p_{label}", pa.float64()) for label in LABELS],
    ])
    with pq.ParquetWriter(target, schema) as writer:
        rows: list[dict] = []
        for row in _rows(source):
            rows.append(row)
            if len(rows) == batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def format_rows(rows: list[dict], output_format: str, header: bool) -> str:
    """Rows as text for a stream (stdout): JSONL, or CSV with a header on the first call."""
    if output_format == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()


_WORKER_TAGGER = None


def _tag_in_worker(source: str) -> FileResult:
    return tag_file(_WORKER_TAGGER, source)


def tag_all(tagger, sources: list[str], jobs: int = 1) -> Iterator[FileResult]:
    """Tag sources in input order, in ``jobs`` processes; results stream as they finish."""
    global _WORKER_TAGGER
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield tag_file(tagger, source)
        return
    import multiprocessing

    # Forked workers share the loaded model with the parent instead of each loading it.
    _WORKER_TAGGER = tagger
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        yield from pool.imap(_tag_in_worker, sources, chunksize=1)
