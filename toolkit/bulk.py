"""Tag many files: expand inputs, tag speech by speech in order, write atomically, resume.

Output goes to ``OUT.partial`` as JSONL, one input at a time. The journal
``OUT.partial.done`` lists the inputs whose rows are on disk (synced in groups,
about once a second). Only a finished run renames the result to ``OUT``, so a
killed run never leaves a half-written file under that name, and ``--resume``
cuts ``OUT.partial`` back to the journal's last offset and continues from there.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import time
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
COMMIT_SECONDS = 1.0
_ENCODER = json.JSONEncoder(ensure_ascii=False)
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
            # A folder's README describes the folder; it is no speech.
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES + UNIT_SUFFIXES
                and p.stem.lower() != "readme"
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


def speeches_of(source: str) -> tuple[list[list[dict]], list[str]]:
    """The speeches of one input and any reading warnings.

    Raw files are cleaned and split; ``.jsonl`` units are taken as given.
    """
    if source.lower().endswith(UNIT_SUFFIXES):
        return read_units([Path(source)], labelled=False).speeches, []
    speeches = load_speeches(source)
    warnings = speeches[0].warnings if speeches else []
    return [[unit.to_dict() for unit in speech.units] for speech in speeches], warnings


def speeches_in(inputs: list[str]) -> list[list[dict]]:
    """Every speech of every input, in order (for commands that need them all at once)."""
    return [speech for source in expand_inputs(inputs) for speech in speeches_of(source)[0]]


@dataclass
class FileResult:
    """One input's rows, already serialised as JSONL (so workers, not the writer, pay for it)."""

    source: str
    jsonl: str = ""
    units: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    summary: object = None

    def rows(self) -> list[dict]:
        return [json.loads(line) for line in self.jsonl.splitlines()]


def tag_file(tagger, source: str, summarise=None) -> FileResult:
    """Tag every speech of one input; a bad file gives an error, never an exception.

    With ``summarise``, the result carries ``summarise(rows)`` instead of the rows.
    """
    try:
        speeches, warnings = speeches_of(source)
        rows = tagger.rows(speeches, source)
    except SpeechtagError as exc:
        return FileResult(source, error=str(exc))
    if summarise is not None:
        return FileResult(source, units=len(rows), warnings=warnings, summary=summarise(rows))
    jsonl = "".join(_ENCODER.encode(row) + "\n" for row in rows)
    return FileResult(source, jsonl, len(rows), warnings=warnings)


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
        self._pending: list[str] = []
        self._committed = time.monotonic()

    def write(self, result: FileResult) -> None:
        self._data.write(result.jsonl.encode("utf-8"))
        self._pending.append(f"{result.source}\t{self._data.tell()}\n")
        self.done.add(result.source)
        if time.monotonic() - self._committed > COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Sync the rows, then record their inputs as done: the journal never runs ahead."""
        self._data.flush()
        os.fsync(self._data.fileno())
        self._log.write("".join(self._pending))
        self._log.flush()
        os.fsync(self._log.fileno())
        self._pending.clear()
        self._committed = time.monotonic()

    def close(self) -> None:
        self.commit()
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


def format_result(result: FileResult, output_format: str, header: bool) -> str:
    """One input's rows for a stream (stdout): JSONL, or CSV with a header on the first call."""
    if output_format == "jsonl":
        return result.jsonl
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    if header:
        writer.writeheader()
    writer.writerows(csv_row(row) for row in result.rows())
    return buffer.getvalue()


_WORKER_TAGGER = None
_WORKER_SUMMARISE = None


def _tag_in_worker(source: str) -> FileResult:
    return tag_file(_WORKER_TAGGER, source, _WORKER_SUMMARISE)


def tag_all(tagger, sources: list[str], jobs: int = 1, summarise=None) -> Iterator[FileResult]:
    """Tag sources in input order, in ``jobs`` processes; results stream as they finish.

    ``summarise(rows)``, if given, runs where the rows are made (a worker), so that only
    its result, not the rows, travels back (see :func:`tag_file`).
    """
    # Only this process can read stdin: tag it first, hand it out in its place.
    stdin = {i: tag_file(tagger, s, summarise) for i, s in enumerate(sources) if s == "-"}
    files = _tag_files(tagger, [s for s in sources if s != "-"], jobs, summarise)
    for index in range(len(sources)):
        yield stdin[index] if index in stdin else next(files)


def _tag_files(tagger, sources: list[str], jobs: int, summarise) -> Iterator[FileResult]:
    global _WORKER_TAGGER, _WORKER_SUMMARISE
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield tag_file(tagger, source, summarise)
        return
    import multiprocessing

    # Forked workers share the loaded model, and its built tokenizer, with the parent.
    tagger.warm_up()
    _WORKER_TAGGER, _WORKER_SUMMARISE = tagger, summarise
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        yield from pool.imap(_tag_in_worker, sources, chunksize=1)
