"""Save and load model directories safely: skops, a checksum, and versions checked on load.

A model directory holds ``model.skops`` and ``meta.json``. Loading never
unpickles: skops rebuilds only types on an explicit trusted list, and the
file's SHA-256 must match the one recorded in ``meta.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from importlib.resources.abc import Traversable
from pathlib import Path

from toolkit.errors import ModelError

MODEL_FILE = "model.skops"
META_FILE = "meta.json"
# Raised whenever the features a model computes change: an older model would mis-read them.
FORMAT_VERSION = 2

# Our own estimator types; scikit-learn's and numpy's are trusted by skops itself.
TRUSTED_TYPES = sorted(
    [
        "toolkit.baselines.CueRuleTagger",
        "toolkit.baselines.MajorityTagger",
        "toolkit.baselines.TfidfLogisticTagger",
        "toolkit.features.JiebaTokenizer",
        "toolkit.features.UnitFeatures",
        "toolkit.model.SpeechTagger",
        "toolkit.ngrams.CharNgrams",
        "toolkit.structure.StructureFeatures",
    ]
)
# What a model directory's archive must hold at its root: a tagger of speeches.
MODEL_TYPES = ("toolkit.baselines.CueRuleTagger", "toolkit.baselines.MajorityTagger",
               "toolkit.baselines.TfidfLogisticTagger", "toolkit.model.SpeechTagger")
_VERSIONED = ("scikit-learn", "numpy", "scipy", "skops", "jieba")


def library_versions() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in _VERSIONED}
    versions["python"] = sys.version.split()[0]
    versions["speechtag"] = metadata.version("speechtag")
    return versions


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model, directory: str | Path, meta: dict, extras: dict[str, bytes] | None = None
               ) -> Path:
    """Write ``model``, ``meta`` and ``extras`` (file name → bytes) to ``directory`` atomically.

    The new model is built in a temporary sibling directory and renamed into
    place, so an interrupted save leaves the previous model whole.
    """
    import skops.io as sio

    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(directory)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.{os.getpid()}.",
                                    dir=directory.parent))
    try:
        sio.dump(model, staging / MODEL_FILE)
        record = {
            **meta,
            "format_version": FORMAT_VERSION,
            "model_file": MODEL_FILE,
            "model_sha256": sha256_file(staging / MODEL_FILE),
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


def recover(directory: Path) -> None:
    """Restore a model that a killed save had moved aside and not yet replaced."""
    previous = directory.with_name(f".{directory.name}.previous")
    if not directory.exists() and previous.is_dir():
        previous.rename(directory)


def read_meta(directory: str | Path | Traversable) -> dict:
    """``meta.json`` of a model directory: a path, or the bundled model's package resource."""
    directory = Path(directory) if isinstance(directory, str) else directory
    if isinstance(directory, Path):
        recover(directory)
    if not directory.is_dir():
        raise ModelError(
            f"{directory}: expected a model directory, found "
            f"{'a file' if directory.is_file() else 'nothing'}. "
            "Pass a directory made by `speechtag train` (e.g. models/default)."
        )
    missing = [name for name in (META_FILE, MODEL_FILE) if not (directory / name).is_file()]
    if missing:
        raise ModelError(
            f"{directory}: expected {META_FILE} and {MODEL_FILE}, found no {', '.join(missing)}. "
            "Retrain with `speechtag train` or copy the whole model directory."
        )
    try:
        return json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(
            f"{directory / META_FILE}: expected JSON, found unreadable content ({exc}). "
            "Retrain with `speechtag train`."
        ) from None


def load_model(directory: str | Path | Traversable):
    """Load a model directory after checking its checksum, versions and types.

    ``directory`` is a path or a :mod:`importlib.resources` traversable (how the bundled
    model is read); the archive is read once, and what is checked is what is loaded.
    """
    import skops.io as sio

    directory = Path(directory) if isinstance(directory, str) else directory
    meta = read_meta(directory)
    path = directory / MODEL_FILE
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != meta.get("model_sha256"):
        raise ModelError(
            f"{path}: expected SHA-256 {meta.get('model_sha256')}, found {actual}: the file was "
            "altered or corrupted after it was saved. Retrain with `speechtag train` "
            "or restore the file; it is not loaded."
        )
    _check_versions(meta, directory)
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # skops raises several types on a malformed archive
        raise ModelError(f"{path}: expected a skops archive, found {exc!r}. Retrain.") from None
    unknown = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unknown:
        raise ModelError(
            f"{path}: expected only the types {TRUSTED_TYPES}, found untrusted types {unknown}. "
            "It is not loaded; a model file can run code through such types."
        )
    model = sio.loads(data, trusted=sorted(set(untrusted)))
    kind = f"{type(model).__module__}.{type(model).__qualname__}"
    if kind not in MODEL_TYPES:
        raise ModelError(
            f"{path}: expected a speechtag tagger ({', '.join(MODEL_TYPES)}), found a {kind}. "
            "Use a model directory written by `speechtag train`."
        )
    return model, meta


def _check_versions(meta: dict, directory) -> None:
    config = meta.get("config", {}).get("name", "default")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{directory}: expected a model of format {FORMAT_VERSION} (this speechtag's "
            f"features), found format {meta.get('format_version', 'unknown')}. Retrain it with "
            f"`speechtag train --config experiments/{config}.toml`."
        )
    saved = meta.get("versions", {}).get("scikit-learn", "")
    current = metadata.version("scikit-learn")
    if saved.split(".")[:2] != current.split(".")[:2]:
        raise ModelError(
            f"{directory}: expected a model saved with scikit-learn {current.rsplit('.', 1)[0]}.x, "
            f"found one saved with scikit-learn {saved or 'unknown'}. Retrain it here with "
            f"`speechtag train --config experiments/{config}.toml`."
        )
