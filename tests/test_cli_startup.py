"""The CLI parses argv before importing anything heavy, and imports only the command it runs.

Each case runs in a fresh interpreter and lists the modules loaded by the end of the run;
how fast that is goes in benchmarks/startup.py, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.bulk import FORMATS
from toolkit.cli.parser import FORMATS as PARSER_FORMATS
from toolkit.paths import ROOT

SAMPLE = ROOT / "examples" / "sample_speech.txt"
HEAVY = ("numpy", "scipy", "sklearn", "pandas", "pyarrow", "skops", "jieba", "fastapi",
         "uvicorn", "starlette", "pydantic", "mlflow", "matplotlib", "docx")
PROBE = """
import contextlib, io, json, sys
from toolkit.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded(*argv: str, cwd: Path = ROOT) -> tuple[int, set[str], set[str]]:
    """Exit code, the heavy top-level packages and the command modules a run imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=True)
    result = json.loads(done.stdout.splitlines()[-1])
    modules = set(result["modules"])
    heavy = {name for name in HEAVY if name in modules}
    commands = {name.rsplit(".", 1)[1] for name in modules
                if name.startswith("toolkit.cli.") and name.endswith("_command")}
    return result["code"], heavy, commands


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"], ["tag", "--no-such-flag"],
                                  ["serve", "--help"]])
def test_help_and_usage_errors_import_no_command_and_nothing_heavy(argv):
    code, heavy, commands = loaded(*argv)
    assert code == (2 if "--no-such-flag" in argv else 0)
    assert heavy == set()
    assert commands == set()


def test_split_imports_only_the_splitter():
    code, heavy, commands = loaded("split", str(SAMPLE))
    assert (code, heavy, commands) == (0, set(), {"split_command"})


def test_tag_imports_numpy_alone_of_the_heavy_packages():
    code, heavy, commands = loaded("tag", str(SAMPLE))
    # The saved tagger is numpy arrays: no scikit-learn, scipy, skops or jieba to tag.
    assert (code, heavy, commands) == (0, {"numpy"}, {"tag_command"})


def test_train_without_mlflow_leaves_mlflow_and_plots_out(tmp_path):
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "default.toml").write_text(
        'name = "quick"\nmodel = "majority"\ncv_folds = 2\n')
    (tmp_path / "datasets").mkdir()
    for path in sorted((ROOT / "datasets").rglob("*.jsonl"))[:2]:
        (tmp_path / "datasets" / path.name).write_bytes(path.read_bytes())
    code, heavy, commands = loaded("train", "--no-mlflow", cwd=tmp_path)
    assert code == 0
    assert heavy.isdisjoint({"mlflow", "matplotlib", "fastapi"})
    assert commands == {"train_command"}


def test_the_parser_offers_the_formats_tag_writes():
    assert PARSER_FORMATS == FORMATS
