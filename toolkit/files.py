"""Read a user's file (or stdin) with one byte limit, refusing what is not a regular file.

Every input — speeches, JSONL units, exports, configs, document tables — comes through
here, so a named pipe never blocks a run, ``/dev/zero`` never fills memory, and a file
that grows while it is read is still cut at the limit.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from toolkit.errors import InputError
from toolkit.limits import MAX_FILE_BYTES

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_limited(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, or of stdin for ``-``, refused past ``limit``."""
    source = str(path)
    if source == "-":
        return check_size(sys.stdin.buffer.read(limit + 1), "<stdin>", limit)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(source, "an existing file", "nothing at that path",
                         "Check the path.") from None
    except OSError as exc:
        raise InputError(source, "a readable file", exc.strerror or type(exc).__name__,
                         "Check the path and its permissions.") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise InputError(source, "a file", "a directory", "Pass the files inside it instead.")
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise InputError(source, "a regular file", kind,
                         "Pass a regular file, or - and redirect the data to stdin.")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(source, "a readable file", exc.strerror or type(exc).__name__,
                             "Check the file and the disk.") from None
    return check_size(data, source, limit)


def check_size(data: bytes, source: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """``data``, unless it is over ``limit`` bytes."""
    if len(data) > limit:
        raise InputError(source, f"at most {limit // (1024 * 1024)} MB",
                         f"more than {limit // (1024 * 1024)} MB",
                         "Split the file into one file per speech.")
    return data


def check_output(path: str | Path) -> Path:
    """An output path that can be written: not a folder, in a folder that exists. Checked
    before any work, so a long run does not fail at its very end."""
    if not str(path):
        raise InputError("-o", "an output file name", "an empty name",
                         "Check the variable or quoting that gave it.")
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "an output file", "a directory",
                         "Give a file name, not a folder.")
    if not path.parent.is_dir():
        raise InputError(str(path), "an output path in an existing directory",
                         f"no directory {path.parent}", "Create the directory first.")
    if path.exists() and not path.is_file():
        # Outputs are renamed into place: that would replace a device or a pipe.
        mode = path.stat().st_mode
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise InputError(str(path), "an output file", kind, "Give a file name.")
    return path
