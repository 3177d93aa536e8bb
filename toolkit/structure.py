"""Where a unit stands in its speech and what its cues say, as one-hot features per batch."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from toolkit.labels import CUES, cue_class
from toolkit.split import outline

_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+(是|要)|第[一二三四五六七八九十]+)")
_FIGURE = re.compile(r"[%‰\d]")
# Binary signals of the decision rules: a completed action (了), a directive
# opening (要/必须), a rally (让我们/希望大家).
_SIGNALS = (
    re.compile(r"(?<![为除])了(?![解])"),
    re.compile(r"^[^，。]{0,8}?(要|必须|务必|应当|需要)"),
    re.compile(r"让我们|希望大家|希望各|同志们[，,！!]"),
)
_CLASSES = ("none", *CUES)
_CUE_LABEL = {word: label for label, words in CUES.items() for word in words}
_ANY_CUE = re.compile("|".join(sorted(map(re.escape, _CUE_LABEL), key=len, reverse=True)))


class StructureFeatures(TransformerMixin, BaseEstimator):
    """Where a unit stands in its speech and what its cues say, one-hot, computed per batch.

    Heading level, relative position, length, the unit's cue class and its
    neighbours', the cue class of the top-level section heading and of the
    enclosing heading, nesting depth, cue counts, rule signals, enumerators, and
    the words of the top-level section heading.
    """

    _BLOCKS = (
        ("level", 6), ("pos", 10), ("len", 7), ("cue", 6), ("prev_cue", 7), ("next_cue", 7),
        ("prev_level", 7), ("top_section", 6), ("section", 6), ("depth", 6),
    )
    _DENSE = (*(f"cues:{label}" for label in CUES), "signal:le", "signal:directive",
              "signal:rally", "enumerator=是", "enumerator=要", "enumerator=第", "has_figure")

    def __init__(self, tokenizer=None):
        self.tokenizer = tokenizer

    def fit(self, speeches, y=None):
        words = sorted({
            token
            for speech in speeches
            for _, section in outline([unit["text"] for unit in speech]) if section
            for token in self._words(section[0])
        })
        self.section_words_ = {word: index for index, word in enumerate(words)}
        return self

    def _words(self, heading: str) -> list[str]:
        return self.tokenizer(heading) if self.tokenizer is not None else list(heading)

    @property
    def n_features(self) -> int:
        return sum(n for _, n in self._BLOCKS) + len(self._DENSE) + len(self.section_words_)

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
        cues, counts = self._cues(texts)
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
        values = np.column_stack([np.log1p(counts), self._signals(texts)])
        return columns, values, [info[2] for info in heading_info]

    def _cues(self, texts) -> tuple[np.ndarray, np.ndarray]:
        labels = list(CUES)
        counts = np.zeros((len(texts), len(labels)))
        for row, text in enumerate(texts):
            for word in _ANY_CUE.findall(text):
                counts[row, labels.index(_CUE_LABEL[word])] += 1
        best = counts.max(axis=1)
        winners = (counts == best[:, None]).sum(axis=1)
        cues = np.where((best > 0) & (winners == 1), counts.argmax(axis=1) + 1, 0)
        return cues, counts

    def _heading(self, section, cache) -> tuple[int, int, list[int]]:
        key = "\x00".join(section[:1] + section[-1:])
        if key not in cache:
            if not section:
                cache[key] = (0, 0, [])
            else:
                words = {self.section_words_.get(w) for w in self._words(section[0])}
                cache[key] = (
                    _CLASSES.index(cue_class(section[0], heading=True)),
                    _CLASSES.index(cue_class(section[-1])),
                    sorted(w for w in words if w is not None),
                )
        return cache[key]

    @staticmethod
    def _signals(texts) -> np.ndarray:
        values = np.zeros((len(texts), len(_SIGNALS) + 4))
        for row, text in enumerate(texts):
            for column, pattern in enumerate(_SIGNALS):
                if pattern.search(text):
                    values[row, column] = 1.0
            enumerator = _ENUMERATOR.match(text)
            if enumerator:
                values[row, len(_SIGNALS) + ("是", "要", None).index(enumerator.group(1))] = 1.0
            if _FIGURE.search(text):
                values[row, len(_SIGNALS) + 3] = 1.0
        return values

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
        words = sp.csr_matrix((np.ones(len(word_rows)), (word_rows, word_cols)),
                              shape=(n_rows, len(self.section_words_)))
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
        word = next(w for w, i in self.section_words_.items() if i == column)
        return f"top_section:{word}"
