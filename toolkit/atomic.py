"""Outputs written so that readers see the old file or the whole new one, never a part."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import InputError


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; it replaces ``path`` when the block ends."""
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "an output file", "a directory",
                         "Give a file name, not a directory.")
    if not path.parent.is_dir():
        raise InputError(str(path), "an output path in an existing directory",
                         f"no directory {path.parent}", "Create the directory first.")
    # The suffix stays last: writers such as matplotlib pick the format from it.
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        yield temporary
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(str(path), "a writable output file", exc.strerror or str(exc),
                         "Check the path and its permissions.") from None
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
