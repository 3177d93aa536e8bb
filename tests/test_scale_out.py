"""The registered MLflow model, served by `mlflow models serve` and run by Spark's spark_udf."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from toolkit.tag import Tagger

from .conftest import HEALTH_DIR, free_port, wait_until_answering

BIN = Path(sys.executable).parent


def clean_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    return {**env, "MLFLOW_DISABLE_TELEMETRY": "true", "PATH": f"{BIN}:{env['PATH']}",
            "MLFLOW_TRACKING_URI": f"sqlite:///{tmp / 'mlflow.db'}"}


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    """A model trained and registered in a fresh SQLite store, and its directory."""
    tmp = tmp_path_factory.mktemp("registry")
    config = tmp / "quick.toml"
    config.write_text('name = "quick"\nmodel = "sequence"\ncv_folds = 2\n')
    done = subprocess.run(
        [str(BIN / "speechtag"), "train", "--config", str(config), "--data", str(HEALTH_DIR),
         "--models-dir", str(tmp / "models")],
        cwd=tmp, env=clean_env(tmp), capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return tmp, Tagger.load(tmp / "models" / "quick")


def units(copies: int = 1) -> list[dict]:
    rows = []
    for copy in range(copies):
        for path in sorted(HEALTH_DIR.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                rows.append({"doc_id": f"{row['doc_id']}#{copy}", "sent_id": row["sent_id"],
                             "text": row["text"]})
    return rows


def python_labels(tagger: Tagger, rows: list[dict]) -> dict[tuple[str, int], str]:
    speeches: dict[str, list[dict]] = {}
    for row in rows:
        speeches.setdefault(row["doc_id"], []).append(row)
    tagged = tagger.tag_speeches(list(speeches.values()), explain=False)
    return {(u.doc_id, u.sent_id): u.label for speech in tagged for u in speech}



def test_mlflow_models_serve_returns_the_same_labels(registered):
    tmp, tagger = registered
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "mlflow"), "models", "serve", "-m", "models:/speechtag@champion",
         "--env-manager", "local", "--host", "127.0.0.1", "-p", str(port)],
        cwd=tmp, env=clean_env(tmp), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/ping", server)
        rows = [r for r in units() if r["doc_id"].startswith("003_")]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations",
            data=json.dumps({"dataframe_records": rows}, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            predictions = json.loads(response.read())["predictions"]
        served = {(r["doc_id"], r["sent_id"]): p["label"] for r, p in zip(rows, predictions,
                                                                           strict=True)}
        assert served == python_labels(tagger, rows)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def test_spark_udf_gives_the_python_labels(registered):
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    pyspark = pytest.importorskip("pyspark")
    import mlflow
    from pyspark.sql import SparkSession

    tmp, tagger = registered
    os.environ["PYSPARK_PYTHON"] = sys.executable
    mlflow.set_tracking_uri(clean_env(tmp)["MLFLOW_TRACKING_URI"])
    rows = units(copies=5)
    spark = (SparkSession.builder.master("local[2]").appName("speechtag-test")
             .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    try:
        frame = (spark.createDataFrame(rows).repartition(2, "doc_id")
                 .sortWithinPartitions("doc_id", "sent_id"))
        tag = mlflow.pyfunc.spark_udf(spark, "models:/speechtag@champion",
                                      result_type="label string, confidence double",
                                      env_manager="local")
        out = frame.withColumn("tagged", tag("doc_id", "sent_id", "text")).select(
            "doc_id", "sent_id", "tagged.label").collect()
    finally:
        spark.stop()
    spark_labels = {(r["doc_id"], r["sent_id"]): r["label"] for r in out}
    assert len(spark_labels) == len(rows) > 3000
    assert spark_labels == python_labels(tagger, rows)
    assert pyspark.__version__
