"""Tag many files: expand inputs, tag speech by speech in order, rows as JSONL, CSV, Parquet.

Where the rows go while a run lasts, and how it resumes, is :mod:`toolkit.journal`'s.
"""

from __future__ import annotations

import csv
import glob
import io
import json
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
_ENCODER = json.JSONEncoder(ensure_ascii=False)
COLUMNS = ["source", "doc_id", "sent_id", "text", "start", "end", "heading_level", "section",
           "para_id", "label", "confidence", *[f"p_{label}" for label in LABELS]]


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files, directories (recursively) and globs, in the order given, each once."""
    found: list[str] = []
    for item in inputs:
        if not item:
            raise InputError("''", "a file, directory or glob", "an empty name",
                             "Check the variable or quoting that gave it.")
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


def speeches_in(inputs: list[str]) -> tuple[list[list[dict]], list[str]]:
    """Every speech of every input, in order (for commands that need them all at once), and
    why each input that could not be read failed: a bad file is skipped, not fatal."""
    speeches, errors = [], []
    for source in expand_inputs(inputs):
        try:
            speeches.extend(speeches_of(source)[0])
        except Exception as exc:  # reported per file, see failure()
            errors.append(failure(source, exc))
    return speeches, errors


def failure(source: str, exc: Exception) -> str:
    """One line for an input that failed. A SpeechtagError names the problem and its fix;
    anything else is a bug, reported as one, and the run goes on with the other inputs."""
    if isinstance(exc, SpeechtagError):
        return str(exc)
    return (f"{source}: unexpected {type(exc).__name__} ({str(exc)[:200]}); this is a bug, "
            "please report it with the file")


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
    # Only plain strings leave a worker process: an exception might not unpickle.
    except Exception as exc:  # reported per file, see failure()
        return FileResult(source, error=failure(source, exc))
    if summarise is not None:
        return FileResult(source, units=len(rows), warnings=warnings, summary=summarise(rows))
    jsonl = "".join(_ENCODER.encode(row) + "\n" for row in rows)
    return FileResult(source, jsonl, len(rows), warnings=warnings)


def _rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def converter(output_format: str):
    """How JSONL rows become ``output_format``: ``convert(jsonl, target)``, None for JSONL."""
    return {"jsonl": None, "csv": _write_csv, "parquet": _write_parquet}[output_format]


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
