"""Save a model directory so that no reader ever sees half of one.

The model is written to a temporary sibling directory, checksummed into ``meta.json``,
and swapped into place in one step; a killed save leaves the previous model whole.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from toolkit.persist import FORMAT_VERSION, META_FILE, MODEL_FILE, sha256_file
from toolkit.predictor import ARRAYS_FILE

_VERSIONED = ("scikit-learn", "numpy", "scipy", "skops", "jieba")


def library_versions() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in _VERSIONED}
    versions["python"] = sys.version.split()[0]
    versions["speechtag"] = metadata.version("speechtag")
    return versions


def save_model(model, directory: str | Path, meta: dict, extras: dict[str, bytes] | None = None
               ) -> Path:
    """Write ``model``, ``meta`` and ``extras`` (file name → bytes) to ``directory`` atomically.

    A tagger is saved as its predictor's arrays, anything else (the baselines) with skops.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(directory)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.{os.getpid()}.",
                                    dir=directory.parent))
    try:
        model_file = _write_model(model, staging)
        record = {
            **meta,
            "format_version": FORMAT_VERSION,
            "model_file": model_file,
            "model_sha256": sha256_file(staging / model_file),
            "versions": library_versions(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (staging / META_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        for name, content in (extras or {}).items():
            (staging / Path(name).name).write_bytes(content)
        for path in staging.iterdir():
            _fsync(path)
        _swap_into_place(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory


def _write_model(model, staging: Path) -> str:
    predictor = getattr(model, "predictor_", None)
    if predictor is not None:
        (staging / ARRAYS_FILE).write_bytes(predictor.to_bytes())
        return ARRAYS_FILE
    import skops.io as sio

    sio.dump(model, staging / MODEL_FILE)
    return MODEL_FILE


def _remove_abandoned(directory: Path) -> None:
    """Delete staging directories left by saves that were killed (their process is gone)."""
    for staging in directory.parent.glob(f".{directory.name}.*.*"):
        pid = staging.name.split(".")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _swap_into_place(staging: Path, directory: Path) -> None:
    """Put ``staging`` at ``directory``; at no instant is there no whole model at that name.

    Linux exchanges the two directories in one step (renameat2 RENAME_EXCHANGE).
    Elsewhere the old one is first moved aside to ``.NAME.previous``, which
    :func:`recover` puts back if the process dies between the two renames.
    """
    if not directory.exists():
        staging.rename(directory)
    elif _exchange(staging, directory):
        shutil.rmtree(staging, ignore_errors=True)
    else:
        previous = directory.with_name(f".{directory.name}.previous")
        shutil.rmtree(previous, ignore_errors=True)
        directory.rename(previous)
        staging.rename(directory)
        shutil.rmtree(previous, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        rename_exchange, at_fdcwd = 2, -100
        return libc.renameat2(at_fdcwd, bytes(first), at_fdcwd, bytes(second),
                              rename_exchange) == 0
    except (OSError, AttributeError):
        return False
