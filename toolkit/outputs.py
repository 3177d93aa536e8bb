"""Outputs are sacred: what a command writes never destroys an input, a good file or a run.

A command that writes a file claims it before any work (:func:`claimed`): the path must
not be one of its inputs, an existing file is replaced only when the command allows it,
and a lock on a file beside it (``OUT.lock``, holding the writer's pid) keeps a second
run away. The file itself is written beside its final name and renamed over it only when
complete (:func:`replacing`), so readers see the old file or the whole new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from toolkit.errors import InputError
from toolkit.files import check_output

LOCK_SUFFIX = ".lock"


def folder_name(value: object, source: str, key: str = "name") -> str:
    """``value`` if it can name one folder inside another: no path, nothing empty or hidden.

    Names from configs and exports become paths (``models/NAME/``); a separator, ``..``
    or an absolute path would write, or delete, outside the folder meant.
    """
    text = value if isinstance(value, str) else ""
    if (not text.strip() or text in (".", "..") or any(c in text for c in "/\\\0")
            or text.startswith(".")):
        raise InputError(source, f"{key} a single folder name (not empty; no /, \\, NUL "
                         "or leading .)", repr(value),
                         f'Set {key} = "my-experiment".')
    return text


def refuse_inputs(output: Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output path that is one of the inputs (by resolved path or same file)."""
    target = output.resolve()
    for item in inputs:
        if str(item) == "-":
            continue
        source = Path(item)
        if source.resolve() == target or (
                output.exists() and source.exists() and os.path.samefile(source, output)):
            raise InputError(str(output), "an output file that is none of the inputs",
                             f"the input {item} itself",
                             "Write to another file with -o; the input would be lost.")


def refuse_existing(output: Path, replace: bool, kind: str = "file") -> None:
    if output.exists() and not replace:
        raise InputError(str(output), "a new file", f"an existing {kind}",
                         "Choose another -o, or pass --force to replace it.")


@contextlib.contextmanager
def claimed(output: str | Path | None, inputs: Iterable[str | Path] = (), replace: bool = True,
            kind: str = "file") -> Iterator[Path | None]:
    """Check ``output`` against the inputs and what is there, and hold its lock meanwhile.

    ``replace`` is whether the command may replace an existing file (``--force`` where it
    has one); no ``output`` (stdout) claims nothing.
    """
    if output is None:
        yield None
        return
    output = check_output(output)
    refuse_inputs(output, inputs)
    refuse_existing(output, replace, kind)
    with locked(output):
        yield output


@contextlib.contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold ``OUT.lock`` while writing ``OUT``.

    The lock is an flock on the file, so the kernel releases it when its process dies
    however it dies: a lock file left behind is simply taken over. The file holds the
    writer's pid for the message a second run gets.
    """
    lock = output.with_name(output.name + LOCK_SUFFIX)
    while True:
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:
            raise InputError(str(output), "a writable output folder",
                             exc.strerror or str(exc), "Check the path and its permissions."
                             ) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
            os.close(descriptor)
            raise InputError(
                str(output), "no other run writing it",
                f"another speechtag run (pid {holder or '?'}) holding {lock.name}",
                "Wait for it to end, or write to another -o.") from None
        # The holder before us may have removed the file between our open and flock.
        if _same_file(descriptor, lock):
            break
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(descriptor)


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; renamed over ``path`` once whole and synced."""
    path = Path(path)
    # The suffix stays last: writers such as matplotlib pick the format from it.
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        yield temporary
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(str(path), "a writable output file", exc.strerror or str(exc),
                         "Check the path, its permissions and the free space.") from None
    finally:
        temporary.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the whole new one."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
