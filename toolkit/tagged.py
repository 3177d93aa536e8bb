"""Tagged rows from any input: the files `speechtag tag` wrote, or speeches tagged on the fly.

``.csv`` and ``.parquet`` files, and ``.jsonl`` files whose rows carry a ``label``, are read
as tagged output (a labelled dataset's gold labels too: its rows have no ``confidence``).
Speeches and unlabelled ``.jsonl`` units are tagged exactly as ``speechtag tag`` tags them.
Every file is streamed; no row is held longer than its batch.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from toolkit.bulk import expand_inputs, tag_all
from toolkit.errors import InputError, SpeechtagError
from toolkit.labels import LABELS
from toolkit.split import MAX_UNIT_CHARS

TAGGED_SUFFIXES = (".csv", ".parquet")
# One row: a unit's text, its section headings and the other fields.
MAX_ROW_CHARS = 8 * MAX_UNIT_CHARS
_FLOATS = ("confidence", *[f"p_{label}" for label in LABELS])
_INTS = ("sent_id", "start", "end", "heading_level", "para_id")
_TAG_FIRST = "Tag it first (speechtag tag FILE -o FILE.jsonl) or pass the speeches."


class TaggedInputs:
    """The inputs of `profile` and `extract`; the model is loaded only if one needs tagging.

    ``report(kind, message)`` hears of warnings and of files that failed and were skipped.
    """

    def __init__(self, inputs: list[str], load_tagger: Callable[[], object], jobs: int = 1,
                 report: Callable[[str, str], None] = lambda kind, message: None) -> None:
        self.sources = expand_inputs(inputs)
        self.tagged = {source for source in self.sources if is_tagged(source)}
        self.load_tagger = load_tagger
        self.jobs = jobs
        self.report = report
        self.failed = 0

    def rows(self) -> Iterator[dict]:
        """Every tagged row of every input, in input order."""
        return self._each(None)

    def summaries(self, summarise: Callable[[Iterable[dict]], object]) -> Iterator[object]:
        """``summarise(rows)`` of each input, in input order, computed where the rows are
        (in the tagging processes for speeches): no rows cross between processes."""
        return self._each(summarise)

    def _each(self, summarise) -> Iterator:
        todo = [source for source in self.sources if source not in self.tagged]
        results = tag_all(self.load_tagger(), todo, self.jobs, summarise) if todo else iter(())
        for source in self.sources:
            if source in self.tagged:
                try:
                    if summarise is None:
                        yield from read_tagged(source)
                    else:
                        yield summarise(read_tagged(source))
                except SpeechtagError as exc:
                    self._failed(str(exc))
                continue
            result = next(results)
            for warning in result.warnings:
                self.report("warning", warning)
            if result.error:
                self._failed(result.error)
            elif summarise is None:
                yield from result.rows()
            else:
                yield result.summary

    def _failed(self, message: str) -> None:
        self.failed += 1
        self.report("error", f"{message} (skipped)")


def is_tagged(source: str) -> bool:
    """Whether ``source`` holds tagged rows (by its suffix, and for .jsonl its first row)."""
    suffix = Path(source).suffix.lower()
    if suffix in TAGGED_SUFFIXES:
        return True
    if suffix != ".jsonl" or not Path(source).is_file():
        return False
    with open(source, encoding="utf-8-sig", errors="replace") as handle:
        first = next((line for line in iter(lambda: handle.readline(MAX_ROW_CHARS), "")
                      if line.strip()), "")
    try:
        return "label" in json.loads(first)
    except (json.JSONDecodeError, TypeError):
        return False


def read_tagged(source: str) -> Iterator[dict]:
    """The rows of a tagged JSONL, CSV or Parquet file, typed as `speechtag tag` wrote them."""
    suffix = Path(source).suffix.lower()
    reader = {".csv": _csv_rows, ".parquet": _parquet_rows}.get(suffix, _jsonl_rows)
    for line, row in reader(source):
        for name in ("doc_id", "text", "label"):
            if not isinstance(row.get(name), str):
                raise InputError(source, f"tagged rows with {name} as a string",
                                 f"{name} = {row.get(name)!r:.40}", _TAG_FIRST, line)
        if row["label"] not in LABELS:
            raise InputError(source, f"a label in {', '.join(LABELS)}", repr(row["label"]),
                             "Fix the label or tag the units again.", line)
        yield row


def _jsonl_rows(source: str) -> Iterator[tuple[int, dict]]:
    number = 0
    try:
        with open(source, encoding="utf-8-sig") as handle:
            for number, line in enumerate(iter(lambda: handle.readline(MAX_ROW_CHARS + 1), ""),
                                          1):
                if line.strip():
                    yield number, _json_row(source, number, line)
    except UnicodeDecodeError as exc:
        raise InputError(source, "UTF-8 JSONL", f"undecodable bytes ({exc.reason})",
                         "Save the file as UTF-8.", number + 1) from None


def _json_row(source: str, number: int, line: str) -> dict:
    if len(line) > MAX_ROW_CHARS:
        raise InputError(source, f"rows of at most {MAX_ROW_CHARS} characters", "a longer line",
                         "Check that this is `speechtag tag` output.", number)
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(source, "one JSON object per line", f"invalid JSON ({exc.msg})",
                         "Fix the line or remove it.", number) from None
    if not isinstance(row, dict):
        raise InputError(source, "a JSON object", type(row).__name__, _TAG_FIRST, number)
    return row


def _csv_rows(source: str) -> Iterator[tuple[int, dict]]:
    with open(source, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            if "label" not in (reader.fieldnames or []):
                raise InputError(source, "the columns of `speechtag tag` output (… label, "
                                 "confidence …)", f"columns {reader.fieldnames}", _TAG_FIRST, 1)
            for row in reader:
                yield reader.line_num, _typed(row, source, reader.line_num)
        except csv.Error as exc:
            raise InputError(source, "CSV", str(exc), "Fix the line.", reader.line_num) from None


def _typed(row: dict, source: str, line: int) -> dict:
    """A CSV row with the types of a JSONL row: numbers, and ``section`` as a list."""
    try:
        for name in _FLOATS:
            row[name] = float(row[name]) if row.get(name) else None
        for name in _INTS:
            row[name] = int(row[name]) if row.get(name) else None
        row["section"] = json.loads(row["section"]) if row.get("section") else []
    except (ValueError, TypeError) as exc:
        raise InputError(source, "the field types of `speechtag tag` output", str(exc),
                         "Write the file again with `speechtag tag -o FILE.csv`.", line) from None
    return row


def _parquet_rows(source: str, batch: int = 10_000) -> Iterator[tuple[int, dict]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise InputError(source, "a Parquet file", f"an unreadable file ({exc})",
                         "Write it again with `speechtag tag -o FILE.parquet`.") from None
    if "label" not in parquet.schema_arrow.names:
        raise InputError(source, "the columns of `speechtag tag` output (… label, confidence …)",
                         f"columns {parquet.schema_arrow.names}", _TAG_FIRST)
    number = 0
    for records in parquet.iter_batches(batch_size=batch):
        for row in records.to_pylist():
            number += 1
            yield number, row
