"""The tagger's numpy-only predictor: the same numbers as scikit-learn, saved without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from toolkit.features import UnitFeatures
from toolkit.model import SpeechTagger
from toolkit.ngrams import CharNgrams, normalise_numbers
from toolkit.persist import load_model
from toolkit.predictor import Predictor
from toolkit.save import save_model
from toolkit.words import JiebaTokenizer, WordTfidf


@pytest.fixture(scope="module")
def fitted(labelled):
    return SpeechTagger(C=4.0, crop_count=1).fit(labelled.speeches[:4], labelled.labels[:4])


def test_word_block_matches_scikit_learns_tfidf(labelled):
    texts = [unit["text"] for unit in labelled.speeches[0]]
    ours = WordTfidf().fit(texts).triplets(texts).to_csr()
    theirs = TfidfVectorizer(analyzer=JiebaTokenizer(), sublinear_tf=True).fit(texts)
    assert WordTfidf().fit(texts).vocabulary_ == theirs.get_feature_names_out().tolist()
    assert np.allclose(ours.toarray(), theirs.transform(texts).toarray())


@pytest.mark.parametrize("n_classes", [2, 5])
def test_emissions_match_logistic_regression(labelled, n_classes):
    speeches, labels = labelled.speeches[:3], labelled.labels[:3]
    if n_classes == 2:
        labels = [["task" if label == "task" else "other" for label in speech]
                  for speech in labels]
    features = UnitFeatures(word_weight=0.5).fit(speeches)
    matrix = features.transform(speeches)
    flat = [label for speech in labels for label in speech]
    classifier = LogisticRegression(max_iter=3000).fit(matrix, flat)
    predictor = Predictor(features, classifier.coef_, classifier.intercept_,
                          classifier.classes_, np.zeros((n_classes, n_classes)), 0.0)
    ours = np.vstack(predictor.emission_proba(speeches))
    assert np.allclose(ours, classifier.predict_proba(matrix))


def test_a_saved_tagger_predicts_exactly_as_before_saving(fitted, labelled, tmp_path):
    directory = save_model(fitted, tmp_path / "m", {"name": "m"})
    assert json.loads((directory / "meta.json").read_text())["model_file"] == "predictor.npz"
    loaded, _ = load_model(directory)
    speeches = labelled.speeches[4:]
    for before, after in zip(fitted.predict_proba(speeches), loaded.predict_proba(speeches),
                             strict=True):
        assert np.array_equal(before, after)
    assert fitted.predict_proba_explained(speeches)[1] == \
        loaded.predict_proba_explained(speeches)[1]


def test_explanations_name_features_that_favour_the_label(fitted, labelled):
    speech = labelled.speeches[4][:30]
    _, cues = fitted.predict_proba_explained([speech])
    assert all(len(unit) <= 3 for unit in cues[0])
    assert sum(bool(unit) for unit in cues[0]) > 20
    assert any(name.startswith("cues:") for unit in cues[0] for name in unit)


def test_character_ngrams_match_a_plain_count(labelled):
    texts = [unit["text"] for unit in labelled.speeches[1]]
    ngrams = CharNgrams(high=3).fit(texts)
    columns = {ngrams.name(column): column for column in range(ngrams.n_features)}
    expected = np.zeros((len(texts), ngrams.n_features))
    for row, text in enumerate(texts):
        text = normalise_numbers(text)
        for n in (1, 2, 3):
            for start in range(len(text) - n + 1):
                if text[start:start + n] in columns:
                    expected[row, columns[text[start:start + n]]] += 1
    expected[expected > 0] = 1 + np.log(expected[expected > 0])
    expected *= ngrams.idf_
    expected /= np.maximum(np.linalg.norm(expected, axis=1, keepdims=True), 1e-300)
    assert np.allclose(ngrams.triplets(texts).to_csr().toarray(), expected)
