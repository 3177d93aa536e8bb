"""Save and load model directories safely: plain arrays or skops, a checksum, versions checked.

A model directory holds ``meta.json`` and the model file it names: ``predictor.npz``
(the tagger's arrays, read with numpy alone and never unpickled) or, for the baselines,
``model.skops`` (skops rebuilds only types on an explicit trusted list). The file's
SHA-256 must match the one recorded in ``meta.json``.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from importlib.resources.abc import Traversable
from pathlib import Path

from toolkit.errors import ModelError
from toolkit.predictor import ARRAYS_FILE, Predictor

MODEL_FILE = "model.skops"
META_FILE = "meta.json"
# Raised whenever the features a model computes change: an older model would mis-read them.
FORMAT_VERSION = 3

# Our own estimator types; scikit-learn's and numpy's are trusted by skops itself.
TRUSTED_TYPES = sorted(
    [
        "toolkit.baselines.CueRuleTagger",
        "toolkit.baselines.MajorityTagger",
        "toolkit.baselines.TfidfLogisticTagger",
        "toolkit.words.JiebaTokenizer",
    ]
)
# What a skops archive must hold at its root: a tagger of speeches (the baselines; the
# sequence tagger is saved as arrays).
MODEL_TYPES = ("toolkit.baselines.CueRuleTagger", "toolkit.baselines.MajorityTagger",
               "toolkit.baselines.TfidfLogisticTagger")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    if not (directory / META_FILE).is_file():
        raise ModelError(
            f"{directory}: expected {META_FILE}, found none. "
            "Retrain with `speechtag train` or copy the whole model directory."
        )
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(
            f"{directory / META_FILE}: expected JSON, found unreadable content ({exc}). "
            "Retrain with `speechtag train`."
        ) from None
    model_file = meta.get("model_file", MODEL_FILE) if isinstance(meta, dict) else None
    # The name comes from a file anyone can edit: only the two names a save writes are read.
    if model_file not in (ARRAYS_FILE, MODEL_FILE):
        raise ModelError(
            f"{directory / META_FILE}: expected model_file {ARRAYS_FILE} or {MODEL_FILE}, "
            f"found {model_file!r}. Retrain with `speechtag train`."
        )
    if not (directory / model_file).is_file():
        raise ModelError(
            f"{directory}: expected {META_FILE} and {model_file}, found no {model_file}. "
            "Retrain with `speechtag train` or copy the whole model directory."
        )
    return meta


def load_model(directory: str | Path | Traversable):
    """Load a model directory after checking its checksum, versions and types.

    ``directory`` is a path or a :mod:`importlib.resources` traversable (how the bundled
    model is read); the file is read once, and what is checked is what is loaded. A
    tagger's arrays load with numpy alone; a skops archive needs scikit-learn.
    """
    directory = Path(directory) if isinstance(directory, str) else directory
    meta = read_meta(directory)
    path = directory / meta.get("model_file", MODEL_FILE)
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != meta.get("model_sha256"):
        raise ModelError(
            f"{path}: expected SHA-256 {meta.get('model_sha256')}, found {actual}: the file was "
            "altered or corrupted after it was saved. Retrain with `speechtag train` "
            "or restore the file; it is not loaded."
        )
    _check_format(meta, directory)
    if path.name == ARRAYS_FILE:
        try:
            return Predictor.from_bytes(data), meta
        except (ValueError, KeyError, OSError) as exc:
            raise ModelError(f"{path}: expected the arrays of a tagger, found {exc!r}. "
                             "Retrain with `speechtag train`.") from None
    return _load_skops(data, path, meta, directory), meta


def _load_skops(data: bytes, path, meta: dict, directory):
    import skops.io as sio

    _check_scikit_learn(meta, directory)
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
    return model


def _retrain(meta: dict) -> str:
    config = meta.get("config", {}).get("name", "default")
    return f"`speechtag train --config experiments/{config}.toml`"


def _check_format(meta: dict, directory) -> None:
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{directory}: expected a model of format {FORMAT_VERSION} (this speechtag's "
            f"features), found format {meta.get('format_version', 'unknown')}. Retrain it with "
            f"{_retrain(meta)}."
        )


def _check_scikit_learn(meta: dict, directory) -> None:
    saved = meta.get("versions", {}).get("scikit-learn", "")
    current = metadata.version("scikit-learn")
    if saved.split(".")[:2] != current.split(".")[:2]:
        raise ModelError(
            f"{directory}: expected a model saved with scikit-learn {current.rsplit('.', 1)[0]}.x, "
            f"found one saved with scikit-learn {saved or 'unknown'}. Retrain it here with "
            f"{_retrain(meta)}."
        )
