"""``speechtag train``: cross-validate by speech, save ``models/NAME/``, log to MLflow."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from toolkit.config import load_experiment
from toolkit.dataset import dataset_files, read_units
from toolkit.evaluate import CV_PREDICTIONS, cv_predictions, format_report
from toolkit.paths import DATASETS_DIR, DEFAULT_EXPERIMENT, MODELS_DIR
from toolkit.persist import save_model
from toolkit.plots import save_confusion
from toolkit.train import train_experiment


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train", help="train a model on labelled speeches",
        description="Cross-validate by speech, fit on all data, save models/NAME/ and log the "
                    "run to MLflow (sqlite ./mlflow.db unless MLFLOW_TRACKING_URI is set).",
    )
    parser.add_argument("--config", default=str(DEFAULT_EXPERIMENT),
                        help="experiment TOML (default: experiments/default.toml)")
    parser.add_argument("--data", default=str(DATASETS_DIR),
                        help="labelled JSONL file or directory (default: datasets/)")
    parser.add_argument("--models-dir", default=str(MODELS_DIR),
                        help="where models/NAME/ is written (default: models/)")
    parser.add_argument("--no-mlflow", action="store_true", help="do not log to MLflow")
    parser.add_argument("--no-genre-holdout", action="store_true",
                        help="skip leave-one-genre-out (it fits two models per real genre)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    experiment = load_experiment(args.config)
    data = read_units(dataset_files(args.data))
    print(f"training {experiment.name!r} ({experiment.model}) on {len(data.speeches)} speeches, "
          f"{data.n_units()} units; cross-validation grouped by speech")
    result = train_experiment(experiment, data)
    for fold in result.folds:
        print(f"  fold {fold['fold']} held out {', '.join(fold['held_out'])}: "
              f"accuracy {fold['accuracy']:.3f}  macro-F1 {fold['macro_f1']:.3f}")
    print(f"mean over folds: accuracy {result.mean_accuracy:.3f}  "
          f"macro-F1 {result.mean_macro_f1:.3f}\n")
    print(format_report(result.pooled))
    _breakdowns(result, holdout=not args.no_genre_holdout)
    predictions = cv_predictions(result.data, result.oof_labels, result.oof_proba)
    model_dir = save_model(result.model, Path(args.models_dir) / experiment.name, result.meta,
                           {CV_PREDICTIONS: predictions})
    print(f"\nsaved {model_dir}")
    if not args.no_mlflow:
        from toolkit import tracking

        with tempfile.TemporaryDirectory() as scratch:
            figure = save_confusion(result.pooled, Path(scratch) / "confusion_matrix.png",
                                    f"{experiment.name}: by-speech CV")
            logged = tracking.log_training(result, model_dir, experiment.path, figure)
        verdict = "now champion" if logged["champion"] else "champion unchanged"
        print(f"MLflow run {logged['run_id']} at {logged['tracking_uri']}: registered "
              f"speechtag version {logged['version']} ({verdict})")
    return 0


def _breakdowns(result, holdout: bool) -> None:
    """By-genre, by-origin and by-sector tables of the CV predictions, and genres held out."""
    from toolkit.evaluate import compact, format_table
    from toolkit.holdout import breakdown, leave_one_genre_out

    metrics = result.meta["metrics"]
    for key in ("genre", "origin", "sector"):
        table = breakdown(result.data, result.oof_labels, key)
        if len(table) > 1:
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
