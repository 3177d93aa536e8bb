"""Scores by genre, sector and origin, and genres held out whole, in the API and the CLI."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from toolkit.cli import main
from toolkit.config import Experiment
from toolkit.dataset import dataset_files, read_units
from toolkit.holdout import breakdown, held_out_genres, leave_one_genre_out
from toolkit.paths import DATASETS_DIR

SMALL = {
    "health-speeches": ["000_e649172dc2529449-1", "000_e649172dc2529449-3"],
    "work-reports": ["wr-national-1960", "wr-lhasa-2023"],
    "congress-reports": ["cr-congress10"],
    "written": ["ws-water-2", "ws-safety-2", "ws-audit-2"],
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A small copy of datasets/ with every genre and its document table."""
    root = tmp_path_factory.mktemp("mixed")
    keep = {doc for docs in SMALL.values() for doc in docs}
    for genre, docs in SMALL.items():
        (root / genre).mkdir()
        for doc in docs:
            shutil.copy(DATASETS_DIR / genre / f"{doc}.jsonl", root / genre)
    with open(DATASETS_DIR / "documents.csv", encoding="utf-8", newline="") as source, \
            open(root / "documents.csv", "w", encoding="utf-8", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, reader.fieldnames)
        writer.writeheader()
        writer.writerows(row for row in reader if row["doc_id"] in keep)
    return root


def test_documents_carry_genre_sector_and_origin(mixed):
    data = read_units(dataset_files(mixed))
    genres = dict(zip(data.doc_ids, data.attribute("genre"), strict=True))
    assert genres["wr-lhasa-2023"] == "work-reports" and genres["ws-water-2"] == "written"
    origins = dict(zip(data.doc_ids, data.attribute("origin"), strict=True))
    assert origins["ws-water-2"] == "written" and origins["cr-congress10"] == "real"
    assert held_out_genres(data) == ["congress-reports", "health-speeches", "work-reports"]


def test_without_a_document_table_the_folder_is_the_genre(mixed, tmp_path):
    shutil.copytree(mixed, tmp_path / "data")
    (tmp_path / "data" / "documents.csv").unlink()
    data = read_units(dataset_files(tmp_path / "data"))
    assert set(data.attribute("genre")) == set(SMALL)
    assert set(data.attribute("sector")) == {"?"}


def test_breakdown_scores_each_group_on_its_own_units(mixed):
    data = read_units(dataset_files(mixed))
    # Predict every unit of the written speeches right and every other unit as "other".
    predicted = [list(labels) if origin == "written" else ["other"] * len(labels)
                 for labels, origin in zip(data.labels, data.attribute("origin"), strict=True)]
    table = breakdown(data, predicted, "origin")
    assert table["written"]["accuracy"] == 1.0
    real_units = [label for labels, origin in zip(data.labels, data.attribute("origin"),
                                                  strict=True) if origin == "real"
                  for label in labels]
    assert table["real"]["n"] == len(real_units)
    assert table["real"]["accuracy"] == pytest.approx(real_units.count("other") / len(real_units))
    assert table["written"]["documents"] == 3


def test_leave_one_genre_out_never_trains_on_the_held_out_genre(mixed):
    data = read_units(dataset_files(mixed))
    tables = leave_one_genre_out(Experiment(name="t", model="tfidf_lr"), data)
    assert set(tables) == {"with_written", "without_written"}
    for variant, table in tables.items():
        assert set(table) == {"congress-reports", "health-speeches", "work-reports", "pooled"}
        written = 0 if variant == "without_written" else 3
        assert table["congress-reports"]["trained_on_documents"] == 4 + written
        assert table["health-speeches"]["n"] == sum(
            len(labels) for labels, genre in zip(data.labels, data.attribute("genre"),
                                                 strict=True) if genre == "health-speeches")
        assert table["pooled"]["n"] == sum(table[g]["n"] for g in table if g != "pooled")


def test_train_prints_and_records_genre_tables(mixed, tmp_path, capsys):
    config = tmp_path / "exp.toml"
    config.write_text('name = "mix"\nmodel = "tfidf_lr"\ncv_folds = 3\n', encoding="utf-8")
    assert main(["train", "--config", str(config), "--data", str(mixed), "--models-dir",
                 str(tmp_path / "models"), "--no-mlflow"]) == 0
    out = capsys.readouterr().out
    assert "by-document CV, by genre" in out and "leave-one-genre-out" in out
    metrics = json.loads((tmp_path / "models" / "mix" / "meta.json").read_text())["metrics"]
    assert set(metrics["by_origin"]) == {"real", "written"}
    assert set(metrics["leave_one_genre_out"]["without_written"]) == {
        "congress-reports", "health-speeches", "work-reports", "pooled"}


def test_train_can_skip_the_genre_holdout(mixed, tmp_path, capsys):
    config = tmp_path / "exp.toml"
    config.write_text('name = "mix"\nmodel = "majority"\ncv_folds = 2\n', encoding="utf-8")
    assert main(["train", "--config", str(config), "--data", str(mixed), "--models-dir",
                 str(tmp_path / "models"), "--no-mlflow", "--no-genre-holdout"]) == 0
    assert "leave-one-genre-out" not in capsys.readouterr().out


def test_evaluate_json_adds_genre_and_sector_tables(mixed, capsys):
    assert main(["evaluate", str(mixed), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"n", "accuracy", "macro_f1", "per_label", "confusion"} <= set(result)
    assert set(result["by_genre"]) == set(SMALL)
    water = (mixed / "written" / "ws-water-2.jsonl").read_text(encoding="utf-8").splitlines()
    assert result["by_sector"]["water"]["n"] == len(water)
    assert sum(row["n"] for row in result["by_genre"].values()) == result["n"]
