"""A workspace: the folder that holds one user's data, experiments, models and MLflow runs.

``datasets/`` (labelled JSONL, in subfolders or not), ``experiments/`` (TOML configs),
``models/`` (what ``speechtag train`` writes) and ``mlflow.db`` (with ``mlruns/``) — all
relative to the workspace folder, which is the current directory unless the CLI is given
``--workspace DIR``. The installed package is never a workspace: the bundled model and
the shipped data inside it are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from toolkit.errors import InputError
from toolkit.paths import (
    DATASETS,
    DEFAULT_EXPERIMENT_FILE,
    EXPERIMENTS,
    MLFLOW_DB,
    MODELS,
    PACKAGE_DIR,
    shipped,
)

START = "Start one with `speechtag init DIR` and run from DIR (or pass --workspace DIR)"
# What `speechtag init` copies from the package's template, in this order.
TEMPLATE_ENTRIES = (DATASETS, DEFAULT_EXPERIMENT_FILE, "README.md")


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace folder; nothing is created until a command writes."""

    root: Path

    @classmethod
    def at(cls, folder: str | Path | None = None) -> Workspace:
        return cls(Path(folder).absolute() if folder else Path.cwd())

    @property
    def datasets(self) -> Path:
        return self.root / DATASETS

    @property
    def experiments(self) -> Path:
        return self.root / EXPERIMENTS

    @property
    def models(self) -> Path:
        return self.root / MODELS

    @property
    def mlflow_db(self) -> Path:
        return self.root / MLFLOW_DB

    def labelled_data(self) -> Path:
        """``datasets/``, or an error that says there is none here and how to start."""
        if not self.datasets.is_dir():
            raise InputError(
                str(self.datasets), "a workspace with labelled speeches in datasets/",
                f"no datasets/ in {self.root}", f"{START}, or pass --data PATH.",
            )
        return self.datasets

    def experiment(self) -> Path:
        """``experiments/default.toml`` of the workspace, else the one the package ships."""
        own = self.root / DEFAULT_EXPERIMENT_FILE
        if own.is_file():
            return own
        packaged = shipped(DEFAULT_EXPERIMENT_FILE)
        if packaged is None:
            raise InputError(str(own), "an experiment TOML file", "none",
                             f"{START}, or pass --config FILE.")
        return Path(str(packaged))  # an installed package lives on the file system


def writable(models_dir: str | Path) -> Path:
    """``models_dir`` if training may write there: never inside the installed package."""
    resolved = Path(models_dir).resolve()
    if resolved == PACKAGE_DIR or PACKAGE_DIR in resolved.parents:
        raise InputError(
            str(models_dir), "a models folder outside the package",
            "one inside it, where the bundled model is read-only", f"{START}.",
        )
    return Path(models_dir)


def init_workspace(folder: str | Path) -> dict[str, int]:
    """Make ``folder`` a workspace: the shipped labelled speeches (the whole ``datasets/``
    tree), the default experiment and a README of the labelling loop.

    Refuses to replace anything already there. Returns files written per entry.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), "a folder for the workspace", "a file",
                         "Choose another DIR.")
    sources = {}
    for entry in TEMPLATE_ENTRIES:
        source = shipped(entry)
        if source is None:
            raise InputError(entry, "data shipped with speechtag", "nothing",
                             "Reinstall speechtag; the package is incomplete.")
        if (folder / entry).exists():
            raise InputError(str(folder / entry), "a folder without it", "it already there",
                             "Choose another DIR, or move it away first.")
        sources[entry] = source
    return {entry: _copy(source, folder / entry) for entry, source in sources.items()}


def _copy(source: Path | Traversable, target: Path) -> int:
    """Copy a file or a whole tree (any depth) of package resources; return files copied."""
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        return 1
    target.mkdir(parents=True, exist_ok=True)
    return sum(_copy(child, target / child.name) for child in sorted(
        source.iterdir(), key=lambda child: child.name)
        if not child.name.startswith((".", "__pycache__")))
