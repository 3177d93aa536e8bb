"""Features of a unit read in its speech: words, characters, cues and structure.

Every block is a picklable scikit-learn transformer whose state is plain data
(arrays, dicts of strings), so a saved model carries its tokenizer and user
dictionary with it. Character n-grams live in ``ngrams``, structure in ``structure``.
"""

from __future__ import annotations

import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from toolkit.ngrams import CharNgrams, normalise_numbers
from toolkit.structure import StructureFeatures


class JiebaTokenizer:
    """jieba word segmentation that survives pickling and carries its user dictionary.

    jieba's global tokenizer holds a lock and global state; this builds a private
    ``Tokenizer`` on first use and keeps only ``user_words`` as state. Keeps
    one-character words (要, 不), which carry the label more than most.
    """

    def __init__(self, user_words: tuple[str, ...] = ()) -> None:
        self.user_words = tuple(user_words)
        self._tokenizer = None

    def __getstate__(self) -> dict:
        return {"user_words": list(self.user_words)}

    def __setstate__(self, state: dict) -> None:
        self.user_words = tuple(state["user_words"])
        self._tokenizer = None

    def _build(self):
        import logging
        import tempfile

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = tempfile.gettempdir()
        for word in self.user_words:
            tokenizer.add_word(word)
        return tokenizer

    def __call__(self, text: str) -> list[str]:
        if self._tokenizer is None:
            self._tokenizer = self._build()
        return [
            token
            for token in self._tokenizer.lcut(normalise_numbers(text), HMM=False)
            if token.strip()
        ]


class UnitFeatures(TransformerMixin, BaseEstimator):
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
        self.tokenizer_ = JiebaTokenizer(tuple(self.user_words))
        texts = [unit["text"] for speech in speeches for unit in speech]
        self.words_ = TfidfVectorizer(
            analyzer=self.tokenizer_, sublinear_tf=True
        ).fit(texts) if self.word_weight else None
        self.chars_ = CharNgrams(self.char_high).fit(texts) if self.char_weight else None
        self.structure_ = StructureFeatures(self.tokenizer_).fit(speeches)
        return self

    def _blocks(self):
        return [(prefix, weight, block) for prefix, weight, block in (
            ("w:", self.word_weight, self.words_),
            ("c:", self.char_weight, self.chars_),
            ("", self.structure_weight, self.structure_),
        ) if weight]

    def transform(self, speeches):
        texts = [unit["text"] for speech in speeches for unit in speech]
        matrices = [
            weight * block.transform(speeches if prefix == "" else texts)
            for prefix, weight, block in self._blocks()
        ]
        return sp.hstack(matrices, format="csr")

    def feature_name(self, column: int) -> str:
        """The readable name of one column, for explaining a prediction."""
        for prefix, _, block in self._blocks():
            size = (len(block.vocabulary_) if prefix else block.n_features)
            if column < size:
                if prefix == "w:":
                    return prefix + next(w for w, i in block.vocabulary_.items() if i == column)
                return prefix + block.name(column)
            column -= size
        raise IndexError(column)

