"""The journal of a bulk run: atomic output, and a resume that continues only the same run.

Output goes to ``OUT.partial`` as JSONL, one input at a time. The journal
``OUT.partial.done`` lists the inputs whose rows are on disk, each with the byte offset
their rows end at (synced in groups, about once a second); ``OUT.partial.json`` records
what the run tags: the model's SHA-256 and every input with its size and mtime. Only a
finished run renames the result to ``OUT``, so a killed run never leaves a half-written
file under that name. ``--resume`` checks the record and the journal against the
partial file, cuts it back to the journal's last offset and continues from there; any
mismatch is refused, as resuming it would mix two runs in one file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from toolkit.errors import InputError
from toolkit.outputs import replacing, write_text

COMMIT_SECONDS = 1.0
_AGAIN = "Run without --resume to start again."


def run_record(model_sha256: str, sources: list[str]) -> dict:
    """What a run tags: the model and each input as path, size and mtime (stdin: path only)."""
    inputs = []
    for source in sources:
        if source == "-":
            inputs.append([source, None, None])
        else:
            stat = os.stat(source)
            inputs.append([source, stat.st_size, stat.st_mtime_ns])
    return {"model_sha256": model_sha256, "inputs": inputs}


class Journal:
    """``OUT.partial`` plus the list of finished sources, for atomic output and resume."""

    def __init__(self, out: Path, resume: bool, record: dict) -> None:
        self.out = out
        self.partial = out.with_name(out.name + ".partial")
        self.done_path = out.with_name(out.name + ".partial.done")
        self.record_path = out.with_name(out.name + ".partial.json")
        self.done: set[str] = set()
        self.resumed = resume and self.partial.exists() and self.done_path.exists()
        offset = 0
        if self.resumed:
            self._check_record(record)
            offset = self._read_done({source for source, _, _ in record["inputs"]})
        else:
            write_text(self.record_path, json.dumps(record, ensure_ascii=False) + "\n")
        mode = "r+b" if offset else "wb"
        self._data = open(self.partial, mode)  # noqa: SIM115 - closed in finish/close
        self._data.truncate(offset)
        self._data.seek(offset)
        self._log = open(self.done_path, "a" if offset else "w", encoding="utf-8")  # noqa: SIM115
        self._pending: list[str] = []
        self._committed = time.monotonic()

    def _check_record(self, record: dict) -> None:
        try:
            recorded = json.loads(self.record_path.read_text(encoding="utf-8"))
            model = recorded["model_sha256"]
            then = {source: rest for source, *rest in recorded["inputs"]}
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise InputError(str(self.record_path), "the record of the interrupted run",
                             f"none readable ({type(exc).__name__})", _AGAIN) from None
        if model != record["model_sha256"]:
            raise InputError(str(self.partial), f"rows of the model {record['model_sha256']}",
                             f"rows of another model, {model}",
                             "Resume with the --model of the interrupted run, or "
                             "run without --resume to start again.")
        if recorded["inputs"] != record["inputs"]:
            now = {source: rest for source, *rest in record["inputs"]}
            found = next(
                (f"{s} added" for s in now if s not in then),
                next((f"{s} left out" for s in then if s not in now),
                     next((f"{s} changed since" for s in now if then[s] != now[s]),
                          "them in another order")))
            raise InputError(str(self.partial), "the inputs of the interrupted run", found,
                             _AGAIN)

    def _read_done(self, sources: set[str]) -> int:
        """The journal's last offset, after checking every line against the partial file."""
        offset = 0
        text = self.done_path.read_text(encoding="utf-8", errors="replace")
        # A line without its newline was cut by a kill: its rows were never counted.
        for number, line in enumerate(text.splitlines(keepends=True), 1):
            if not line.endswith("\n"):
                break
            source, _, end = line.rstrip("\n").rpartition("\t")
            if source not in sources or not (end.isascii() and end.isdigit()) or int(end) < offset:
                raise InputError(str(self.done_path), "lines of an input, a tab and a byte "
                                 "offset that never decreases", repr(line.rstrip("\n"))[:80],
                                 _AGAIN, number)
            self.done.add(source)
            offset = int(end)
        size = self.partial.stat().st_size
        if size < offset or (offset and self._byte_before(offset) != b"\n"):
            raise InputError(str(self.partial), f"the {offset} bytes of rows its journal records",
                             f"{size} bytes" if size < offset else "a row cut at that offset",
                             _AGAIN)
        return offset

    def _byte_before(self, offset: int) -> bytes:
        with open(self.partial, "rb") as handle:
            handle.seek(offset - 1)
            return handle.read(1)

    def write(self, result) -> None:
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
        if self._data.closed:
            return
        self.commit()
        self._data.close()
        self._log.close()

    def finish(self, convert) -> None:
        """Convert the journal's rows to OUT's format (``convert(jsonl, target)``, or None
        for JSONL as is) and rename into place."""
        self.close()
        if convert is None:
            os.replace(self.partial, self.out)
        else:
            with replacing(self.out) as staging:
                convert(self.partial, staging)
        self.discard()

    def discard(self) -> None:
        """Forget the run: nothing of it is left but what :meth:`finish` renamed to OUT."""
        self.close()
        for path in (self.partial, self.done_path, self.record_path):
            path.unlink(missing_ok=True)
