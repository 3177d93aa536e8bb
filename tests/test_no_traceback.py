"""Never a traceback: every failure is one sentence and exit code 1 (2 for usage).

The first tests provoke the failures users met; the last walks every option of every
command, as the parsers define them, with out-of-range, wrong-type and missing values.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.cli.parser import build_parser

from .conftest import HEALTH_DIR

BIN = Path(sys.executable).parent
SPEECH = "同志们：\n一、工作回顾\n全年完成投资5亿元，同比增长12%。"


def run(capsys, *args) -> tuple[int, str]:
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    return code, capsys.readouterr().err


def one_sentence(err: str) -> str:
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("speechtag: error: ")]
    assert len(errors) == 1, err
    return errors[0]


@pytest.fixture
def speech(tmp_path) -> Path:
    path = tmp_path / "speech.txt"
    path.write_text(SPEECH, encoding="utf-8")
    return path


# Unexpected errors: one line naming the command, the traceback only with -v.

def test_a_bug_is_one_line_asking_for_a_report(capsys, monkeypatch, speech):
    # A bug cannot be provoked for real in code without known bugs: one is planted.
    def broken(args):
        raise RuntimeError("planted for the test")

    monkeypatch.setattr("toolkit.cli.split_command.run", broken)
    code, err = run(capsys, "split", speech)
    assert code == 1 and err.count("\n") == 1
    assert "`speechtag split` stopped on an unexpected RuntimeError: planted" in err
    assert "please report it" in err and "-v" in err
    code, err = run(capsys, "-v", "split", speech)
    assert code == 1 and "Traceback" in err and "planted for the test" in err


# The system refuses: a full disk, no permission, a missing or wrong output path.

def test_a_full_disk_is_one_sentence(capsys, monkeypatch, speech, tmp_path):
    # A full disk is simulated: the fsync that commits the rows fails as it would.
    def full(_descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("toolkit.journal.os.fsync", full)
    code, err = run(capsys, "tag", speech, "-o", tmp_path / "out.jsonl")
    assert code == 1
    assert "No space left on device" in one_sentence(err) and "free" in err.lower()


def test_permission_denied_is_one_sentence(capsys, speech):
    # /sys refuses new files even to root.
    code, err = run(capsys, "tag", speech, "-o", "/sys/out.jsonl")
    assert code == 1 and "Permission denied" in one_sentence(err)


@pytest.mark.parametrize("command", [
    ["tag", "{speech}", "-o"], ["report", "{speech}", "-o"], ["prelabel", "{speech}", "-o"],
    ["weak-label", "{speech}", "-o"], ["suggest", "--pool", "{speech}", "-o"],
])
@pytest.mark.parametrize(("output", "found"), [
    ("{tmp}/missing/out.x", "found no directory"),
    ("{tmp}", "found a directory"),
])
def test_outputs_into_a_missing_folder_or_onto_a_folder(capsys, speech, tmp_path, command,
                                                       output, found):
    args = [part.format(speech=speech, tmp=tmp_path) for part in [*command, output]]
    code, err = run(capsys, *args)
    assert code == 1 and found in one_sentence(err)


@pytest.mark.parametrize(("port", "code"), [("70000", 1), ("-1", 1), ("http", 2)])
def test_bad_port_numbers(capsys, port, code):
    assert run(capsys, "serve", "--port", port)[0] == code


def test_an_mlflow_store_that_does_not_resolve(capsys, monkeypatch, speech):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "nonsense://nowhere")
    code, err = run(capsys, "tag", speech, "--model", "models:/speechtag@champion")
    assert code == 1
    assert one_sentence(err).startswith("speechtag: error: nonsense://nowhere: expected an "
                                        "MLflow store that answers")


# Configs, data and models that cannot be used.

@pytest.mark.parametrize(("toml", "found"), [
    ("[params]\nchar_high = 7\n", "expected params.char_high ≤ 3, found 7"),
    ("[params]\nC = nan\n", "expected params.C a finite number, found nan"),
    ("[params]\nC = inf\n", "expected params.C a finite number, found inf"),
    ("[params]\nmax_iter = 1.5\n", "expected params.max_iter an integer, found 1.5"),
    ("cv_folds = 100000\n", "expected cv_folds ≤ 100, found 100000"),
    ('seed = "x"\n', "expected seed an integer"),
    ("params = 5\n", "expected [params] a table, found 5"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff", "expected a UTF-8 TOML file"),
])
def test_config_values_out_of_range(capsys, tmp_path, toml, found):
    config = tmp_path / "bad.toml"
    if isinstance(toml, bytes):
        config.write_bytes(toml)
    else:
        config.write_text(f'name = "bad"\n{toml}', encoding="utf-8")
    code, err = run(capsys, "train", "--no-mlflow", "--config", config, "--data", HEALTH_DIR)
    assert code == 1 and found in one_sentence(err)


def test_training_on_a_single_speech(capsys, tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text((HEALTH_DIR / "001_c52a59f60ea19113.jsonl").read_text(encoding="utf-8"),
                   encoding="utf-8")
    code, err = run(capsys, "train", "--no-mlflow", "--data", one,
                    "--models-dir", tmp_path / "models")
    assert code == 1
    assert "expected at least 2 speeches (cross-validation" in one_sentence(err)


def test_a_foreign_scikit_learn_model(capsys, tmp_path, speech):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from toolkit.save import save_model

    model = LogisticRegression().fit(np.array([[0.0], [1.0]]), ["task", "other"])
    directory = save_model(model, tmp_path / "foreign", {"name": "foreign"})
    code, err = run(capsys, "tag", speech, "--model", directory)
    assert code == 1
    assert "expected a speechtag tagger" in one_sentence(err) and "LogisticRegression" in err


@pytest.mark.parametrize(("change", "found"), [
    ({"doc_id": ["a"]}, "expected doc_id as a string, found list"),
    ({"text": {"zh": "好"}}, "expected text as a string, found dict"),
    ({"sent_id": [0]}, "expected sent_id as an integer, found [0]"),
    ({"sent_id": 1e300}, "expected sent_id from 0 and below"),
    ({"section": "[broken"}, "expected section as a list of headings"),
    ({"section": [["nested"]]}, "expected section as a list of headings"),
    ({"annotations": "none"}, "expected annotations as Label Studio exports them"),
])
def test_non_scalar_fields_in_import_labels(capsys, tmp_path, change, found):
    task = {"data": {"doc_id": "a", "sent_id": 0, "text": "好"},
            "annotations": [{"result": [{"from_name": "label", "value": {"choices": ["task"]}}]}]}
    if "annotations" in change:
        task.update(change)
    else:
        task["data"].update(change)
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task]), encoding="utf-8")
    code, err = run(capsys, "import-labels", export, "-o", tmp_path / "out.jsonl")
    assert code == 1 and found in one_sentence(err)


def test_a_record_that_is_no_object(capsys, tmp_path):
    export = tmp_path / "export.json"
    export.write_text("[5]", encoding="utf-8")
    code, err = run(capsys, "import-labels", export, "-o", tmp_path / "out.jsonl")
    assert code == 1 and f"{export}:1: expected a JSON object per task, found int" in err


# Every option of every command, from the parsers themselves.

_INT_VALUES = ["-1", "-99999999999999999999", "abc", "1.5"]
_FLOAT_VALUES = ["-1", "nan", "inf", "abc"]
# A named pipe of the test's own stands for every non-regular file: as an output, a real
# device such as /dev/zero must never be at stake, whatever the code under test does.
_PATH_VALUES = ["{tmp}/missing/x", "{tmp}/fifo", "{tmp}/empty", ""]
# Options whose value is free text, where any string is valid: only leaving the value out
# is wrong.
_FREE_TEXT = {"doc_id", "title", "token", "host"}
# `init DIR` makes missing folders and fills empty ones: only a file or a device is wrong.
_INIT_DIR = ["{tmp}/speech.txt", "{tmp}/fifo"]


def _commands() -> dict[str, argparse.ArgumentParser]:
    subparsers = next(action for action in build_parser()._actions
                      if isinstance(action, argparse._SubParsersAction))
    return dict(subparsers.choices)


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(action, argparse._HelpAction)


def _bad_values(action: argparse.Action) -> list[str | None]:
    """Values to try for ``action``; None stands for leaving the value out."""
    missing = [None] if action.option_strings else []
    if action.choices:
        return [*missing, "bogus"]
    if action.type is int:
        return [*missing, *_INT_VALUES]
    if action.type is float:
        return [*missing, *_FLOAT_VALUES]
    if action.dest in _FREE_TEXT:
        return missing
    if action.dest == "dir":
        return _INIT_DIR
    return [*missing, *_PATH_VALUES]


def _base(parser: argparse.ArgumentParser, speech: Path, tmp: Path) -> dict[str, list[str]]:
    """Arguments that make the command runnable: each required one with a usable value."""
    base = {}
    for action in parser._actions:
        if not _takes_value(action) or not (action.required or not action.option_strings):
            continue
        value = str(speech) if action.nargs in ("+", "*", None) and (
            not action.option_strings or action.dest == "pool") else str(tmp / "out.x")
        base[action.dest] = [*action.option_strings[-1:], value]
    return base


def _cases():
    for name, parser in _commands().items():
        for action in parser._actions:
            if _takes_value(action) and action.dest not in ("workspace", "help"):
                for value in _bad_values(action):
                    yield name, action.dest, value


@pytest.mark.parametrize(("command", "dest", "value"), list(_cases()))
def test_every_option_with_bad_values(capsys, monkeypatch, tmp_path, command, dest, value):
    # Each run in an empty folder: no workspace data, nothing a run could write elsewhere.
    monkeypatch.chdir(tmp_path)
    speech = tmp_path / "speech.txt"
    speech.write_text(SPEECH, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    os.mkfifo(tmp_path / "fifo")
    parser = _commands()[command]
    action = next(a for a in parser._actions if a.dest == dest)
    args = _base(parser, speech, tmp_path)
    given = [] if value is None else [value.format(tmp=tmp_path)]
    args[dest] = [*action.option_strings[-1:], *given]
    argv = [command, *[part for parts in args.values() for part in parts]]
    if command == "serve" and dest != "port":
        argv += ["--port", "70000"]  # whatever else it checks, it must never start serving
    code, err = run(capsys, *argv)
    assert code in (1, 2), f"{argv}: exit {code}\n{err}"
    assert "Traceback" not in err, argv
    assert 1 <= len(err.strip().splitlines()) <= 6, f"{argv}:\n{err}"


def test_a_sample_through_real_processes(tmp_path):
    config = tmp_path / "bin.toml"
    config.write_bytes(b"\x00\xff\xfe binary")
    for argv, code in ((["tag", "--jobs", "abc"], 2), (["serve", "--port", "70000"], 1),
                       (["train", "--config", str(config), "--no-mlflow"], 1),
                       (["tag", "--jobs", "0", str(config)], 1)):
        done = subprocess.run([str(BIN / "speechtag"), *argv], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == code and "Traceback" not in done.stderr, (argv, done.stderr)
        assert len(done.stderr.strip().splitlines()) <= 6


_AT_ONCE = """
import sys, tempfile, time
from pathlib import Path
import mlflow  # the slow import happens before the start line
from toolkit import mlflow_store
from toolkit.errors import ModelError
workspace, ready, go = map(Path, sys.argv[1:4])
ready.touch()
while not go.exists():
    time.sleep(0.005)
try:
    mlflow_store.download_model_dir("models:/speechtag@champion", tempfile.mkdtemp(), workspace)
except ModelError as exc:
    print(exc)
"""


def test_two_processes_on_a_fresh_mlflow_store(tmp_path):
    """Two `train` (or `tag --model models:/…`) at once on a new workspace both create its
    SQLite store: released together, neither may fail on the other's schema migration."""
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, "-c", _AT_ONCE, str(tmp_path),
                                   str(tmp_path / f"ready{n}"), str(go)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(2)]
    while not all((tmp_path / f"ready{n}").exists() for n in range(2)):
        assert all(p.poll() is None for p in processes)
        time.sleep(0.05)
    go.touch()
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert "Traceback" not in err, err
        assert "Registered Model with name=speechtag not found" in out
