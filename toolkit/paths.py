"""Where the project keeps its data, configs and models. Pure constants: nothing is created."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS_DIR = ROOT / "datasets"
EXPERIMENTS_DIR = ROOT / "experiments"
MODELS_DIR = ROOT / "models"
DEFAULT_MODEL_DIR = MODELS_DIR / "default"
DEFAULT_EXPERIMENT = EXPERIMENTS_DIR / "default.toml"
CORPUS_DIR = ROOT.parent / "shared" / "corpus"
