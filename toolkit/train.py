"""Train an experiment: cross-validation grouped by speech, then a final fit on all data."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from toolkit.config import Experiment
from toolkit.dataset import LabelledSpeeches, dataset_sha256, file_sha256s
from toolkit.errors import InputError
from toolkit.evaluate import score
from toolkit.paths import ROOT

log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    """A fitted model with its by-speech cross-validation figures and provenance."""

    experiment: Experiment
    model: object
    folds: list[dict]
    pooled: dict
    oof_labels: list[list[str]]
    oof_proba: list[np.ndarray]
    data: LabelledSpeeches
    meta: dict = field(default_factory=dict)

    @property
    def mean_accuracy(self) -> float:
        return float(np.mean([fold["accuracy"] for fold in self.folds]))

    @property
    def mean_macro_f1(self) -> float:
        return float(np.mean([fold["macro_f1"] for fold in self.folds]))


def cross_validate(experiment: Experiment, data: LabelledSpeeches):
    """Out-of-fold predictions with whole speeches held out: no speech is in two folds."""
    n_speeches = len(data.speeches)
    if n_speeches < 2:
        raise InputError(", ".join(map(str, data.files)) or "the labelled data",
                         "at least 2 speeches (cross-validation holds whole speeches out)",
                         f"{n_speeches}", "Add labelled speeches (datasets/ or --data).")
    splitter = GroupKFold(n_splits=min(experiment.cv_folds, n_speeches))
    indices = np.arange(n_speeches)
    oof_labels: list = [None] * n_speeches
    oof_proba: list = [None] * n_speeches
    splits = list(splitter.split(indices, groups=data.doc_ids))
    folds: list = [None] * len(splits)

    def scored(number: int, predicted: tuple) -> None:
        test = splits[number][1]
        truth = [label for i in test for label in data.labels[i]]
        result = score(truth, [label for speech in predicted[0] for label in speech])
        result.update(fold=number, held_out=[data.doc_ids[i] for i in test])
        folds[number] = result
        finished = sum(fold is not None for fold in folds)
        # Folds take minutes on the whole data: say each one as it ends, not all at the end.
        log.info("fold %d done (%d of %d): %d documents held out, accuracy %.3f, macro-F1 %.3f",
                 number, finished, len(folds), len(test), result["accuracy"], result["macro_f1"])

    silver = load_silver(experiment)
    predictions = fit_and_predict_many(experiment, data, [
        (train, test, silver) for train, test in splits
    ], scored)
    for (_, test), (labels, proba) in zip(splits, predictions, strict=True):
        for i, speech_labels, speech_proba in zip(test, labels, proba, strict=True):
            oof_labels[i], oof_proba[i] = speech_labels, speech_proba
    return folds, oof_labels, oof_proba


def fit_and_predict_many(experiment: Experiment, data: LabelledSpeeches, splits,
                         on_done=None) -> list:
    """For each (train, test, silver): fit on the train speeches, predict the test speeches.

    Fits run in parallel, one per core; each returns labels and probabilities per test
    speech, in the order of ``splits``. ``on_done(index, result)`` is called as each ends.
    """
    from joblib import Parallel, delayed

    jobs = [
        delayed(_numbered)(number, experiment, [data.speeches[i] for i in train],
                           [data.labels[i] for i in train],
                           [data.speeches[i] for i in test], silver,
                           genre_weights(experiment, data, train))
        for number, (train, test, silver) in enumerate(splits)
    ]
    results: list = [None] * len(jobs)
    parallel = Parallel(n_jobs=min(len(jobs), _cores()), return_as="generator_unordered")
    for number, result in parallel(jobs):
        results[number] = result
        if on_done:
            on_done(number, result)
    return results


def _cores() -> int:
    import os

    return max(1, min(4, len(os.sched_getaffinity(0))))


def genre_weights(experiment: Experiment, data: LabelledSpeeches, indices) -> list | None:
    """Per-unit weights of the speeches at ``indices`` from the experiment's ``genre_weights``."""
    if not experiment.genre_weights:
        return None
    genres = data.attribute("genre")
    return [np.full(len(data.speeches[i]), float(experiment.genre_weights.get(genres[i], 1.0)))
            for i in indices]


def _numbered(number, experiment, speeches, labels, held_out, silver, weights):
    model = _fit(experiment, speeches, labels, silver, weights)
    return number, ([[str(label) for label in row] for row in model.predict(held_out)],
            [_align(proba, model.classes_) for proba in model.predict_proba(held_out)])


def load_silver(experiment: Experiment):
    """Silver-labelled speeches from ``silver_from``, read at run time (never stored).

    Returns (speeches, labels, weights): units the labelling functions abstain on keep
    weight 0, so they serve as context only.
    """
    if not experiment.silver_from:
        return None
    from toolkit.bulk import expand_inputs, speeches_of
    from toolkit.weak import weak_labels

    root = ROOT
    sources = expand_inputs([str(root / path) for path in experiment.silver_from])
    rng = np.random.default_rng(experiment.seed)
    chosen = sorted(rng.choice(len(sources), min(experiment.silver_files, len(sources)),
                               replace=False))
    speeches = [s for i in chosen for s in speeches_of(sources[i])[0]]
    labels, stats = weak_labels(speeches)
    log.info("silver: %d of %d units labelled from %d files", stats["labelled"],
             stats["units"], len(chosen))
    weights = [np.array([experiment.silver_weight if label else 0.0 for label in speech])
               for speech in labels]
    filled = [[label or "other" for label in speech] for speech in labels]
    return speeches, filled, weights


def _fit(experiment: Experiment, speeches, labels, silver, weights=None):
    model = experiment.build()
    if silver is None and weights is None:
        return model.fit(speeches, labels)
    weights = weights or [np.ones(len(speech)) for speech in speeches]
    if silver is None:
        return model.fit(speeches, labels, sample_weight=weights)
    return model.fit(speeches + silver[0], labels + silver[1], sample_weight=weights + silver[2])


def _align(proba: np.ndarray, classes) -> np.ndarray:
    """Columns in the order of LABELS, whatever classes a fold saw."""
    from toolkit.labels import LABELS

    aligned = np.zeros((len(proba), len(LABELS)))
    for column, label in enumerate(classes):
        aligned[:, LABELS.index(str(label))] = proba[:, column]
    return aligned


def train_experiment(experiment: Experiment, data: LabelledSpeeches) -> TrainResult:
    """Cross-validate by speech, then fit the final model on every speech."""
    folds, oof_labels, oof_proba = cross_validate(experiment, data)
    truth = [label for labels in data.labels for label in labels]
    pooled = score(truth, [label for labels in oof_labels for label in labels])
    model = _fit(experiment, data.speeches, data.labels, load_silver(experiment),
                 genre_weights(experiment, data, range(len(data.speeches))))
    result = TrainResult(experiment, model, folds, pooled, oof_labels, oof_proba, data)
    result.meta = _meta(result)
    return result


def _meta(result: TrainResult) -> dict:
    words = sorted(result.experiment.params.get("user_words", []))
    return {
        "name": result.experiment.name,
        "labels": [str(label) for label in result.model.classes_],
        "config": result.experiment.to_dict(),
        "dataset": {
            "files": [Path(f).name for f in result.data.files],
            "sha256": dataset_sha256(result.data.files),
            "file_sha256s": file_sha256s(result.data.files),
            "speeches": len(result.data.speeches),
            "units": result.data.n_units(),
        },
        "user_dictionary_sha256": hashlib.sha256("\n".join(words).encode()).hexdigest(),
        "metrics": {
            "cv": "GroupKFold by speech",
            "cv_accuracy": result.mean_accuracy,
            "cv_macro_f1": result.mean_macro_f1,
            "pooled": result.pooled,
            "folds": [
                {key: fold[key] for key in ("fold", "held_out", "n", "accuracy", "macro_f1")}
                for fold in result.folds
            ],
        },
    }
