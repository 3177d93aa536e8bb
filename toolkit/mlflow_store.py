"""The MLflow store: which one (the user's ``MLFLOW_TRACKING_URI``, else the workspace's
SQLite ``mlflow.db``), created safely, its errors as one sentence, and models fetched from it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from toolkit.errors import ModelError

EXPERIMENT = "speechtag"


# Tracking URIs this module set: mlflow.set_tracking_uri also exports them as
# MLFLOW_TRACKING_URI, which must not then pass for the user's choice.
_SET_HERE: set[str] = set()


def _user_store() -> str | None:
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    return uri if uri and uri not in _SET_HERE else None


def _import_mlflow():
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    import mlflow

    return mlflow


def mlflow_for(workspace: Path | None = None):
    mlflow = _import_mlflow()
    if not _user_store():
        uri = default_tracking_uri(workspace)
        _SET_HERE.add(uri)
        mlflow.set_tracking_uri(uri)
        # Creating the SQLite store runs its schema migrations, which two processes (two
        # `train` at once on a fresh workspace) must not run together: one at a time.
        with _locked(Path(workspace or Path.cwd())):
            _create_experiment(mlflow, workspace)
    return mlflow


@contextlib.contextmanager
def _locked(folder: Path):
    import fcntl

    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def default_tracking_uri(workspace: Path | None = None) -> str:
    """SQLite in ``mlflow.db`` of the workspace (the current directory unless given)."""
    return f"sqlite:///{Path(workspace or Path.cwd()).resolve() / 'mlflow.db'}"


def _create_experiment(mlflow, workspace: Path | None) -> None:
    """The experiment of the default store, its artifacts in the workspace's mlruns/."""
    if not mlflow.get_experiment_by_name(EXPERIMENT):
        artifacts = Path(workspace or Path.cwd()).resolve() / "mlruns" / EXPERIMENT
        mlflow.create_experiment(EXPERIMENT, artifact_location=artifacts.as_uri())


@contextlib.contextmanager
def store_errors(doing: str):
    """An MLflow store that cannot be reached or read (a bad MLFLOW_TRACKING_URI, a missing
    model) as one sentence."""
    mlflow = _import_mlflow()
    try:
        yield
    except mlflow.exceptions.MlflowException as exc:
        found = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelError(
            f"{mlflow.get_tracking_uri()}: expected an MLflow store that answers while "
            f"{doing}, found: {found}. Check MLFLOW_TRACKING_URI (unset, the workspace's "
            "mlflow.db is used) and the model's name, and run again."
        ) from None


def download_model_dir(uri: str, destination: str | Path, workspace: Path | None = None) -> Path:
    """Fetch a registered or logged MLflow model and return its toolkit model directory."""
    with store_errors(f"fetching {uri}"):
        mlflow = mlflow_for(workspace)
        local = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri,
                                                         dst_path=str(destination)))
    matches = sorted(local.rglob("meta.json"))
    if not matches:
        raise ModelError(
            f"{uri}: expected an MLflow model logged by speechtag, found no meta.json in it. "
            "Use a model registered by `speechtag train`."
        )
    return matches[0].parent
