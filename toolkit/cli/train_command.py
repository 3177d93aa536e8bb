"""``speechtag train``: cross-validate by speech, save ``models/NAME/`` of the workspace,
log to the workspace's MLflow store. The bundled model inside the package is never written."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from toolkit.cli.common import experiment_and_data, shown
from toolkit.evaluate import format_report
from toolkit.persist import save_model
from toolkit.train import train_experiment
from toolkit.workspace import writable


def run(args: argparse.Namespace) -> int:
    here, experiment, data = experiment_and_data(args)
    models_dir = writable(args.models_dir or here.models)
    print(f"training {experiment.name!r} ({experiment.model}) on {len(data.speeches)} speeches, "
          f"{data.n_units()} units; cross-validation grouped by speech")
    result = train_experiment(experiment, data)
    for fold in result.folds:
        print(f"  fold {fold['fold']} held out {', '.join(fold['held_out'])}: "
              f"accuracy {fold['accuracy']:.3f}  macro-F1 {fold['macro_f1']:.3f}")
    print(f"mean over folds: accuracy {result.mean_accuracy:.3f}  "
          f"macro-F1 {result.mean_macro_f1:.3f}\n")
    print(format_report(result.pooled))
    model_dir = save_model(result.model, Path(models_dir) / experiment.name, result.meta)
    print(f"\nsaved {shown(model_dir)} (use it with --model {shown(model_dir)})")
    if not args.no_mlflow:
        from toolkit import tracking
        from toolkit.plots import save_confusion

        with tempfile.TemporaryDirectory() as scratch:
            figure = save_confusion(result.pooled, Path(scratch) / "confusion_matrix.png",
                                    f"{experiment.name}: by-speech CV")
            logged = tracking.log_training(result, model_dir, experiment.path, figure, here.root)
        verdict = "now champion" if logged["champion"] else "champion unchanged"
        print(f"MLflow run {logged['run_id']} at {logged['tracking_uri']}: registered "
              f"speechtag version {logged['version']} ({verdict})")
    return 0
