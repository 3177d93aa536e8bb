"""Where things live. Pure: nothing here creates or writes a file.

Two kinds of place:

- **Inside the package**, read-only: the bundled model (``toolkit/models/default``), the
  page's static files, and the template of a workspace (``toolkit/template``). They are
  package data, reached through :mod:`importlib.resources`.
- **A workspace**, the user's: a folder holding ``datasets/``, ``experiments/``,
  ``models/`` and ``mlflow.db`` — see :mod:`toolkit.workspace`. In this repository the
  workspace is the repository root.

The labelled speeches and the default experiment that ``speechtag init`` copies into a new
workspace have one source of truth, the repository's ``datasets/`` and ``experiments/``.
A built wheel carries a copy under ``toolkit/template/`` (made by ``build_hooks.py`` at
build time, never committed); a source checkout reads the repository's folders directly.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "toolkit"
PACKAGE_DIR = Path(__file__).resolve().parent
# The source checkout, when running from one (tests, notebooks, benchmarks).
ROOT = PACKAGE_DIR.parent
CORPUS_DIR = ROOT.parent / "shared" / "corpus"

MODEL_NAME = "default"
DEFAULT_MODEL_DIR = PACKAGE_DIR / "models" / MODEL_NAME
TEMPLATE = "template"
# What a workspace holds, relative to its folder.
DATASETS = "datasets"
EXPERIMENTS = "experiments"
MODELS = "models"
MLFLOW_DB = "mlflow.db"
DEFAULT_EXPERIMENT_FILE = f"{EXPERIMENTS}/{MODEL_NAME}.toml"


def bundled_model() -> Traversable:
    """The model directory shipped inside the package (read-only)."""
    return resources.files(PACKAGE) / "models" / MODEL_NAME


def shipped(relative: str) -> Path | Traversable | None:
    """A file or folder of the workspace template (``datasets``, ``experiments/default.toml``,
    ``README.md``): the package's copy in a wheel, the repository's own in a checkout."""
    packaged = resources.files(PACKAGE) / TEMPLATE
    for part in relative.split("/"):
        packaged = packaged / part
    if packaged.is_dir() or packaged.is_file():
        return packaged
    checkout = ROOT / relative
    if (ROOT / "pyproject.toml").is_file() and checkout.exists():
        return checkout
    return None


def _shipped_path(relative: str) -> Path:
    found = shipped(relative)
    return Path(str(found)) if found is not None else ROOT / relative


# The shipped labelled speeches and experiments, as paths (for notebooks, tests, benchmarks).
DATASETS_DIR = _shipped_path(DATASETS)
EXPERIMENTS_DIR = _shipped_path(EXPERIMENTS)
DEFAULT_EXPERIMENT = _shipped_path(DEFAULT_EXPERIMENT_FILE)
