"""Features of a unit read in its speech: words, characters, cues and structure.

Each block turns texts (or whole speeches) into sparse triplets and saves its fitted
state as plain arrays, so a saved model loads without unpickling and tags with numpy
alone. Character n-grams live in ``ngrams``, words in ``words``, structure in ``structure``.
"""

from __future__ import annotations

import numpy as np

from toolkit.ngrams import CharNgrams
from toolkit.structure import StructureFeatures
from toolkit.tfidf import Triplets, hstack
from toolkit.words import WordTfidf

# (prefix of feature names, weight parameter, fitted attribute, class) of each block, in
# column order; structure names carry no prefix.
_BLOCKS = (("w:", "word_weight", "words_", WordTfidf), ("c:", "char_weight", "chars_", CharNgrams),
           ("", "structure_weight", "structure_", StructureFeatures))


class UnitFeatures:
    """Turn speeches (lists of unit dicts) into one sparse row per unit.

    Parameters
    ----------
    word_weight, char_weight, structure_weight : float
        Scale of each block; 0 leaves the block out.
    char_high : int
        Longest character n-gram.
    user_words : tuple of str
        Domain words added to jieba's dictionary.
    """

    def __init__(self, word_weight=1.0, char_weight=1.0, structure_weight=1.0, char_high=3,
                 user_words=()):
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.structure_weight = structure_weight
        self.char_high = char_high
        self.user_words = user_words

    def fit(self, speeches, y=None):
        texts = [unit["text"] for speech in speeches for unit in speech]
        self.words_ = WordTfidf(tuple(self.user_words)).fit(texts) if self.word_weight else None
        self.chars_ = CharNgrams(self.char_high).fit(texts) if self.char_weight else None
        self.structure_ = StructureFeatures().fit(speeches)
        return self

    def _blocks(self):
        return [(prefix, getattr(self, weight), getattr(self, fitted))
                for prefix, weight, fitted, _ in _BLOCKS if getattr(self, weight)]

    def triplets(self, speeches) -> Triplets:
        texts = [unit["text"] for speech in speeches for unit in speech]
        return hstack([(float(weight), block.triplets(speeches if prefix == "" else texts))
                       for prefix, weight, block in self._blocks()])

    def transform(self, speeches):
        """The features as a scipy CSR matrix, for training."""
        return self.triplets(speeches).to_csr()

    def feature_name(self, column: int) -> str:
        """The readable name of one column, for explaining a prediction."""
        for prefix, _, block in self._blocks():
            if column < block.n_features:
                return prefix + block.name(column)
            column -= block.n_features
        raise IndexError(column)

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {"weights": np.array([getattr(self, weight) for _, weight, _, _ in _BLOCKS],
                                      dtype=float)}
        for prefix, _, block in self._blocks():
            arrays.update({f"{prefix or 's:'}{key}": value
                           for key, value in block.to_arrays().items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> UnitFeatures:
        features = cls(*(float(w) for w in arrays["weights"]))
        for prefix, weight, fitted, kind in _BLOCKS:
            key = prefix or "s:"
            setattr(features, fitted, kind.from_arrays(
                {name[len(key):]: value for name, value in arrays.items() if name.startswith(key)}
            ) if getattr(features, weight) else None)
        if features.chars_ is not None:
            features.char_high = features.chars_.high
        if features.words_ is not None:
            features.user_words = features.words_.user_words
        return features
