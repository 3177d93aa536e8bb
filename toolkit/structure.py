"""Where a unit stands in its speech and what its cues say, as one-hot features per batch."""

from __future__ import annotations

import re

import numpy as np

from toolkit.cues import SIGNAL_NAMES, cue_counts, signals, window_profile
from toolkit.labels import CUES, cue_class
from toolkit.ngrams import normalise_numbers
from toolkit.split import outline
from toolkit.tfidf import Triplets

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


def heading_words(heading: str) -> list[str]:
    """The character bigrams of a heading: its words, without a segmenter's dictionary to load."""
    text = normalise_numbers(heading)
    return [text[i:i + 2] for i in range(len(text) - 1)]


class StructureFeatures:
    """Where a unit stands in its speech and what its cues say, one-hot, computed per batch.

    Heading level, relative position, length, the unit's cue class and its
    neighbours', the cue class of the top-level section heading and of the
    enclosing heading, nesting depth, cue counts, rule signals, enumerators, their
    profile over the nearby units, whether the top-level heading names the review year,
    and the words of the top-level and of the enclosing section heading (character
    bigrams: one-character words say little, and a segmenter's dictionary takes longer
    to load than a speech takes to tag).
    """

    _BLOCKS = (
        ("level", 6), ("pos", 10), ("len", 7), ("cue", 6), ("prev_cue", 7), ("next_cue", 7),
        ("prev_level", 7), ("top_section", 6), ("section", 6), ("depth", 6), ("top_year", 3),
    )
    _DENSE = (*_UNIT_VALUES, *(f"window_profile:{name}" for name in _UNIT_VALUES))

    def fit(self, speeches, y=None):
        sections = [section for speech in speeches
                    for _, section in outline([unit["text"] for unit in speech]) if section]
        top = sorted({token for section in sections for token in heading_words(section[0])})
        inner = sorted({token for section in sections if len(section) > 1
                        for token in heading_words(section[-1])})
        return self._index(top, inner)

    def _index(self, top, inner):
        self.section_words_ = {word: index for index, word in enumerate(top)}
        self.subsection_words_ = {word: len(top) + index for index, word in enumerate(inner)}
        return self

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"section_words": np.array(list(self.section_words_), dtype=str),
                "subsection_words": np.array(list(self.subsection_words_), dtype=str)}

    @classmethod
    def from_arrays(cls, arrays) -> StructureFeatures:
        return cls()._index([str(w) for w in arrays["section_words"]],
                            [str(w) for w in arrays["subsection_words"]])

    @property
    def n_features(self) -> int:
        return (sum(n for _, n in self._BLOCKS) + len(self._DENSE) + len(self.section_words_)
                + len(self.subsection_words_))

    def triplets(self, speeches) -> Triplets:
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
                words = {self.section_words_.get(w) for w in heading_words(section[0])}
                if len(section) > 1:
                    words |= {self.subsection_words_.get(w) for w in heading_words(section[-1])}
                cache[key] = (
                    _CLASSES.index(cue_class(section[0], heading=True)),
                    _CLASSES.index(cue_class(section[-1])),
                    sorted(w for w in words if w is not None),
                )
        return cache[key]

    def _assemble(self, categorical, dense, n_rows, word_rows, word_cols) -> Triplets:
        offsets = np.cumsum([0, *(size for _, size in self._BLOCKS)])
        columns = np.column_stack([
            offset + np.concatenate([np.asarray(c[block]) for c in categorical]).astype(np.int64)
            for block, offset in enumerate(offsets[:-1])
        ])
        values = np.vstack(dense) if dense else np.zeros((0, len(self._DENSE)))
        dense_columns = offsets[-1] + np.arange(values.shape[1])
        n_dense = values.shape[1]
        rows = np.concatenate([np.repeat(np.arange(n_rows), columns.shape[1] + n_dense),
                               np.asarray(word_rows, dtype=np.int64)])
        all_columns = np.concatenate([
            np.hstack([columns, np.broadcast_to(dense_columns, (n_rows, n_dense))]).ravel(),
            offsets[-1] + n_dense + np.asarray(word_cols, dtype=np.int64)])
        all_values = np.concatenate([
            np.hstack([np.ones(columns.shape), values]).ravel(), np.ones(len(word_rows))])
        keep = all_values != 0
        return Triplets(rows[keep], all_columns[keep], all_values[keep], n_rows,
                        self.n_features)

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
