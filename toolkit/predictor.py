"""A trained tagger as plain arrays: its predictions with numpy alone, saved without pickle.

:class:`toolkit.model.SpeechTagger` fits one of these and predicts through it, so what
is saved is what was tested. Loading one needs neither scikit-learn nor scipy (a second
of imports) and cannot run code: ``numpy.load`` with ``allow_pickle=False``.
"""

from __future__ import annotations

import io
import itertools

import numpy as np

from toolkit.chain import posteriors
from toolkit.features import UnitFeatures

ARRAYS_FILE = "predictor.npz"


def check_speeches(speeches, name: str = "X") -> list[list[dict]]:
    """Accept a list of speeches, each a list of unit dicts with ``text``; reject a bare string."""
    if isinstance(speeches, str) or (
        speeches and isinstance(speeches[0], str | dict)
    ):
        raise TypeError(
            f"{name}: iterable over speeches expected (each a list of unit dicts with 'text'), "
            f"{type(speeches[0] if not isinstance(speeches, str) else speeches).__name__} "
            "received. Wrap a single speech in a list: [units]."
        )
    return [[unit if isinstance(unit, dict) else unit.to_dict() for unit in s] for s in speeches]


class Predictor:
    """Unit features, a multinomial linear model and a label chain, fitted elsewhere."""

    def __init__(self, features: UnitFeatures, coef, intercept, classes, log_transitions,
                 transition_weight: float) -> None:
        self.features = features
        self.coef = np.asarray(coef, dtype=float)
        self.intercept = np.asarray(intercept, dtype=float)
        self.classes_ = np.asarray(classes)
        self.log_transitions = np.asarray(log_transitions, dtype=float)
        self.transition_weight = float(transition_weight)

    def emission_proba(self, X) -> list[np.ndarray]:
        """Per-unit probabilities from the unit's features alone, before the chain."""
        return self._emissions(check_speeches(X))[1]

    def _emissions(self, speeches):
        matrix = self.features.triplets(speeches)
        scores = np.column_stack([
            np.bincount(matrix.rows, matrix.values * weights[matrix.columns],
                        minlength=matrix.n_rows) for weights in self.coef
        ]) + self.intercept
        if len(self.coef) == 1:  # two classes: one logistic score for the second
            scores = np.column_stack([np.zeros(len(scores)), scores])
        proba = np.exp(scores - scores.max(axis=1, keepdims=True))
        proba /= proba.sum(axis=1, keepdims=True)
        bounds = np.cumsum([0, *map(len, speeches)])
        return matrix, [proba[a:b] for a, b in itertools.pairwise(bounds)]

    def predict_proba(self, X) -> list[np.ndarray]:
        """Posterior marginals per unit, one array per speech; columns follow ``classes_``."""
        return [self._chain(e) for e in self.emission_proba(X)]

    def predict(self, X) -> list[np.ndarray]:
        """The most probable label of each unit, one array per speech."""
        return [self.classes_[p.argmax(axis=1)] for p in self.predict_proba(X)]

    def predict_proba_explained(self, X, top: int = 3):
        """``predict_proba`` and, per unit, the features that pushed most towards its label."""
        speeches = check_speeches(X)
        matrix, emissions = self._emissions(speeches)
        proba = [self._chain(e) for e in emissions]
        labels = np.concatenate([p.argmax(axis=1) for p in proba]) if proba else np.zeros(0, int)
        weights = self.coef if len(self.coef) > 1 else np.vstack([-self.coef, self.coef])
        contribution = weights[labels[matrix.rows], matrix.columns] * matrix.values
        order = np.lexsort((-contribution, matrix.rows))
        order = order[contribution[order] > 0]
        rows = matrix.rows[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
        cues = [[] for _ in range(matrix.n_rows)]
        for row, column in zip(rows[rank < top], matrix.columns[order[rank < top]], strict=True):
            cues[row].append(self.features.feature_name(int(column)))
        bounds = np.cumsum([0, *map(len, speeches)])
        return proba, [cues[a:b] for a, b in itertools.pairwise(bounds)]

    def _chain(self, emissions: np.ndarray) -> np.ndarray:
        return posteriors(emissions, self.log_transitions, self.transition_weight)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, coef=self.coef, intercept=self.intercept,
            classes=np.array([str(c) for c in self.classes_], dtype=str),
            log_transitions=self.log_transitions,
            transition_weight=np.array(self.transition_weight),
            **{f"features/{key}": value for key, value in self.features.to_arrays().items()},
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Predictor:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            arrays = dict(arrays)
        features = UnitFeatures.from_arrays({key.split("/", 1)[1]: value
                                             for key, value in arrays.items()
                                             if key.startswith("features/")})
        return cls(features, arrays["coef"], arrays["intercept"], arrays["classes"],
                   arrays["log_transitions"], float(arrays["transition_weight"]))
