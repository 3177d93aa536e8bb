"""Experiment configs: TOML files under ``experiments/`` naming a model and its parameters."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.baselines import CueRuleTagger, MajorityTagger, TfidfLogisticTagger
from toolkit.errors import InputError
from toolkit.files import read_limited
from toolkit.model import SpeechTagger
from toolkit.outputs import folder_name

MODELS = {
    "sequence": SpeechTagger,
    "majority": MajorityTagger,
    "cue_rules": CueRuleTagger,
    "tfidf_lr": TfidfLogisticTagger,
}
# Parameter: (lowest, whether the lowest itself is allowed, highest, integer only).
_RANGES = {
    "C": (0, False, 1e6, False),
    "max_iter": (1, True, 100_000, True),
    # n-gram codes take 21 bits per character in an int64: three characters at most.
    "char_high": (1, True, 3, True),
    "transition_weight": (0, True, 10, False),
    "doc_balance": (0, True, 2, False),
    "crop_count": (0, True, 100, True),
    "random_state": (0, True, 2**32 - 1, True),
    **{name: (0, True, 100, False) for name in ("word_weight", "char_weight",
                                                 "structure_weight", "isolated_weight",
                                                 "crop_weight")},
}
_TOP_KEYS = {"name", "description", "model", "params", "cv_folds", "seed", "silver_from",
             "silver_files", "silver_weight", "genre_weights"}


@dataclass
class Experiment:
    """A validated experiment: which model, with which parameters, evaluated how."""

    name: str
    model: str = "sequence"
    params: dict = field(default_factory=dict)
    description: str = ""
    cv_folds: int = 5
    seed: int = 0
    path: str = ""
    silver_from: list[str] = field(default_factory=list)
    silver_files: int = 50
    silver_weight: float = 0.3
    # Sample weight per genre (the dataset folder or documents.csv); 1 for any other genre.
    genre_weights: dict[str, float] = field(default_factory=dict)

    def build(self):
        return MODELS[self.model](**self.params)

    def to_dict(self) -> dict:
        return {
            "name": self.name, "model": self.model, "params": self.params,
            "description": self.description, "cv_folds": self.cv_folds, "seed": self.seed,
            **({"silver_from": self.silver_from, "silver_files": self.silver_files,
                "silver_weight": self.silver_weight} if self.silver_from else {}),
            **({"genre_weights": self.genre_weights} if self.genre_weights else {}),
        }


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment TOML file; every mistake names the key and the fix."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise InputError(source, "an experiment TOML file", "nothing at that path",
                         "List the configs with `ls experiments/`.")
    try:
        data = tomllib.loads(read_limited(path).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(source, "a UTF-8 TOML file", f"undecodable bytes at offset {exc.start}",
                         "Pass the experiment's .toml text file.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, "valid TOML", f"a syntax error ({exc})",
                         "Fix the TOML syntax.") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise InputError(source, f"only the keys {sorted(_TOP_KEYS)}",
                         f"unknown key {unknown[0]!r}", "Remove or rename it.")
    kind = data.get("model", "sequence")
    if kind not in MODELS:
        raise InputError(source, f"model one of {sorted(MODELS)}", repr(kind),
                         "Set model to one of them.")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise InputError(source, "[params] a table", repr(params)[:40],
                         "Write the parameters under a [params] header.")
    allowed = set(MODELS[kind]().get_params())
    bad = sorted(set(params) - allowed)
    if bad:
        raise InputError(source, f"params of {kind} among {sorted(allowed)}",
                         f"unknown parameter {bad[0]!r}", "Remove or rename it.")
    folds = data.get("cv_folds", 5)
    if not isinstance(folds, int) or isinstance(folds, bool) or folds < 2:
        raise InputError(source, "cv_folds an integer ≥ 2", repr(folds), "Set cv_folds = 5.")
    _check_range("cv_folds", folds, (2, True, 100, True), source)
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise InputError(source, "seed an integer from 0 to 2**32 - 1", repr(seed)[:40],
                         "Set seed = 0.")
    experiment = Experiment(
        name=folder_name(data.get("name", path.stem), source), model=kind, params=dict(params),
        description=str(data.get("description", "")), cv_folds=folds,
        seed=seed, path=source,
        silver_from=list(data.get("silver_from", [])),
        silver_files=data.get("silver_files", 50), silver_weight=data.get("silver_weight", 0.3),
        genre_weights=data.get("genre_weights", {}),
    )
    _check_silver(experiment, source)
    _check_values(experiment, source)
    _check_genre_weights(experiment, source)
    return experiment


def _check_values(experiment: Experiment, source: str) -> None:
    params = experiment.params
    for name, value in params.items():
        if name in _RANGES:
            _check_range(f"params.{name}", value, _RANGES[name], source)
    if params.get("class_weight", "balanced") not in ("balanced", None):
        raise InputError(source, 'params.class_weight "balanced"',
                         repr(params["class_weight"]), 'Set class_weight = "balanced".')
    words = params.get("user_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise InputError(source, "params.user_words a list of words", repr(words)[:60],
                         'Write user_words = ["医共体", "家庭医生"].')


def _check_range(key: str, value, limits: tuple, source: str) -> None:
    low, low_allowed, high, integer = limits
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
        raise InputError(source, f"{key} {kind}", repr(value)[:40],
                         f"Set {key.split('.')[-1]} to {kind}.")
    if not math.isfinite(value):
        raise InputError(source, f"{key} a finite number", repr(value),
                         f"Set {key.split('.')[-1]} to a number.")
    if value < low or (value == low and not low_allowed):
        raise InputError(source, f"{key} {'≥' if low_allowed else '>'} {low}", repr(value),
                         f"Set {key.split('.')[-1]} to a valid number.")
    if value > high:
        raise InputError(source, f"{key} ≤ {high}", repr(value),
                         f"Set {key.split('.')[-1]} to a valid number.")


def _check_genre_weights(experiment: Experiment, source: str) -> None:
    weights = experiment.genre_weights
    if not isinstance(weights, dict) or not all(
            isinstance(w, int | float) and not isinstance(w, bool) and 0 < w <= 100
            for w in weights.values()):
        raise InputError(source, "genre_weights a table of numbers in (0, 100]",
                         repr(weights)[:60], 'Write [genre_weights] then "health-speeches" = 2.0.')
    if weights and experiment.model != "sequence":
        raise InputError(source, 'genre_weights with model = "sequence"', repr(experiment.model),
                         "Remove genre_weights or use the sequence model.")


def _check_silver(experiment: Experiment, source: str) -> None:
    if not experiment.silver_from:
        return
    if experiment.model != "sequence":
        raise InputError(source, 'silver_from with model = "sequence"', repr(experiment.model),
                         "Remove silver_from or use the sequence model.")
    if not all(isinstance(p, str) for p in experiment.silver_from):
        raise InputError(source, "silver_from a list of paths", repr(experiment.silver_from),
                         'Write silver_from = ["../shared/corpus/gov-work-reports"].')
    weight, files = experiment.silver_weight, experiment.silver_files
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 < weight <= 1:
        raise InputError(source, "silver_weight in (0, 1]", repr(weight), "Set 0.3, say.")
    if not isinstance(files, int) or isinstance(files, bool) or files < 1:
        raise InputError(source, "silver_files an integer ≥ 1", repr(files), "Set 50, say.")
