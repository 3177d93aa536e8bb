"""The obvious baselines, with the same speech-level interface as the default model."""

from __future__ import annotations

import itertools

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from toolkit.labels import LABELS, cue_class
from toolkit.predictor import check_speeches
from toolkit.words import JiebaTokenizer


class _UnitwiseTagger(ClassifierMixin, BaseEstimator):
    """A tagger that looks at each unit alone; subclasses score flat lists of units."""

    def fit(self, X, y):
        speeches = check_speeches(X)
        flat = [label for labels in y for label in labels]
        self.classes_ = np.asarray(sorted(set(flat) | set(LABELS)), dtype=object)
        self._fit_units([u for s in speeches for u in s], flat)
        return self

    def predict_proba(self, X) -> list[np.ndarray]:
        speeches = check_speeches(X)
        proba = self._proba_units([u for s in speeches for u in s])
        bounds = np.cumsum([0, *map(len, speeches)])
        return [proba[a:b] for a, b in itertools.pairwise(bounds)]

    def predict(self, X) -> list[np.ndarray]:
        return [self.classes_[p.argmax(axis=1)] for p in self.predict_proba(X)]

    def _one_hot(self, labels: list[str]) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.classes_)}
        proba = np.zeros((len(labels), len(self.classes_)))
        proba[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
        return proba


class MajorityTagger(_UnitwiseTagger):
    """Every unit gets the most frequent training label."""

    def _fit_units(self, units, labels):
        values, counts = np.unique(labels, return_counts=True)
        self.majority_ = str(values[counts.argmax()])

    def _proba_units(self, units):
        return self._one_hot([self.majority_] * len(units))


class CueRuleTagger(_UnitwiseTagger):
    """The label whose cue words dominate the unit, else its section heading's, else majority."""

    def _fit_units(self, units, labels):
        values, counts = np.unique(labels, return_counts=True)
        self.majority_ = str(values[counts.argmax()])

    def _proba_units(self, units):
        labels = []
        for unit in units:
            label = cue_class(unit["text"])
            section = unit.get("section") or []
            if label == "none" and section:
                label = cue_class(section[0], heading=True)
            labels.append(self.majority_ if label == "none" else label)
        return self._one_hot(labels)


class TfidfLogisticTagger(_UnitwiseTagger):
    """TF-IDF over jieba words and bigrams + logistic regression, each sentence on its own."""

    def __init__(self, C=4.0, class_weight="balanced"):
        self.C = C
        self.class_weight = class_weight

    def _fit_units(self, units, labels):
        self.vectorizer_ = TfidfVectorizer(
            tokenizer=JiebaTokenizer(), token_pattern=None, lowercase=False,
            ngram_range=(1, 2), sublinear_tf=True,
        )
        matrix = self.vectorizer_.fit_transform([u["text"] for u in units])
        self.classifier_ = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=3000
        ).fit(matrix, labels)

    def _proba_units(self, units):
        proba = self.classifier_.predict_proba(
            self.vectorizer_.transform([u["text"] for u in units])
        )
        full = np.zeros((len(units), len(self.classes_)))
        columns = [list(self.classes_).index(c) for c in self.classifier_.classes_]
        full[:, columns] = proba
        return full
