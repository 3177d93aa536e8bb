"""SIGKILL a training run, for real: the previous model stays whole and loadable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.paths import DEFAULT_MODEL_DIR
from toolkit.persist import load_model

from .conftest import HEALTH_DIR

BIN = Path(sys.executable).parent



@pytest.fixture
def previous(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(DEFAULT_MODEL_DIR, models / "default")
    config = tmp_path / "quick.toml"
    config.write_text('name = "default"\nmodel = "sequence"\ncv_folds = 2\n')
    sha = json.loads((models / "default" / "meta.json").read_text())["model_sha256"]
    return models, config, sha


def start_training(models: Path, config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "speechtag"), "train", "--config", str(config), "--data", str(HEALTH_DIR),
         "--models-dir", str(models), "--no-mlflow"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def test_kill_during_cross_validation_keeps_the_previous_model(previous):
    models, config, sha = previous
    process = start_training(models, config)
    time.sleep(3)
    process.send_signal(signal.SIGKILL)
    process.wait()
    _, meta = load_model(models / "default")
    assert meta["model_sha256"] == sha


def test_kill_while_saving_keeps_a_whole_model(previous):
    models, config, sha = previous
    process = start_training(models, config)
    deadline = time.monotonic() + 300
    while not any(p.name.startswith(".default.") for p in models.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.001)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _, meta = load_model(models / "default")
    assert meta["model_sha256"] == sha, "the swap happens only once the new model is whole"
    finished = start_training(models, config)
    assert finished.wait(timeout=300) == 0
    _, meta = load_model(models / "default")
    assert meta["model_sha256"] != sha and meta["config"]["cv_folds"] == 2
    assert [p.name for p in models.iterdir()] == ["default"], "abandoned staging is cleared"
