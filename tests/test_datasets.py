"""Data tests on the shipped datasets/: genres, schema, labels, provenance, double annotation,
and units exactly as the splitter makes them from each source."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from toolkit.labels import LABELS
from toolkit.paths import DATASETS_DIR, ROOT
from toolkit.speech import load_speeches

from .conftest import SPEECHES_DIR

GENRES = ("health-speeches", "work-reports", "congress-reports", "written")
FIELDS = {"doc_id": str, "sent_id": int, "text": str, "label": str, "start": int, "end": int,
          "heading_level": int, "section": list, "para_id": int}
FILES = sorted(DATASETS_DIR.rglob("*.jsonl"))


def rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def table(name):
    with open(DATASETS_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


DOCUMENTS = {row["doc_id"]: row for row in table("documents.csv")}
NEW = [path for path in FILES if path.parent.name != "health-speeches"]


def test_datasets_are_organised_by_genre_each_with_a_data_card():
    assert {path.parent.name for path in FILES} == set(GENRES)
    for genre in GENRES:
        card = (DATASETS_DIR / genre / "README.md").read_text(encoding="utf-8")
        assert "| **all** |" in card, f"{genre}: the card has no count table"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_schema_labels_and_order(path):
    units = rows(path)
    for row in units:
        assert {k: type(v) for k, v in row.items()} == FIELDS
        assert row["label"] in LABELS
        assert row["text"].strip() == row["text"] != ""
        assert row["doc_id"] == path.stem
    assert [row["sent_id"] for row in units] == list(range(len(units)))
    spans = [(row["start"], row["end"]) for row in units]
    assert len(set(spans)) == len(spans) and spans == sorted(spans)


def test_document_table_describes_every_file_once():
    assert sorted(DOCUMENTS) == sorted(path.stem for path in FILES)
    for path in FILES:
        row = DOCUMENTS[path.stem]
        assert row["genre"] == path.parent.name
        assert row["origin"] == ("written" if row["genre"] == "written" else "real")
        assert row["sector"] and row["kind"] in ("whole", "excerpt") and row["source"]
        if row["genre"] in ("work-reports", "congress-reports"):
            assert row["source_url"].startswith("http") and row["year"].isdigit()


def test_the_new_data_spans_genres_sectors_regions_and_decades():
    units = sum(len(rows(path)) for path in NEW)
    assert units >= 5000
    by_genre = Counter(DOCUMENTS[path.stem]["genre"] for path in NEW)
    assert by_genre["work-reports"] >= 8 and by_genre["congress-reports"] >= 2
    assert by_genre["written"] >= 60
    written = [DOCUMENTS[path.stem] for path in NEW if path.parent.name == "written"]
    assert len({row["sector"] for row in written}) >= 25
    assert {row["kind"] for row in written} == {"whole", "excerpt"}
    reports = [DOCUMENTS[path.stem] for path in NEW if path.parent.name == "work-reports"]
    assert len({row["region"] for row in reports}) >= 6
    assert {row["level"] for row in reports} >= {"national", "provincial", "city"}
    assert len({row["year"][:3] for row in reports}) >= 3


@pytest.mark.parametrize("genre", GENRES)
def test_every_label_occurs_in_every_genre(genre):
    labels = Counter(row["label"] for path in FILES if path.parent.name == genre
                     for row in rows(path))
    assert set(labels) == set(LABELS)


def source_of(doc_id: str) -> Path | None:
    """Where the splitter reads a shipped document from: the shared folder or datasets/."""
    source = DOCUMENTS[doc_id]["source"]
    return (ROOT / source).resolve() if not source.startswith("../shared/speeches") else None


def test_units_are_exactly_what_the_splitter_yields():
    checked = 0
    for path in FILES:
        source = source_of(path.stem)
        if source is None:
            continue
        if not source.is_file():
            assert str(source).startswith(str(ROOT.parent / "shared")), source
            continue
        (speech,) = load_speeches(source, path.stem)
        expected = [unit.to_dict() for unit in speech.units]
        got = [{k: v for k, v in row.items() if k != "label"} for row in rows(path)]
        assert got == expected, path.stem
        checked += 1
    assert checked >= 60, "the written speeches ship their text and are always checked"


def test_health_speech_units_are_exactly_what_the_splitter_yields():
    if not SPEECHES_DIR.is_dir():
        pytest.skip("../shared/speeches is not present")
    shipped = {path.stem: rows(path) for path in FILES if path.parent.name == "health-speeches"}
    for source in sorted(SPEECHES_DIR.glob("*.txt")):
        for speech in load_speeches(source):
            expected = [unit.to_dict() for unit in speech.units]
            got = [{k: v for k, v in row.items() if k != "label"} for row in shipped[speech.doc_id]]
            assert got == expected, speech.doc_id


def test_double_annotation_covers_a_fifth_of_the_new_units_and_was_adjudicated():
    double = table("double-annotation.csv")
    assert len(double) * 5 >= sum(len(rows(path)) for path in NEW)
    assert {row["genre"] for row in double} >= {"work-reports", "congress-reports", "written"}
    for row in double:
        assert {row["pass1"], row["pass2"], row["adjudicated"]} <= set(LABELS)
        if row["pass1"] == row["pass2"]:
            assert row["adjudicated"] == row["pass1"]
    shipped = Counter((row["doc_id"], row["text"], row["label"]) for path in NEW
                      for row in rows(path))
    adjudicated = Counter((row["doc_id"], row["text"], row["adjudicated"]) for row in double)
    assert not adjudicated - shipped, "the shipped label is the adjudicated one"
