"""A tagger that reads a speech as a speech: unit features, a linear model, label transitions.

Each unit gets class probabilities from a logistic regression over its own
words and its context (section headings, neighbours, position). A first-order
chain over the units of a speech then combines them with learned label
transitions; forward-backward gives each unit's posterior marginals.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from toolkit.chain import log_transitions
from toolkit.features import UnitFeatures
from toolkit.predictor import Predictor, check_speeches


class SpeechTagger(ClassifierMixin, BaseEstimator):
    """Context-aware sentence tagger over whole speeches.

    Parameters
    ----------
    C : float
        Inverse regularisation of the logistic regression.
    transition_weight : float
        Exponent on the learned label-transition probabilities; 0 tags each unit
        on its own features alone.
    word_weight, char_weight, structure_weight, char_high, user_words :
        Passed to :class:`toolkit.features.UnitFeatures`.
    class_weight : str or None
        ``"balanced"`` keeps rare labels (problem, exhortation) from being swamped.
    isolated_weight : float
        Also train on every unit as a one-unit speech, with this sample weight, so
        a sentence tagged on its own (an HTTP request with one unit) is judged by
        its words, not by the position and neighbours it would have had.
    crop_count, crop_weight : int, float
        Also train on ``crop_count`` random contiguous runs of 6–40 units of every
        speech, with this sample weight: an excerpt pasted from mid-speech has no
        title and no headings above it, and the model must not need them.
    doc_balance : float
        Weight each speech's units by (median speech length / its length) ** doc_balance,
        so a 700-unit report counts less than ten 70-unit speeches; 0 weighs units equally.
    random_state : int
        Seed of the crops.
    """

    def __init__(self, C=4.0, transition_weight=1.0, word_weight=1.0, char_weight=1.0,
                 structure_weight=1.0, char_high=3, user_words=(), class_weight="balanced",
                 isolated_weight=0.0, crop_count=0, crop_weight=1.0, doc_balance=0.0,
                 random_state=0, max_iter=3000):
        self.C = C
        self.transition_weight = transition_weight
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.structure_weight = structure_weight
        self.char_high = char_high
        self.user_words = user_words
        self.class_weight = class_weight
        self.isolated_weight = isolated_weight
        self.crop_count = crop_count
        self.crop_weight = crop_weight
        self.doc_balance = doc_balance
        self.random_state = random_state
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """Fit on speeches ``X`` and their per-unit label lists ``y``.

        ``sample_weight``, if given, holds one weight array per speech (one weight per
        unit); weight 0 leaves a unit out of the loss but keeps it as context.
        """
        speeches = check_speeches(X)
        if len(y) != len(speeches) or any(
            len(speech) != len(labels) for speech, labels in zip(speeches, y, strict=True)
        ):
            raise ValueError("y must hold one label list per speech, one label per unit.")
        features = UnitFeatures(
            word_weight=self.word_weight, char_weight=self.char_weight,
            structure_weight=self.structure_weight, char_high=self.char_high,
            user_words=tuple(self.user_words),
        )
        unit_weights = [np.asarray(w, dtype=float) for w in sample_weight] if (
            sample_weight is not None) else [np.ones(len(speech)) for speech in speeches]
        if self.doc_balance:
            median = float(np.median([len(speech) for speech in speeches]))
            unit_weights = [w * (median / len(w)) ** float(self.doc_balance)
                            for w in unit_weights]
        training, targets, weights = list(speeches), list(y), list(unit_weights)
        if self.isolated_weight:
            training += [[unit] for speech in speeches for unit in speech]
            targets += [[label] for labels in y for label in labels]
            weights += [w * float(self.isolated_weight) for w in unit_weights]
        for start, end, i in self._crops(speeches):
            training.append(speeches[i][start:end])
            targets.append(list(y[i][start:end]))
            weights.append(unit_weights[i][start:end] * float(self.crop_weight))
        # Vocabulary and IDF from the speeches alone: the copies would double every count.
        matrix = features.fit(speeches).transform(training)
        flat = np.asarray([label for labels in targets for label in labels])
        classifier = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter
        ).fit(matrix, flat, sample_weight=np.concatenate(weights))
        self.classes_ = classifier.classes_
        gold = [labels for i, labels in enumerate(y)
                if sample_weight is None or np.all(np.asarray(sample_weight[i]) == 1)]
        self.predictor_ = Predictor(features, classifier.coef_, classifier.intercept_,
                                    self.classes_, log_transitions(self.classes_, gold),
                                    self.transition_weight)
        return self

    def _crops(self, speeches):
        """(start, end, speech index) of ``crop_count`` random runs per speech."""
        rng = np.random.default_rng(self.random_state)
        for i, speech in enumerate(speeches):
            if len(speech) <= 6:
                continue
            for _ in range(int(self.crop_count)):
                length = int(rng.integers(6, min(40, len(speech)) + 1))
                start = int(rng.integers(0, len(speech) - length + 1))
                yield start, start + length, i

    def emission_proba(self, X) -> list[np.ndarray]:
        """Per-unit probabilities from the unit's features alone, before the chain."""
        return self.predictor_.emission_proba(X)

    def predict_proba(self, X) -> list[np.ndarray]:
        """Posterior marginals per unit, one array per speech; columns follow ``classes_``."""
        return self.predictor_.predict_proba(X)

    def predict(self, X) -> list[np.ndarray]:
        """The most probable label of each unit, one array per speech."""
        return self.predictor_.predict(X)

    def predict_proba_explained(self, X, top: int = 3):
        """``predict_proba`` and, per unit, the features that pushed most towards its label."""
        return self.predictor_.predict_proba_explained(X, top)
