"""Workspaces: `speechtag init`, and commands that read and write the workspace only."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import workspace as workspace_module
from toolkit.cli import main
from toolkit.paths import DATASETS_DIR, DEFAULT_EXPERIMENT, DEFAULT_MODEL_DIR, PACKAGE_DIR
from toolkit.workspace import Workspace

BIN = Path(sys.executable).parent
FAST = 'name = "quick"\nmodel = "majority"\ncv_folds = 2\n'


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) with the SHA-256 of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def package_files() -> dict[str, str]:
    return {name: digest for name, digest in tree(PACKAGE_DIR).items()
            if "__pycache__" not in name}


def test_init_copies_the_shipped_data_readme_and_experiment(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws")]) == 0
    ws = tmp_path / "ws"
    assert tree(ws / "datasets") == tree(DATASETS_DIR)
    assert (ws / "experiments" / "default.toml").read_bytes() == DEFAULT_EXPERIMENT.read_bytes()
    readme = (ws / "README.md").read_text(encoding="utf-8")
    assert "speechtag import-labels" in readme and "speechtag train" in readme
    assert f"datasets/ ({len(tree(DATASETS_DIR))} files)" in capsys.readouterr().err


def test_init_copies_nested_dataset_folders(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    for name in ("health-speeches/a.jsonl", "health-speeches/README.md",
                 "work-reports/2024/b.jsonl", "README.md", "experiments/default.toml",
                 "template-README.md"):
        (shipped / name).parent.mkdir(parents=True, exist_ok=True)
        (shipped / name).write_text(name, encoding="utf-8")
    where = {"datasets": shipped, "experiments/default.toml": shipped / "experiments" /
             "default.toml", "README.md": shipped / "template-README.md"}
    monkeypatch.setattr(workspace_module, "shipped", where.get)
    copied = workspace_module.init_workspace(tmp_path / "ws")
    assert tree(tmp_path / "ws" / "datasets") == tree(shipped)
    assert copied == {"datasets": 6, "experiments/default.toml": 1, "README.md": 1}


def test_init_refuses_to_replace_a_workspace(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    (tmp_path / "datasets" / "mine.jsonl").write_text("{}\n")
    before = tree(tmp_path)
    capsys.readouterr()
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'datasets'}: expected a folder without it" in err
    assert tree(tmp_path) == before


def test_train_without_datasets_says_so_and_how_to_start(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--no-mlflow"]) == 1
    err = capsys.readouterr().err
    assert f"found no datasets/ in {tmp_path}" in err
    assert "speechtag init DIR" in err
    assert list(tmp_path.iterdir()) == []


def test_train_writes_into_the_workspace_never_the_package(tmp_path, monkeypatch, capsys):
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    (ws / "experiments" / "default.toml").write_text(FAST)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    package = package_files()
    assert main(["train", "--workspace", str(ws), "--no-mlflow"]) == 0
    assert sorted(p.name for p in (ws / "models" / "quick").iterdir()) == [
        "cv_predictions.jsonl.gz", "meta.json", "model.skops"]
    meta = json.loads((ws / "models" / "quick" / "meta.json").read_text())
    assert sorted(meta["dataset"]["files"]) == sorted(p.name for p in DATASETS_DIR.rglob("*.jsonl"))
    assert list(elsewhere.iterdir()) == []
    assert package_files() == package


def test_a_models_dir_inside_the_package_is_refused(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    package = package_files()
    assert main(["--workspace", str(tmp_path), "train", "--no-mlflow",
                 "--models-dir", str(DEFAULT_MODEL_DIR.parent)]) == 1
    assert "expected a models folder outside the package" in capsys.readouterr().err
    assert package_files() == package


def test_evaluate_defaults_to_the_workspace_datasets(tmp_path, capsys):
    one = sorted(DATASETS_DIR.rglob("*.jsonl"))[0]
    (tmp_path / "datasets").mkdir()
    shutil.copy(one, tmp_path / "datasets")
    assert main(["--workspace", str(tmp_path), "evaluate", "--json"]) == 0
    rows = sum(1 for line in one.read_text(encoding="utf-8").splitlines() if line.strip())
    assert json.loads(capsys.readouterr().out)["n"] == rows


def test_the_experiment_is_the_workspace_own_else_the_shipped_one(tmp_path):
    assert Workspace.at(tmp_path).experiment() == DEFAULT_EXPERIMENT
    own = tmp_path / "experiments" / "default.toml"
    own.parent.mkdir()
    own.write_text(FAST)
    assert Workspace.at(tmp_path).experiment() == own


def test_mlflow_logs_to_the_workspace_not_the_current_folder(tmp_path):
    ws = tmp_path / "ws"
    assert main(["init", str(ws)]) == 0
    (ws / "experiments" / "default.toml").write_text(FAST)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    done = subprocess.run([str(BIN / "speechtag"), "--workspace", str(ws), "train"],
                          cwd=elsewhere, env={**env, "MLFLOW_DISABLE_TELEMETRY": "true"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"at sqlite:///{ws / 'mlflow.db'}" in done.stdout
    assert (ws / "mlflow.db").is_file() and (ws / "mlruns").is_dir()
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("argv", [["--workspace", "W", "evaluate", "--json"],
                                  ["evaluate", "--workspace", "W", "--json"]])
def test_workspace_flag_before_or_after_the_command(tmp_path, capsys, argv):
    (tmp_path / "datasets").mkdir()
    shutil.copy(sorted(DATASETS_DIR.rglob("*.jsonl"))[0], tmp_path / "datasets")
    assert main([str(tmp_path) if arg == "W" else arg for arg in argv]) == 0
    assert json.loads(capsys.readouterr().out)["n"] > 0
