"""Training: by-speech CV, saved model directories, configs, and the evaluate contract."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from toolkit.cli import main
from toolkit.config import Experiment, load_experiment
from toolkit.errors import InputError
from toolkit.paths import EXPERIMENTS_DIR
from toolkit.train import cross_validate, train_experiment

from .conftest import HEALTH_DIR


def test_cross_validation_holds_out_whole_speeches(labelled):
    experiment = Experiment(name="t", model="tfidf_lr", cv_folds=5)
    folds, labels, proba = cross_validate(experiment, labelled)
    held_out = [doc for fold in folds for doc in fold["held_out"]]
    assert sorted(held_out) == sorted(labelled.doc_ids)
    assert [len(x) for x in labels] == [len(s) for s in labelled.speeches]
    assert all(p.shape == (len(s), 5) for p, s in zip(proba, labelled.speeches, strict=True))


def test_default_model_beats_the_tfidf_baseline_by_speech(labelled):
    default = train_experiment(load_experiment(EXPERIMENTS_DIR / "default.toml"), labelled)
    baseline = train_experiment(load_experiment(EXPERIMENTS_DIR / "tfidf_lr.toml"), labelled)
    assert default.mean_macro_f1 >= baseline.mean_macro_f1 + 0.08
    assert default.meta["metrics"]["cv_macro_f1"] == default.mean_macro_f1


def write_config(tmp_path, text: str):
    path = tmp_path / "exp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_train_command_writes_a_model_directory(tmp_path, capsys):
    config = write_config(tmp_path, 'name = "small"\nmodel = "cue_rules"\ncv_folds = 2\n')
    assert main(["train", "--config", str(config), "--data", str(HEALTH_DIR),
                 "--models-dir", str(tmp_path / "models"), "--no-mlflow"]) == 0
    meta = json.loads((tmp_path / "models" / "small" / "meta.json").read_text())
    assert set(meta) >= {"labels", "config", "dataset", "metrics", "versions",
                         "user_dictionary_sha256", "created_at", "model_sha256"}
    assert len(meta["dataset"]["sha256"]) == 64 and meta["dataset"]["speeches"] == 5
    assert len(meta["metrics"]["folds"]) == 2
    assert "mean over folds" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "message"), [
    ('model = "sequence"\nlearning_rate = 1\n',
     "expected only the keys ['cv_folds', 'description', 'genre_weights', 'model', 'name', "
     "'params', 'seed', 'silver_files', 'silver_from', 'silver_weight'], found unknown key "
     "'learning_rate'. "
     "Remove or rename it."),
    ('model = "bert"\n',
     "expected model one of ['cue_rules', 'majority', 'sequence', 'tfidf_lr'], found 'bert'."),
    ('[params]\nC = -1\n', "expected params.C > 0, found -1. Set C to a valid number."),
    ('[params]\nC = "big"\n', "expected params.C a number, found 'big'. Set C to a number."),
    ('[params]\ngamma = 2\n', "found unknown parameter 'gamma'. Remove or rename it."),
    ('cv_folds = 1\n', "expected cv_folds an integer ≥ 2, found 1. Set cv_folds = 5."),
    ('model = \n', "expected valid TOML, found a syntax error"),
    ('[genre_weights]\nwritten = 0\n', "expected genre_weights a table of numbers in (0, 100]"),
    ('model = "tfidf_lr"\n[genre_weights]\nwritten = 2\n',
     'expected genre_weights with model = "sequence", found \'tfidf_lr\''),
    ('[params]\ndoc_balance = -1\n', "expected params.doc_balance ≥ 0, found -1."),
])
def test_bad_configs_are_refused_with_key_and_fix(tmp_path, text, message):
    path = write_config(tmp_path, text)
    with pytest.raises(InputError, match=re.escape(message)):
        load_experiment(path)


def evaluate_json(capsys, *args) -> dict:
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluate_json_contract(capsys):
    result = evaluate_json(capsys, str(HEALTH_DIR / "003_97f8dc4bf8a49888.jsonl"))
    assert set(result) == {"n", "accuracy", "macro_f1", "per_label", "confusion"}
    assert result["n"] == 136
    assert set(result["per_label"]) == {"achievement", "problem", "task", "exhortation", "other"}
    assert set(result["per_label"]["task"]) == {"precision", "recall", "f1", "support"}
    assert result["confusion"]["labels"] == ["achievement", "problem", "task", "exhortation",
                                             "other"]
    assert sum(map(sum, result["confusion"]["matrix"])) == 136


def test_evaluate_takes_units_as_given_in_sent_id_order(tmp_path, capsys):
    rows = [
        {"doc_id": "b", "sent_id": 1, "text": "要加快推进项目建设。我们完成了任务。", "label": "task"},
        {"doc_id": "b", "sent_id": 0, "text": "三、2022年工作安排", "label": "task"},
        {"doc_id": "a", "sent_id": 0, "text": "同志们：", "label": "other"},
    ]
    path = tmp_path / "eval.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = evaluate_json(capsys, str(path))
    assert result["n"] == 3
    assert main(["evaluate", str(path)]) == 0
    assert "accuracy" in capsys.readouterr().out


@pytest.mark.parametrize(("row", "message"), [
    ({"doc_id": "a", "sent_id": 0, "text": "x"}, "found no label. Add the missing fields."),
    ({"doc_id": "a", "sent_id": "0", "text": "x", "label": "task"},
     "expected sent_id as int, found str '0'. Write sent_id as a JSON integer."),
    ({"doc_id": "a", "sent_id": 0, "text": "x", "label": "goal"},
     "expected a label in ['achievement', 'exhortation', 'other', 'problem', 'task'], "
     "found 'goal'."),
])
def test_evaluate_refuses_bad_rows_with_file_and_line(tmp_path, capsys, row, message):
    path = tmp_path / "bad.jsonl"
    good = {"doc_id": "a", "sent_id": 5, "text": "同志们：", "label": "other"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(row, ensure_ascii=False) + "\n")
    assert main(["evaluate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"speechtag: error: {path}:2: expected ")
    assert message in err and "Traceback" not in err


def test_duplicate_units_are_refused(tmp_path, capsys):
    path = tmp_path / "dup.jsonl"
    row = json.dumps({"doc_id": "a", "sent_id": 0, "text": "同志们：", "label": "other"})
    path.write_text(f"{row}\n{row}\n")
    assert main(["evaluate", str(path)]) == 1
    assert "found ('a', 0) a second time" in capsys.readouterr().err


def test_genre_weights_weigh_each_speech_by_its_genre(labelled):
    from toolkit.train import genre_weights

    experiment = Experiment(name="t", genre_weights={"health-speeches": 2.5})
    weights = genre_weights(experiment, labelled, [0, 2])
    assert [w.tolist() for w in weights] == [
        [2.5] * len(labelled.speeches[0]), [2.5] * len(labelled.speeches[2])]
    assert genre_weights(Experiment(name="t"), labelled, [0]) is None
    weighted = train_experiment(Experiment(name="t", cv_folds=2, params={"C": 4.0},
                                           genre_weights={"health-speeches": 2.5}), labelled)
    plain = train_experiment(Experiment(name="t", cv_folds=2, params={"C": 4.0}), labelled)
    assert not np.allclose(weighted.model.predictor_.coef, plain.model.predictor_.coef)
    assert weighted.meta["config"]["genre_weights"] == {"health-speeches": 2.5}
