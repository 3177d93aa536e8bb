"""What several commands share: the workspace they run in, and its experiment and data."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from toolkit.errors import InputError
from toolkit.workspace import Workspace


def workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.at(getattr(args, "workspace", None))


def shown(path: str | Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def experiment_and_data(args: argparse.Namespace):
    """The experiment (``--config`` or the workspace's default) and the labelled speeches
    (``--data`` or the workspace's ``datasets/``) that train and check-labels use."""
    from toolkit.config import load_experiment
    from toolkit.dataset import dataset_files, read_units

    here = workspace(args)
    experiment = load_experiment(args.config or here.experiment())
    data = args.data or here.labelled_data()
    # Silver sources are named relative to the workspace (train joins absolute paths as is).
    experiment.silver_from = [str(here.root / path) for path in experiment.silver_from]
    return here, experiment, read_units(dataset_files(data))


def readable_speeches(inputs: list[str]) -> tuple[list[list[dict]], bool]:
    """The speeches of every readable input, each unreadable one reported and skipped;
    and whether any was skipped (the command then ends with exit code 1)."""
    from toolkit.bulk import speeches_in

    speeches, errors = speeches_in(inputs)
    for error in errors:
        print(f"speechtag: error: {error} (skipped)", file=sys.stderr)
    if not speeches:
        raise InputError(", ".join(inputs), "at least one readable speech", "none",
                         "Fix the errors above.")
    return speeches, bool(errors)
