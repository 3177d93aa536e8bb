"""Shared fixtures: paths to the real speeches and corpus, and a model trained once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.paths import CORPUS_DIR, DATASETS_DIR, ROOT

SPEECHES_DIR = ROOT.parent / "shared" / "speeches"
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def speech_file(prefix: str) -> Path:
    if not SPEECHES_DIR.is_dir():
        pytest.skip("../shared/speeches is not present")
    return next(SPEECHES_DIR.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def labelled():
    from toolkit.dataset import dataset_files, read_units

    return read_units(dataset_files(DATASETS_DIR))


@pytest.fixture(scope="session")
def default_tagger():
    from toolkit.tag import Tagger

    return Tagger.load()
