"""MLflow runs, the model registry and the champion alias (the store itself: toolkit.mlflow_store).

The store is ``MLFLOW_TRACKING_URI`` if the user set it, else SQLite in ``mlflow.db`` (artifacts
in ``mlruns/``) of the workspace: the working directory unless the CLI's ``--workspace`` names
another, where a bare ``mlflow ui`` looks too. Telemetry stays off unless the user sets
``MLFLOW_DISABLE_TELEMETRY`` themselves.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import toolkit
from toolkit.labels import LABELS
from toolkit.mlflow_store import EXPERIMENT, mlflow_for, store_errors

REGISTERED_MODEL = "speechtag"
CHAMPION = "champion"

# Models-from-code: MLflow stores this script rather than a pickle. The tagger
# itself is loaded by toolkit's safe loader from the model directory artifact.
_PYFUNC_SCRIPT = '''\
import mlflow
import pandas as pd
from mlflow.pyfunc import PythonModel


class SpeechtagModel(PythonModel):
    def load_context(self, context):
        from toolkit.tag import Tagger

        self.tagger = Tagger.load(context.artifacts["model_dir"])

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        return self.tagger.tag_frame(model_input)


mlflow.models.set_model(SpeechtagModel())
'''


def log_training(result, model_dir: Path, config_path: str | None, figure_path: Path,
                 workspace: Path | None = None) -> dict:
    """Log a training run; register its model and move ``champion`` only if it is better.

    The store is ``MLFLOW_TRACKING_URI`` if set, else ``mlflow.db`` of ``workspace``.
    """
    with store_errors(f"logging the run ({model_dir} is saved)"):
        mlflow = mlflow_for(workspace)
        return _log_training(mlflow, result, model_dir, config_path, figure_path)


def _log_training(mlflow, result, model_dir: Path, config_path: str | None,
                  figure_path: Path) -> dict:
    mlflow.set_experiment(EXPERIMENT)
    with warnings.catch_warnings(), mlflow.start_run(run_name=result.experiment.name) as run:
        # MLflow's hints about integer columns and type hints do not apply to this model.
        warnings.simplefilter("ignore")
        mlflow.log_params(_flat_params(result.experiment.to_dict()))
        for fold in result.folds:
            mlflow.log_metric("fold_accuracy", fold["accuracy"], step=fold["fold"])
            mlflow.log_metric("fold_macro_f1", fold["macro_f1"], step=fold["fold"])
        mlflow.log_metrics({
            "cv_accuracy": result.mean_accuracy,
            "cv_macro_f1": result.mean_macro_f1,
            "pooled_accuracy": result.pooled["accuracy"],
            "pooled_macro_f1": result.pooled["macro_f1"],
            **{f"f1_{label}": row["f1"] for label, row in result.pooled["per_label"].items()},
        })
        mlflow.log_dict(result.pooled, "cv_report.json")
        mlflow.log_metrics(_breakdown_metrics(result.meta["metrics"]))
        breakdowns = {key: value for key, value in result.meta["metrics"].items()
                      if key.startswith("by_") or key == "leave_one_genre_out"}
        if breakdowns:
            mlflow.log_dict(breakdowns, "breakdowns.json")
        mlflow.log_artifact(str(figure_path))
        if config_path:
            mlflow.log_artifact(str(config_path), "config")
        mlflow.log_input(_dataset(mlflow, result), context="training")
        info = _log_model(mlflow, model_dir, result)
        promoted = _promote(mlflow, info.registered_model_version, result.mean_macro_f1)
    return {
        "run_id": run.info.run_id,
        "model_uri": info.model_uri,
        "version": info.registered_model_version,
        "champion": promoted,
        "tracking_uri": mlflow.get_tracking_uri(),
    }


def _breakdown_metrics(metrics: dict) -> dict:
    """``genre_<g>_accuracy``-style metrics of the by-genre and held-out-genre tables."""
    flat = {}
    tables = {"cv_genre": metrics.get("by_genre", {}), "cv_origin": metrics.get("by_origin", {}),
              **{f"logo_{variant}": table
                 for variant, table in metrics.get("leave_one_genre_out", {}).items()}}
    for prefix, table in tables.items():
        for group, row in table.items():
            name = "".join(ch if ch.isalnum() else "_" for ch in f"{prefix}_{group}")
            flat[f"{name}_accuracy"] = row["accuracy"]
            flat[f"{name}_macro_f1"] = row["macro_f1"]
            flat[f"{name}_f1_exhortation"] = row["f1"]["exhortation"]
    return flat


def _flat_params(config: dict) -> dict:
    flat = {key: value for key, value in config.items() if key != "params"}
    flat.update({f"params.{key}": value for key, value in config["params"].items()})
    return {key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            for key, value in flat.items()}


def _dataset(mlflow, result):
    import pandas as pd

    rows = [
        {"doc_id": unit["doc_id"], "sent_id": unit["sent_id"], "text": unit["text"],
         "label": label}
        for units, labels in zip(result.data.speeches, result.data.labels, strict=True)
        for unit, label in zip(units, labels, strict=True)
    ]
    source = ",".join(str(Path(f).resolve()) for f in result.data.files)
    return mlflow.data.from_pandas(
        pd.DataFrame(rows), source=source, name="speechtag-labelled",
        digest=result.meta["dataset"]["sha256"][:20],
    )


def _log_model(mlflow, model_dir: Path, result):
    import pandas as pd
    from mlflow.models import infer_signature

    example = pd.DataFrame(
        [{"doc_id": u["doc_id"], "sent_id": u["sent_id"], "text": u["text"]}
         for u in result.data.speeches[0][:3]]
    )
    output = pd.DataFrame(
        {"label": ["task"] * 3, "confidence": [0.9] * 3,
         **{f"p_{label}": [0.2] * 3 for label in LABELS}}
    )
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "speechtag_pyfunc.py"
        script.write_text(_PYFUNC_SCRIPT)
        return mlflow.pyfunc.log_model(
            name="model",
            python_model=str(script),
            artifacts={"model_dir": str(model_dir)},
            code_paths=[str(Path(toolkit.__file__).parent)],
            signature=infer_signature(example, output),
            input_example=example,
            pip_requirements=_requirements(),
            registered_model_name=REGISTERED_MODEL,
        )


def _requirements() -> list[str]:
    from importlib import metadata

    names = ("mlflow", "scikit-learn", "jieba", "numpy", "scipy", "skops", "pandas",
             "python-docx")
    return [f"{name}=={metadata.version(name)}" for name in names]


def _promote(mlflow, version: str, macro_f1: float) -> bool:
    client = mlflow.MlflowClient()
    try:
        current = client.get_model_version_by_alias(REGISTERED_MODEL, CHAMPION)
        best = client.get_run(current.run_id).data.metrics.get("cv_macro_f1", float("-inf"))
    except mlflow.exceptions.MlflowException:
        best = float("-inf")
    if macro_f1 > best:
        client.set_registered_model_alias(REGISTERED_MODEL, CHAMPION, version)
        return True
    return False
