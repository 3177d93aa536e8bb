"""What several commands share: the workspace they run in, and its experiment and data."""

from __future__ import annotations

import argparse
import os
import sys
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


def tagged_inputs(args: argparse.Namespace, *outputs: str | None):
    """The tagged rows of ``args.inputs`` (`profile`, `extract`): warnings and skipped files
    are printed; the model is loaded only if an input needs tagging. No output may be an
    input: writing it would destroy what is being read."""
    from toolkit.errors import InputError
    from toolkit.tagged import TaggedInputs

    if args.jobs < 1:
        raise InputError("--jobs", "a number ≥ 1", str(args.jobs), "Use --jobs 1 or more.")

    def report(kind: str, message: str) -> None:
        print(f"speechtag: {kind}: {message}", file=sys.stderr)

    def load_tagger():
        from toolkit.tag import Tagger

        return Tagger.load(args.model, workspace(args).root)

    inputs = TaggedInputs(args.inputs, load_tagger, args.jobs, report)
    sources = {Path(source).resolve() for source in inputs.sources if source != "-"}
    for output in outputs:
        if output and Path(output).resolve() in sources:
            raise InputError(output, "an output file that is not an input", "one of the inputs",
                             "Write the output to another file.")
    return inputs
