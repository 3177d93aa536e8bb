"""Words of units, by jieba, as TF-IDF rows: the optional word block of the features.

jieba is imported, and its dictionary loaded, only when a model with a word block
first segments a text; the default model has none.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from toolkit.ngrams import normalise_numbers
from toolkit.tfidf import Triplets, smooth_idf, tfidf


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


class WordTfidf:
    """Sublinear TF-IDF of jieba words, L2-normalised, as ``TfidfVectorizer`` computes it."""

    def __init__(self, user_words: tuple[str, ...] = ()) -> None:
        self.user_words = tuple(user_words)

    def fit(self, texts, y=None):
        tokenizer = JiebaTokenizer(self.user_words)
        document_frequency = Counter(word for text in texts for word in set(tokenizer(text)))
        self._index(sorted(document_frequency))
        self.idf_ = smooth_idf(np.array([document_frequency[w] for w in self.vocabulary_],
                                        dtype=float), len(texts))
        return self

    def _index(self, words: list[str]):
        self.vocabulary_ = words
        self._columns = {word: column for column, word in enumerate(words)}
        self._tokenizer = JiebaTokenizer(self.user_words)
        return self

    @property
    def n_features(self) -> int:
        return len(self.vocabulary_)

    def triplets(self, texts) -> Triplets:
        rows, columns = [], []
        for row, text in enumerate(texts):
            found = [self._columns[w] for w in self._tokenizer(text) if w in self._columns]
            rows.extend([row] * len(found))
            columns.extend(found)
        return tfidf(rows, columns, len(texts), self.idf_)

    def name(self, column: int) -> str:
        return self.vocabulary_[column]

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"vocabulary": np.array(self.vocabulary_, dtype=str), "idf": self.idf_,
                "user_words": np.array(self.user_words, dtype=str)}

    @classmethod
    def from_arrays(cls, arrays) -> WordTfidf:
        words = cls(tuple(str(w) for w in arrays["user_words"]))._index(
            [str(w) for w in arrays["vocabulary"]])
        words.idf_ = np.asarray(arrays["idf"], dtype=float)
        return words
