"""What several commands share: the workspace they run in, and its experiment and data."""

from __future__ import annotations

import argparse
import contextlib
import logging
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


@contextlib.contextmanager
def progress_shown(args: argparse.Namespace):
    """Let training's per-fold lines through to stderr (unless -q) while a command runs."""
    logger = logging.getLogger("toolkit.train")
    before = logger.level
    if not args.quiet:
        logger.setLevel(min(before or logging.INFO, logging.INFO))
    try:
        yield
    finally:
        logger.setLevel(before)


def warn_if_trained_on(tagger, files, what: str) -> None:
    """Say so when ``files`` are the model's own training data: its scores there flatter it."""
    from toolkit.dataset import seen_in_training

    files = [Path(f) for f in files if str(f).lower().endswith(".jsonl")]
    seen = seen_in_training(tagger.meta, files)
    if seen:
        part = "" if len(seen) == len(files) else f"{len(seen)} of {len(files)} files of "
        print(f"speechtag: warning: {part}{what} is the model's own training data (as the "
              f"SHA-256s in {tagger.source}/meta.json say): what the model says about it is "
              "not out of sample. Use speeches it was not trained on, or the cross-validated "
              "figures of `speechtag train`.", file=sys.stderr)


def data_files(args: argparse.Namespace) -> list[Path]:
    """The labelled JSONL files of ``--data``, or of the workspace's ``datasets/``."""
    from toolkit.dataset import dataset_files

    return dataset_files(args.data or workspace(args).labelled_data())


def experiment_and_data(args: argparse.Namespace):
    """The experiment (``--config`` or the workspace's default) and the labelled speeches
    (``--data`` or the workspace's ``datasets/``) that train and check-labels use."""
    from toolkit.config import load_experiment
    from toolkit.dataset import read_units

    here = workspace(args)
    experiment = load_experiment(args.config or here.experiment())
    # Silver sources are named relative to the workspace (train joins absolute paths as is).
    experiment.silver_from = [str(here.root / path) for path in experiment.silver_from]
    return here, experiment, read_units(data_files(args))


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


def tagged_inputs(args: argparse.Namespace):
    """The tagged rows of ``args.inputs`` (`profile`, `extract`): warnings and skipped files
    are printed; the model is loaded only if an input needs tagging."""
    from toolkit.tagged import TaggedInputs

    if args.jobs < 1:
        raise InputError("--jobs", "a number ≥ 1", str(args.jobs), "Use --jobs 1 or more.")

    def report(kind: str, message: str) -> None:
        print(f"speechtag: {kind}: {message}", file=sys.stderr)

    def load_tagger():
        from toolkit.tag import Tagger

        return Tagger.load(args.model, workspace(args).root)

    return TaggedInputs(args.inputs, load_tagger, args.jobs, report)
