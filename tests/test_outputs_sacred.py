"""Outputs are sacred, long work is honest: names, inputs, replacing, locks, resume, progress.

Every test runs the real command on real files; interrupted runs are real processes killed
or interrupted with a signal.
"""

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

from toolkit.cli import main
from toolkit.paths import ROOT

from .conftest import HEALTH_DIR

BIN = Path(sys.executable).parent
SAMPLE = ROOT / "examples" / "sample_speech.txt"
HEALTH_FILE = sorted(HEALTH_DIR.glob("*.jsonl"))[2]


def speechtag(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "speechtag"), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def one_error(code: int, err: str, message: str) -> None:
    assert code == 1, err
    assert message in err, err
    assert "Traceback" not in err and err.count("speechtag: error:") == 1, err


def copies_of_the_sample(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def wait_for(condition, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None and time.monotonic() < deadline, "the run ended first"
        time.sleep(0.05)


def journal_lines(out: Path) -> int:
    journal = Path(f"{out}.partial.done")
    return len(journal.read_text().splitlines()) if journal.exists() else 0


@pytest.fixture(scope="module")
def majority_config(tmp_path_factory) -> Path:
    config = tmp_path_factory.mktemp("config") / "majority.toml"
    config.write_text('name = "majority"\nmodel = "majority"\ncv_folds = 2\n')
    return config


@pytest.fixture(scope="module")
def other_model(tmp_path_factory, majority_config):
    """A quick model trained on the health speeches, and what `train` said on stderr."""
    models = tmp_path_factory.mktemp("models")
    done = speechtag("train", "--config", str(majority_config), "--data", str(HEALTH_DIR),
                     "--models-dir", str(models), "--no-mlflow", "--no-genre-holdout")
    assert done.returncode == 0, done.stderr
    return models / "majority", done.stderr


# 1. Names from configs are single folder names.

@pytest.mark.parametrize("name", ["<absolute>", "", "../../x", ".", "..", "a/b", "a\\b",
                                  "a\x00b"])
def test_experiment_name_must_be_one_folder_name(tmp_path, capsys, name):
    models = tmp_path / "models"
    (models / "kept").mkdir(parents=True)
    (models / "kept" / "meta.json").write_text("{}")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep")
    name = str(victim) if name == "<absolute>" else name
    config = tmp_path / "bad.toml"
    config.write_text(f"name = {json.dumps(name)}\nmodel = \"majority\"\ncv_folds = 2\n")
    code = main(["train", "--config", str(config), "--data", str(HEALTH_DIR),
                 "--models-dir", str(models), "--no-mlflow", "--no-genre-holdout"])
    one_error(code, capsys.readouterr().err,
              f"{config}: expected name a single folder name (not empty; no /, \\, NUL or "
              f"leading .), found {name!r}. Set name = \"my-experiment\".")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", "models", "victim"]
    assert [p.name for p in models.iterdir()] == ["kept"]
    assert (victim / "precious.txt").read_text() == "keep"


# 2. An output that is one of the inputs is refused before any work.

@pytest.fixture
def files(tmp_path):
    units = tmp_path / "units.jsonl"
    units.write_text("".join(HEALTH_FILE.read_text(encoding="utf-8").splitlines(True)[:30]),
                     encoding="utf-8")
    speech = tmp_path / "speech.txt"
    shutil.copy(SAMPLE, speech)
    export = tmp_path / "export.json"
    export.write_text("[]")
    folder = copies_of_the_sample(tmp_path / "folder", 2)
    os.link(speech, tmp_path / "alias.txt")
    return {"units": units, "txt": speech, "export": export, "dir": folder,
            "in_dir": folder / "0001.txt", "alias": tmp_path / "alias.txt",
            "model": tmp_path / "no-model-here"}


@pytest.mark.parametrize(("argv", "output"), [
    ("tag {units} -o {units} --force --model {model}", "units"),
    ("tag {txt} -o {txt} --force --model {model}", "txt"),
    ("tag {dir} -o {in_dir} --force --model {model}", "in_dir"),
    ("tag {txt} -o {alias} --force --model {model}", "alias"),
    ("prelabel {txt} -o {txt} --model {model}", "txt"),
    ("report {txt} -o {txt} --model {model}", "txt"),
    ("suggest --pool {units} -o {units} --model {model}", "units"),
    ("import-labels {export} -o {export} --force", "export"),
    ("weak-label {txt} -o {txt} --force", "txt"),
    ("check-labels --data {units} --csv {units}", "units"),
])
def test_an_output_that_is_an_input_is_refused_before_any_work(tmp_path, capsys, files, argv,
                                                               output):
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code = main([part.format(**files) for part in argv.split()])
    one_error(code, capsys.readouterr().err,
              f"{files[output]}: expected an output file that is none of the inputs, found the "
              "input ")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


# 3. An existing output is replaced only by a complete new one, and tag asks for --force.

def test_tag_asks_for_force_to_replace_an_existing_output(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n")
    one_error(main(["tag", str(SAMPLE), "-o", str(out)]), capsys.readouterr().err,
              f"{out}: expected a new file, found an existing file. Choose another -o, or pass "
              "--force to replace it.")
    assert out.read_text() == "keep me\n"
    assert main(["tag", str(SAMPLE), "-o", str(out), "--force"]) == 0
    assert len(out.read_text().splitlines()) == 18
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_when_every_input_fails_an_existing_output_stays(tmp_path, capsys, suffix):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    out = tmp_path / f"good{suffix}"
    out.write_text("good rows\n")
    assert main(["tag", str(bad), "-o", str(out), "--force"]) == 1
    err = capsys.readouterr().err
    assert f"wrote nothing, left {out} as it was" in err and "Traceback" not in err
    assert out.read_text() == "good rows\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", out.name]
    assert main(["tag", str(bad), "-o", str(tmp_path / "new.jsonl")]) == 1
    assert not (tmp_path / "new.jsonl").exists()


def test_a_failed_write_leaves_the_previous_file(tmp_path):
    from toolkit.outputs import replacing

    out = tmp_path / "out.json"
    out.write_text("previous")
    with pytest.raises(RuntimeError), replacing(out) as staging:
        staging.write_text("half of the new")
        raise RuntimeError("the writer failed")
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# 4. One run at a time per output.

def test_a_second_run_on_the_same_output_is_refused_and_a_dead_runs_lock_taken_over(
        tmp_path, capsys):
    inputs = copies_of_the_sample(tmp_path / "in", 300)
    out = tmp_path / "out.jsonl"
    lock = tmp_path / "out.jsonl.lock"
    first = subprocess.Popen([str(BIN / "speechtag"), "tag", str(inputs), "-o", str(out)],
                             stderr=subprocess.DEVNULL)
    try:
        wait_for(lock.exists, first)
        wait_for(lambda: lock.read_text().strip() == str(first.pid), first)
        one_error(main(["tag", str(SAMPLE), "-o", str(out), "--force"]),
                  capsys.readouterr().err,
                  f"{out}: expected no other run writing it, found another speechtag run "
                  f"(pid {first.pid}) holding out.jsonl.lock. Wait for it to end, or write to "
                  "another -o.")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert lock.read_text().strip() == str(first.pid), "a killed run leaves its lock file"
    assert main(["tag", str(SAMPLE), "-o", str(out), "--force"]) == 0
    assert len(out.read_text().splitlines()) == 18 and not lock.exists()


# 5. --resume continues only the same run.

@pytest.fixture(scope="module")
def killed_run(tmp_path_factory) -> Path:
    """A folder with in/ (600 speeches) and what a killed `tag in -o out.jsonl` left."""
    folder = tmp_path_factory.mktemp("killed")
    copies_of_the_sample(folder / "in", 600)
    process = subprocess.Popen([str(BIN / "speechtag"), "tag", "in", "-o", "out.jsonl"],
                               cwd=folder, stderr=subprocess.DEVNULL)
    wait_for(lambda: journal_lines(folder / "out.jsonl") >= 2, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return folder


@pytest.fixture
def killed(killed_run, tmp_path) -> Path:
    """A copy of the killed run (mtimes kept, paths relative) that a test may change."""
    return Path(shutil.copytree(killed_run, tmp_path / "run"))


def no_nul_bytes(folder: Path) -> None:
    for path in (folder / "out.jsonl", folder / "out.jsonl.partial"):
        assert not path.exists() or b"\0" not in path.read_bytes(), path


def test_resume_with_another_model_is_refused(killed, other_model):
    partial = (killed / "out.jsonl.partial").read_bytes()
    done = speechtag("tag", "in", "-o", "out.jsonl", "--resume", "--model", str(other_model[0]),
                     cwd=killed)
    one_error(done.returncode, done.stderr, "out.jsonl.partial: expected rows of the model ")
    assert "found rows of another model" in done.stderr and "--model" in done.stderr
    assert (killed / "out.jsonl.partial").read_bytes() == partial
    assert not (killed / "out.jsonl").exists()


def test_resume_refuses_a_partial_file_shorter_than_its_journal(killed):
    with open(killed / "out.jsonl.partial", "r+b") as handle:
        handle.truncate(100)
    done = speechtag("tag", "in", "-o", "out.jsonl", "--resume", cwd=killed)
    one_error(done.returncode, done.stderr, "out.jsonl.partial: expected the ")
    assert "bytes of rows its journal records, found 100 bytes. Run without --resume to start " \
           "again." in done.stderr
    no_nul_bytes(killed)
    assert not (killed / "out.jsonl").exists()


@pytest.mark.parametrize("journal", ["in/0000.txt\tnot-a-number\n", "\0\0\0\n",
                                     "in/0000.txt\t99\nin/0001.txt\t12\n"])
def test_resume_refuses_a_corrupt_journal(killed, journal):
    (killed / "out.jsonl.partial.done").write_text(journal)
    done = speechtag("tag", "in", "-o", "out.jsonl", "--resume", cwd=killed)
    one_error(done.returncode, done.stderr, "out.jsonl.partial.done:")
    assert "expected lines of an input, a tab and a byte offset" in done.stderr
    no_nul_bytes(killed)


def test_resume_refuses_inputs_that_changed(killed):
    with open(killed / "in" / "0000.txt", "a", encoding="utf-8") as handle:
        handle.write("要加强党的建设。\n")
    done = speechtag("tag", "in", "-o", "out.jsonl", "--resume", cwd=killed)
    one_error(done.returncode, done.stderr, "out.jsonl.partial: expected the inputs of the "
              "interrupted run, found in/0000.txt changed since. Run without --resume")
    extra = speechtag("tag", "in", str(SAMPLE), "-o", "out.jsonl", "--resume", cwd=killed)
    one_error(extra.returncode, extra.stderr, f"found {SAMPLE} added.")


def test_a_resumed_run_says_it_resumed_and_what_it_skipped(killed):
    skipped = journal_lines(killed / "out.jsonl")
    done = speechtag("tag", "in", "-o", "out.jsonl", "--resume", cwd=killed)
    assert done.returncode == 0, done.stderr
    assert f"speechtag: resumed out.jsonl.partial: skipped {skipped} of 600 inputs tagged " \
           "before" in done.stderr
    rows = [json.loads(line) for line in (killed / "out.jsonl").read_text().splitlines()]
    assert len(rows) == 600 * 18 and len({row["source"] for row in rows}) == 600
    assert sorted(p.name for p in killed.iterdir()) == ["in", "out.jsonl"]


# 6. Progress and honesty on long work.

def test_an_interrupted_tag_says_how_to_resume(tmp_path):
    copies_of_the_sample(tmp_path / "in", 600)
    process = subprocess.Popen([str(BIN / "speechtag"), "tag", "in", "-o", "out.jsonl"],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: journal_lines(tmp_path / "out.jsonl") >= 1, process)
    process.send_signal(signal.SIGINT)
    err = process.communicate(timeout=120)[1]
    assert process.returncode == 130 and "Traceback" not in err, err
    assert "inputs are saved in out.jsonl.partial; to continue, run the same command with " \
           "--resume" in err
    resumed = speechtag("tag", "in", "-o", "out.jsonl", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0 and "speechtag: resumed out.jsonl.partial" in resumed.stderr


def test_train_reports_each_fold_on_stderr_as_it_ends(other_model):
    model, err = other_model
    folds = [line for line in err.splitlines() if " done (" in line]
    assert len(folds) == 2 and all(line.startswith("speechtag: fold ") for line in folds), err
    assert sorted(line.split(" done (")[1][:6] for line in folds) == ["1 of 2", "2 of 2"]
    meta = json.loads((model / "meta.json").read_text())
    assert set(meta["dataset"]["file_sha256s"]) == {p.name for p in HEALTH_DIR.glob("*.jsonl")}


def test_check_labels_reports_each_fold(majority_config):
    done = speechtag("check-labels", "--data", str(HEALTH_DIR), "--config", str(majority_config),
                     "--top", "1")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(" done (") == 2 and "of 2): " in done.stderr
    assert "fold" not in speechtag("check-labels", "-q", "--data", str(HEALTH_DIR), "--config",
                                   str(majority_config), "--top", "1").stderr


def test_evaluate_and_suggest_warn_on_the_models_own_training_data(other_model, tmp_path):
    model = str(other_model[0])
    warning = "is the model's own training data"
    own = speechtag("evaluate", str(HEALTH_FILE), "--model", model)
    assert own.returncode == 0 and f"speechtag: warning: the data {warning}" in own.stderr
    shutil.copy(HEALTH_FILE, tmp_path / "renamed.jsonl")
    mixed = ROOT / "datasets" / "written"
    shutil.copy(next(mixed.glob("*.jsonl")), tmp_path / "unseen.jsonl")
    part = speechtag("evaluate", str(tmp_path), "--model", model)
    assert f"speechtag: warning: 1 of 2 files of the data {warning}" in part.stderr
    unseen = speechtag("evaluate", str(tmp_path / "unseen.jsonl"), "--model", model)
    assert unseen.returncode == 0 and "warning" not in unseen.stderr
    pool = speechtag("suggest", "--pool", str(HEALTH_DIR), "-n", "3", "--model", model)
    assert pool.returncode == 0 and f"speechtag: warning: the pool {warning}" in pool.stderr
    bundled = speechtag("evaluate", str(HEALTH_FILE))
    assert f"speechtag: warning: the data {warning}" in bundled.stderr
