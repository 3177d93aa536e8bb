"""The package as users get it: `python -m build`, the wheel installed into a fresh venv (not
editable), and every command run from empty folders far from the repository.

Slow (it installs the dependencies from the package index), so marked ``wheel``: .ci/run
runs it with ``pytest -m wheel``; a plain ``pytest`` leaves it out.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from toolkit.paths import DATASETS_DIR, DEFAULT_EXPERIMENT, ROOT

from .conftest import free_port, wait_until_answering

pytestmark = pytest.mark.wheel
SAMPLE = ROOT / "examples" / "sample_speech.txt"


def run(command: list, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def shipped_files(folder: Path) -> dict[str, bytes]:
    """The files of a datasets tree, any depth, by relative path (hidden files aside)."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*")
            if path.is_file() and not path.name.startswith(".")}


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, bin folder, installed package folder, its snapshot right after install)."""
    base = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "build", "--outdir", base / "dist", ROOT], base)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next((base / "dist").glob("speechtag-*.whl"))
    venv = base / "venv"
    assert run([sys.executable, "-m", "venv", venv], base).returncode == 0
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], base, 1800)
    assert pip.returncode == 0, pip.stderr[-3000:]
    where = run([venv / "bin" / "python", "-c", "import toolkit; print(toolkit.__file__)"], base)
    package = Path(where.stdout.strip()).parent
    return wheel, venv / "bin", package, snapshot(package)


@pytest.fixture
def empty(tmp_path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_wheel_holds_the_model_the_page_and_the_shipped_data_but_no_tests(installed):
    names = set(zipfile.ZipFile(installed[0]).namelist())
    assert {"toolkit/models/default/predictor.npz", "toolkit/models/default/meta.json",
            "toolkit/static/index.html", "toolkit/static/app.js",
            "toolkit/template/README.md", "toolkit/template/experiments/default.toml"} <= names
    assert {f"toolkit/template/datasets/{name}" for name in shipped_files(DATASETS_DIR)} <= names
    assert not [name for name in names if name.startswith("tests/") or "/tests/" in name]
    assert {name.split("/")[0] for name in names} == {"toolkit", "speechtag-0.1.0.dist-info"}


def test_installed_into_site_packages_not_editable(installed):
    package = installed[2]
    assert package.parent.name == "site-packages"
    assert not list(package.parent.glob("__editable__*"))


def test_tag_from_an_empty_folder(installed, empty, default_tagger):
    done = run([installed[1] / "speechtag", "tag", SAMPLE], empty)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    expected = default_tagger.tag_speech(SAMPLE.read_text(encoding="utf-8"), SAMPLE.stem)
    assert [(row["text"], row["label"]) for row in rows] == [(u.text, u.label) for u in expected]
    assert list(empty.iterdir()) == []


def test_init_train_evaluate_in_a_workspace(installed, empty):
    speechtag = installed[1] / "speechtag"
    assert run([speechtag, "init", "ws"], empty).returncode == 0
    ws = empty / "ws"
    assert shipped_files(ws / "datasets") == shipped_files(DATASETS_DIR)
    assert (ws / "experiments" / "default.toml").read_bytes() == DEFAULT_EXPERIMENT.read_bytes()
    trained = run([speechtag, "train", "--no-mlflow"], ws)
    assert trained.returncode == 0, trained.stderr
    assert "saved models/default" in trained.stdout
    units = sum(1 for path in DATASETS_DIR.rglob("*.jsonl")
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    for model in ([], ["--model", "models/default"]):
        scored = run([speechtag, "evaluate", "--json", *model], ws)
        assert scored.returncode == 0, scored.stderr
        result = json.loads(scored.stdout)
        assert result["n"] == units and result["accuracy"] > 0.85
    assert sorted(p.name for p in ws.iterdir()) == ["README.md", "datasets", "experiments",
                                                   "models"]


def test_train_in_a_folder_without_datasets_says_how_to_start(installed, empty):
    done = run([installed[1] / "speechtag", "train", "--no-mlflow"], empty)
    assert done.returncode == 1
    assert "found no datasets/" in done.stderr and "speechtag init DIR" in done.stderr
    assert list(empty.iterdir()) == []


def test_serve_from_an_empty_folder(installed, empty):
    port = free_port()
    server = subprocess.Popen([str(installed[1] / "speechtag"), "serve", "--port", str(port)],
                              cwd=empty, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/v1/health", server)
        body = json.dumps({"units": [{"text": "要加快推进县医院扩建项目建设。"}]}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/tag", body,
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response)["units"][0]["label"] == "task"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_nothing_was_written_inside_the_installed_package(installed):
    assert snapshot(installed[2]) == installed[3]
