"""``speechtag train``: cross-validate by document, score genres held out whole, save
``models/NAME/`` of the workspace, log to the workspace's MLflow store. The bundled model
inside the package is never written."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from toolkit.cli.common import experiment_and_data, progress_shown, shown
from toolkit.evaluate import CV_PREDICTIONS, cv_predictions, format_report
from toolkit.outputs import locked
from toolkit.save import save_model
from toolkit.train import train_experiment
from toolkit.workspace import writable


def run(args: argparse.Namespace) -> int:
    here, experiment, data = experiment_and_data(args)
    models_dir = writable(args.models_dir or here.models)
    target = Path(models_dir) / experiment.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        return _train(args, here, experiment, data, target)


def _train(args: argparse.Namespace, here, experiment, data, target: Path) -> int:
    print(f"training {experiment.name!r} ({experiment.model}) on {len(data.speeches)} speeches, "
          f"{data.n_units()} units; cross-validation grouped by document")
    with progress_shown(args):
        result = train_experiment(experiment, data)
    for fold in result.folds:
        print(f"  fold {fold['fold']} held out {', '.join(fold['held_out'])}: "
              f"accuracy {fold['accuracy']:.3f}  macro-F1 {fold['macro_f1']:.3f}")
    print(f"mean over folds: accuracy {result.mean_accuracy:.3f}  "
          f"macro-F1 {result.mean_macro_f1:.3f}\n")
    print(format_report(result.pooled))
    _breakdowns(result, holdout=not args.no_genre_holdout)
    predictions = cv_predictions(result.data, result.oof_labels, result.oof_proba)
    model_dir = save_model(result.model, target, result.meta,
                           {CV_PREDICTIONS: predictions})
    print(f"\nsaved {shown(model_dir)} (use it with --model {shown(model_dir)})")
    if not args.no_mlflow:
        from toolkit import tracking
        from toolkit.plots import save_confusion

        with tempfile.TemporaryDirectory() as scratch:
            figure = save_confusion(result.pooled, Path(scratch) / "confusion_matrix.png",
                                    f"{experiment.name}: by-document CV")
            logged = tracking.log_training(result, model_dir, experiment.path, figure, here.root)
        verdict = "now champion" if logged["champion"] else "champion unchanged"
        print(f"MLflow run {logged['run_id']} at {logged['tracking_uri']}: registered "
              f"speechtag version {logged['version']} ({verdict})")
    return 0


def _breakdowns(result, holdout: bool) -> None:
    """By-genre, by-origin and by-sector tables of the CV predictions, and genres held out."""
    from toolkit.evaluate import compact, format_table
    from toolkit.holdout import breakdowns, leave_one_genre_out

    metrics = result.meta["metrics"]
    for key, table in breakdowns(result.data, result.oof_labels).items():
        metrics[f"by_{key}"] = {name: compact(row) for name, row in table.items()}
        print(f"\n{format_table(f'by-document CV, by {key}', table)}")
    if not holdout:
        return
    tables = leave_one_genre_out(result.experiment, result.data)
    for variant, table in tables.items():
        metrics.setdefault("leave_one_genre_out", {})[variant] = {
            name: compact(row) for name, row in table.items()}
        title = f"leave-one-genre-out, trained {variant.replace('_', ' ')} speeches"
        print(f"\n{format_table(title, table)}")
