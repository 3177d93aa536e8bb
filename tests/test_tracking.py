"""MLflow tracking for real: the default SQLite store, and a real `mlflow server` on loopback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .conftest import HEALTH_DIR, free_port, wait_until_answering

BIN = Path(sys.executable).parent


def small_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for path in sorted(HEALTH_DIR.glob("*.jsonl"))[:3]:
        shutil.copy(path, data)
    return data


def config(tmp_path: Path, name: str, model: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'name = "{name}"\nmodel = "{model}"\ncv_folds = 3\n')
    return path


def train(tmp_path: Path, name: str, model: str, env: dict) -> str:
    done = subprocess.run(
        [str(BIN / "speechtag"), "train", "--config", str(config(tmp_path, name, model)),
         "--data", str(small_data(tmp_path) if not (tmp_path / "data").exists()
                       else tmp_path / "data"),
         "--models-dir", str(tmp_path / "models")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    return {**env, "MLFLOW_DISABLE_TELEMETRY": "true", **extra}


def test_default_store_champion_moves_only_when_better(tmp_path):
    env = clean_env()
    assert "(now champion)" in train(tmp_path, "maj", "majority", env)
    assert "(now champion)" in train(tmp_path, "rules", "cue_rules", env)
    assert "(champion unchanged)" in train(tmp_path, "maj", "majority", env)
    assert (tmp_path / "mlflow.db").is_file() and (tmp_path / "mlruns").is_dir()
    script = (
        "import mlflow, pandas as pd\n"
        f"mlflow.set_tracking_uri('sqlite:///{tmp_path / 'mlflow.db'}')\n"
        "m = mlflow.pyfunc.load_model('models:/speechtag@champion')\n"
        "out = m.predict(pd.DataFrame({'doc_id': ['a'] * 3, 'sent_id': [0, 1, 2], 'text': "
        "['三、2022年工作安排', '要加快推进项目建设。', '基层基础仍然薄弱。']}))\n"
        "print(list(out['label']))\n"
        "from toolkit.tag import Tagger\n"
        "units = [{'text': t} for t in ['三、2022年工作安排', '要加快推进项目建设。', '基层基础仍然薄弱。']]\n"
        "print([u.label for u in Tagger.load('models/rules').tag_units(units)])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    from_mlflow, from_api = done.stdout.strip().splitlines()
    assert from_mlflow == from_api
    assert from_api.endswith("'task', 'problem']")



def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def mlflow_server(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "mlflow"), "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}",
         "--artifacts-destination", str(tmp_path / "artifacts"), "--workers", "1"],
        cwd=tmp_path, env=clean_env(PATH=f"{BIN}:{os.environ['PATH']}"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(f"{url}/health", server)
    yield url
    os.killpg(server.pid, 15)
    server.wait(timeout=30)


def test_training_against_a_real_mlflow_server(tmp_path, mlflow_server):
    out = train(tmp_path, "seq", "sequence", clean_env(MLFLOW_TRACKING_URI=mlflow_server))
    assert f"at {mlflow_server}" in out
    alias = get_json(f"{mlflow_server}/api/2.0/mlflow/registered-models/alias"
                     "?name=speechtag&alias=champion")["model_version"]
    run = get_json(f"{mlflow_server}/api/2.0/mlflow/runs/get?run_id={alias['run_id']}")["run"]
    metrics = {m["key"]: m["value"] for m in run["data"]["metrics"]}
    assert alias["version"] == "1"
    assert 0.5 < metrics["cv_macro_f1"] <= 1.0
    assert {"fold_accuracy", "cv_accuracy", "f1_task"} <= set(metrics)
    assert run["inputs"]["dataset_inputs"][0]["dataset"]["name"] == "speechtag-labelled"
