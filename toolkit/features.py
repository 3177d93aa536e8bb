"""Features of a unit read in its speech: words, characters, cues and structure.

Everything here is a picklable scikit-learn transformer whose state is plain
data, so a saved model carries its tokenizer and user dictionary with it.
"""

from __future__ import annotations

import math
import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer

from toolkit.labels import cue_class, cue_counts
from toolkit.split import outline

_NUMBER = re.compile(r"\d+(?:[.．]\d+)?|[XxＸ]{1,3}(?=[\u4e00-\u9fff%])|\d*_")
# Binary signals of the decision rules: a completed action (了), a directive
# opening (要/必须), a rally (让我们/希望大家).
_SIGNALS = {
    "signal:le": re.compile(r"(?<![为除])了(?![解])"),
    "signal:directive": re.compile(r"^[^，。]{0,8}?(要|必须|务必|应当|需要)"),
    "signal:rally": re.compile(r"让我们|希望大家|希望各|同志们[，,！!]"),
}
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+(是|要)|第[一二三四五六七八九十]+)")


def normalise_numbers(text: str) -> str:
    """Write every figure, and the ``X``/``20_`` placeholders of redacted ones, as ``0``."""
    return _NUMBER.sub("0", text)


class JiebaTokenizer:
    """jieba word segmentation that survives pickling and carries its user dictionary.

    jieba's global tokenizer holds a lock and global state; this builds a private
    ``jieba.Tokenizer`` on first use and keeps only ``user_words`` as state.
    Keeps one-character words (要, 不), which carry the label more than most.
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


class CharNgrams:
    """Character n-grams of a unit with figures normalised, as a picklable analyzer."""

    def __init__(self, low: int = 1, high: int = 3) -> None:
        self.low = low
        self.high = high

    def __call__(self, text: str) -> list[str]:
        text = normalise_numbers(text)
        return [
            text[i: i + n]
            for n in range(self.low, self.high + 1)
            for i in range(len(text) - n + 1)
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
            analyzer=self.tokenizer_, ngram_range=(1, 1), sublinear_tf=True, min_df=1
        ).fit(texts)
        self.chars_ = TfidfVectorizer(
            analyzer=CharNgrams(1, self.char_high), sublinear_tf=True, min_df=2
        ).fit(texts)
        self.structure_ = DictVectorizer().fit(self._structure(speeches))
        return self

    def transform(self, speeches):
        texts = [unit["text"] for speech in speeches for unit in speech]
        blocks = [
            (self.word_weight, self.words_, texts),
            (self.char_weight, self.chars_, texts),
            (self.structure_weight, self.structure_, self._structure(speeches)),
        ]
        return sp.hstack(
            [weight * vectorizer.transform(data) for weight, vectorizer, data in blocks if weight],
            format="csr",
        )

    def get_feature_names_out(self, input_features=None):
        names = []
        for prefix, weight, vectorizer in (
            ("w:", self.word_weight, self.words_),
            ("c:", self.char_weight, self.chars_),
            ("", self.structure_weight, self.structure_),
        ):
            if weight:
                names.extend(prefix + name for name in vectorizer.get_feature_names_out())
        return np.asarray(names, dtype=object)

    def _structure(self, speeches) -> list[dict]:
        rows = []
        for speech in speeches:
            texts = [unit["text"] for unit in speech]
            cues = [cue_class(text) for text in texts]
            structure = outline(texts)
            for index in range(len(speech)):
                rows.append(self._unit_structure(texts, index, cues, structure))
        return rows

    def _unit_structure(self, texts, index, cues, structure) -> dict:
        """Structure is recomputed from the texts, so units given without it read the same."""
        text = texts[index]
        levels = [level for level, _ in structure]
        section = structure[index][1]
        row = {
            f"level={levels[index]}": 1.0,
            f"pos={min(9, int(10 * index / len(texts)))}": 1.0,
            f"len={min(6, int(math.log2(1 + len(text))))}": 1.0,
            f"cue={cues[index]}": 1.0,
            f"prev_cue={cues[index - 1] if index else 'start'}": 1.0,
            f"next_cue={cues[index + 1] if index + 1 < len(texts) else 'end'}": 1.0,
            f"prev_level={levels[index - 1] if index else 'start'}": 1.0,
            f"top_section={cue_class(section[0], heading=True) if section else 'none'}": 1.0,
            f"section={cue_class(section[-1]) if section else 'none'}": 1.0,
            f"depth={len(section)}": 1.0,
        }
        for label, count in cue_counts(text).items():
            row[f"cues:{label}"] = math.log1p(count)
        if section:
            for token in set(self.tokenizer_(section[0])):
                row[f"top_section:{token}"] = 1.0
        for name, pattern in _SIGNALS.items():
            if pattern.search(text):
                row[name] = 1.0
        enumerator = _ENUMERATOR.match(text)
        if enumerator:
            row[f"enumerator={enumerator.group(1) or '第'}"] = 1.0
        if re.search(r"[%‰]|\d", text):
            row["has_figure"] = 1.0
        return row
