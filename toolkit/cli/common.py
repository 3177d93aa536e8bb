"""What several commands share: the workspace they run in, and its experiment and data."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

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
