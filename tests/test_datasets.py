"""Data tests on the shipped datasets/: schema, labels, units exactly as the splitter makes them."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from toolkit.labels import LABELS
from toolkit.paths import DATASETS_DIR
from toolkit.speech import load_speeches

from .conftest import SPEECHES_DIR

FIELDS = {"doc_id": str, "sent_id": int, "text": str, "label": str, "start": int, "end": int,
          "heading_level": int, "section": list, "para_id": int}
FILES = sorted(DATASETS_DIR.glob("*.jsonl"))


def rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_five_speeches_are_shipped():
    assert len(FILES) == 5


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


def test_every_label_occurs_and_no_speech_is_in_two_files():
    labels = Counter(row["label"] for path in FILES for row in rows(path))
    assert set(labels) == set(LABELS)
    doc_ids = [row["doc_id"] for path in FILES for row in rows(path)]
    assert len(set(doc_ids)) == len(FILES)


def test_units_are_exactly_what_the_splitter_yields():
    if not SPEECHES_DIR.is_dir():
        pytest.skip("../shared/speeches is not present")
    shipped = {path.stem: rows(path) for path in FILES}
    for source in sorted(SPEECHES_DIR.glob("*.txt")):
        for speech in load_speeches(source):
            expected = [unit.to_dict() for unit in speech.units]
            got = [{k: v for k, v in row.items() if k != "label"} for row in shipped[speech.doc_id]]
            assert got == expected, speech.doc_id
