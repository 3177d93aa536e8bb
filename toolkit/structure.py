"""Where a unit stands in its speech and what its cues say, as one-hot features per batch."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from toolkit.cues import SIGNAL_NAMES, cue_counts, signals, window_profile
from toolkit.labels import CUES, cue_class
from toolkit.split import outline

_CLASSES = ("none", *CUES)
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_UNIT_VALUES = (*(f"cues:{label}" for label in CUES), *SIGNAL_NAMES)


def _year_relation(tops: list[str]) -> np.ndarray:
    """1: the top-level heading names the review year Y of a speech whose headings also name
    Y+1 ("2013年主要工作" before "2014年重点工作"); 2: it names Y+1; 0: neither.

    Only a consecutive pair counts: a target year in a heading ("到2035年") is no plan year.
    """
    years = [set(map(int, _YEAR.findall(top))) for top in tops]
    named = set().union(*years) if years else set()
    pairs = [year for year in named if year + 1 in named]
    if not pairs:
        return np.zeros(len(tops), dtype=np.int64)
    review = max(pairs)
    return np.array([1 if review in found else 2 if review + 1 in found else 0
                     for found in years])


class StructureFeatures(TransformerMixin, BaseEstimator):
    """Where a unit stands in its speech and what its cues say, one-hot, computed per batch.

    Heading level, relative position, length, the unit's cue class and its
    neighbours', the cue class of the top-level section heading and of the
    enclosing heading, nesting depth, cue counts, rule signals, enumerators, their
    profile over the nearby units, whether the top-level heading names the review year,
    and the words of the top-level and of the enclosing section heading.
    """

    _BLOCKS = (
        ("level", 6), ("pos", 10), ("len", 7), ("cue", 6), ("prev_cue", 7), ("next_cue", 7),
        ("prev_level", 7), ("top_section", 6), ("section", 6), ("depth", 6), ("top_year", 3),
    )
    _DENSE = (*_UNIT_VALUES, *(f"window_profile:{name}" for name in _UNIT_VALUES))

    def __init__(self, tokenizer=None):
        self.tokenizer = tokenizer

    def fit(self, speeches, y=None):
        sections = [section for speech in speeches
                    for _, section in outline([unit["text"] for unit in speech]) if section]
        top = sorted({token for section in sections for token in self._words(section[0])})
        inner = sorted({token for section in sections if len(section) > 1
                        for token in self._words(section[-1])})
        self.section_words_ = {word: index for index, word in enumerate(top)}
        self.subsection_words_ = {word: len(top) + index for index, word in enumerate(inner)}
        return self

    def _words(self, heading: str) -> list[str]:
        return self.tokenizer(heading) if self.tokenizer is not None else list(heading)

    @property
    def n_features(self) -> int:
        return (sum(n for _, n in self._BLOCKS) + len(self._DENSE) + len(self.section_words_)
                + len(self.subsection_words_))

    def transform(self, speeches):
        categorical, dense, word_rows, word_cols = [], [], [], []
        heading_cache: dict[str, tuple[int, int, list[int]]] = {}
        start = 0
        for speech in speeches:
            texts = [unit["text"] for unit in speech]
            block, values, words = self._speech(texts, heading_cache)
            categorical.append(block)
            dense.append(values)
            for row, columns in enumerate(words):
                word_rows.extend([start + row] * len(columns))
                word_cols.extend(columns)
            start += len(texts)
        return self._assemble(categorical, dense, start, word_rows, word_cols)

    def _speech(self, texts, heading_cache):
        n = len(texts)
        structure = outline(texts)
        levels = np.array([level for level, _ in structure])
        cues, counts = cue_counts(texts)
        heading_info = [self._heading(section, heading_cache) for _, section in structure]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        index = np.arange(n)
        columns = [
            np.minimum(levels, 5),
            np.minimum(9, (10 * index) // max(n, 1)),
            np.minimum(6, np.log2(1 + lengths).astype(np.int64)),
            cues,
            np.concatenate([[6], cues[:-1]]),
            np.concatenate([cues[1:], [6]]),
            np.concatenate([[6], np.minimum(levels[:-1], 5)]),
            np.array([info[0] for info in heading_info]),
            np.array([info[1] for info in heading_info]),
            np.array([min(len(section), 5) for _, section in structure]),
        ]
        tops = [text if level == 1 else (section[0] if section else "")
                for text, (level, section) in zip(texts, structure, strict=True)]
        columns.append(_year_relation(tops))
        unit_values = np.column_stack([np.log1p(counts), signals(texts)])
        values = np.hstack([unit_values, window_profile(unit_values)])
        return columns, values, [info[2] for info in heading_info]

    def _heading(self, section, cache) -> tuple[int, int, list[int]]:
        key = "\x00".join(section[:1] + section[-1:])
        if key not in cache:
            if not section:
                cache[key] = (0, 0, [])
            else:
                words = {self.section_words_.get(w) for w in self._words(section[0])}
                if len(section) > 1:
                    words |= {self.subsection_words_.get(w) for w in self._words(section[-1])}
                cache[key] = (
                    _CLASSES.index(cue_class(section[0], heading=True)),
                    _CLASSES.index(cue_class(section[-1])),
                    sorted(w for w in words if w is not None),
                )
        return cache[key]

    def _assemble(self, categorical, dense, n_rows, word_rows, word_cols):
        offsets = np.cumsum([0, *(size for _, size in self._BLOCKS)])
        columns = np.column_stack([
            offset + np.concatenate([np.asarray(c[block]) for c in categorical]).astype(np.int64)
            for block, offset in enumerate(offsets[:-1])
        ])
        # One non-zero per block and row, in column order: the CSR arrays can be written directly.
        pointers = np.arange(0, columns.size + 1, len(offsets) - 1)
        categorical_matrix = sp.csr_matrix(
            (np.ones(columns.size), columns.ravel(), pointers), shape=(n_rows, offsets[-1])
        )
        dense_matrix = sp.csr_matrix(np.vstack(dense)) if dense else sp.csr_matrix((0, 0))
        n_words = len(self.section_words_) + len(self.subsection_words_)
        words = sp.csr_matrix((np.ones(len(word_rows)), (word_rows, word_cols)),
                              shape=(n_rows, n_words))
        return sp.hstack([categorical_matrix, dense_matrix, words], format="csr")

    def name(self, column: int) -> str:
        for block, size in self._BLOCKS:
            if column < size:
                if block in ("cue", "prev_cue", "next_cue", "top_section", "section"):
                    return f"{block}={(*_CLASSES, 'edge')[column]}"
                return f"{block}={column}"
            column -= size
        if column < len(self._DENSE):
            return self._DENSE[column]
        column -= len(self._DENSE)
        for prefix, words in (("top_section", self.section_words_),
                              ("section", self.subsection_words_)):
            for word, index in words.items():
                if index == column:
                    return f"{prefix}:{word}"
        raise IndexError(column)
