"""Experiment configs: TOML files under ``experiments/`` naming a model and its parameters."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.baselines import CueRuleTagger, MajorityTagger, TfidfLogisticTagger
from toolkit.errors import InputError
from toolkit.model import SpeechTagger
from toolkit.outputs import folder_name

MODELS = {
    "sequence": SpeechTagger,
    "majority": MajorityTagger,
    "cue_rules": CueRuleTagger,
    "tfidf_lr": TfidfLogisticTagger,
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
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(source, "an experiment TOML file", "nothing at that path",
                         "List the configs with `ls experiments/`.") from None
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
    allowed = set(MODELS[kind]().get_params())
    bad = sorted(set(params) - allowed)
    if bad:
        raise InputError(source, f"params of {kind} among {sorted(allowed)}",
                         f"unknown parameter {bad[0]!r}", "Remove or rename it.")
    folds = data.get("cv_folds", 5)
    if not isinstance(folds, int) or isinstance(folds, bool) or folds < 2:
        raise InputError(source, "cv_folds an integer ≥ 2", repr(folds), "Set cv_folds = 5.")
    experiment = Experiment(
        name=folder_name(data.get("name", path.stem), source), model=kind, params=dict(params),
        description=str(data.get("description", "")), cv_folds=folds,
        seed=int(data.get("seed", 0)), path=source,
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
    positive = {"C", "max_iter", "char_high"}
    non_negative = {"transition_weight", "word_weight", "char_weight", "structure_weight",
                    "isolated_weight", "crop_count", "crop_weight", "doc_balance"}
    for name, value in params.items():
        if name in positive | non_negative:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise InputError(source, f"params.{name} a number", repr(value),
                                 f"Set {name} to a number.")
            if (name in positive and value <= 0) or value < 0:
                raise InputError(source, f"params.{name} {'> 0' if name in positive else '≥ 0'}",
                                 repr(value), f"Set {name} to a valid number.")
    if params.get("class_weight", "balanced") not in ("balanced", None):
        raise InputError(source, 'params.class_weight "balanced"',
                         repr(params["class_weight"]), 'Set class_weight = "balanced".')
    words = params.get("user_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise InputError(source, "params.user_words a list of words", repr(words)[:60],
                         'Write user_words = ["医共体", "家庭医生"].')


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
