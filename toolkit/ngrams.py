"""Character n-grams of units as TF-IDF, computed with numpy over whole batches.

Bulk tagging spends its time here, so nothing runs per character in Python.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize

_NUMBER = re.compile(r"\d+(?:[.．]\d+)?|[XxＸ]{1,3}(?=[\u4e00-\u9fff%])|\d*_")


def normalise_numbers(text: str) -> str:
    """Write every figure, and the ``X``/``20_`` placeholders of redacted ones, as ``0``."""
    return _NUMBER.sub("0", text)


class CharNgrams(TransformerMixin, BaseEstimator):
    """TF-IDF of character 1..3-grams, figures normalised, computed with numpy.

    Each n-gram is an exact integer code (21 bits per character), so the fitted
    vocabulary is a sorted array. For speed, ``transform`` maps characters to small
    ids and finds uni- and bigrams by direct table lookup, trigrams by
    ``searchsorted``; those tables are rebuilt from the vocabulary, not saved.
    """

    def __init__(self, high=3, min_df=2):
        self.high = high
        self.min_df = min_df

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_lookup", None)
        return state

    @staticmethod
    def _characters(texts) -> tuple[np.ndarray, np.ndarray]:
        """Code points of all texts joined by NUL, and the row each position belongs to."""
        joined = normalise_numbers("\x00".join(texts)) + "\x00"
        chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        separators = chars == 0
        rows = np.cumsum(separators) - separators
        return chars, rows

    def fit(self, texts, y=None):
        if not 1 <= self.high <= 3:
            raise ValueError(f"high must be 1, 2 or 3, got {self.high}")
        chars, rows = self._characters(texts)
        wide, is_char = chars.astype(np.uint64), chars != 0
        codes, owners = [], []
        code = np.zeros(len(chars), dtype=np.uint64)
        valid = np.ones(len(chars), dtype=bool)
        for n in range(1, self.high + 1):
            span = len(chars) - n + 1
            code = (code[:span] << np.uint64(21)) | wide[n - 1:]
            valid = valid[:span] & is_char[n - 1:]
            codes.append(code[valid])
            owners.append(rows[:span][valid])
        codes, owners = np.concatenate(codes), np.concatenate(owners)
        order = np.lexsort((codes, owners))
        codes, owners = codes[order], owners[order]
        first = np.ones(len(codes), dtype=bool)
        first[1:] = (codes[1:] != codes[:-1]) | (owners[1:] != owners[:-1])
        vocabulary, df = np.unique(codes[first], return_counts=True)
        keep = df >= self.min_df
        self.vocabulary_ = vocabulary[keep]
        self.idf_ = np.log((1 + len(texts)) / (1 + df[keep])) + 1
        self._lookup = None
        return self

    def _tables(self):
        if getattr(self, "_lookup", None) is None:
            grams = [self.name(i) for i in range(len(self.vocabulary_))]
            alphabet = sorted({ch for gram in grams for ch in gram})
            char_id = np.zeros(0x110000, dtype=np.int64)
            char_id[[ord(ch) for ch in alphabet]] = np.arange(1, len(alphabet) + 1)
            base = len(alphabet) + 1
            unigrams = np.full(base, -1, dtype=np.int64)
            bigrams = np.full(base * base, -1, dtype=np.int64)
            trigram_keys, trigram_columns = [], []
            for column, gram in enumerate(grams):
                ids = [int(char_id[ord(ch)]) for ch in gram]
                if len(ids) == 1:
                    unigrams[ids[0]] = column
                elif len(ids) == 2:
                    bigrams[ids[0] * base + ids[1]] = column
                else:
                    trigram_keys.append((ids[0] * base + ids[1]) * base + ids[2])
                    trigram_columns.append(column)
            order = np.argsort(trigram_keys)
            self._lookup = (char_id, base, unigrams, bigrams,
                            np.asarray(trigram_keys, dtype=np.int64)[order],
                            np.asarray(trigram_columns, dtype=np.int64)[order])
        return self._lookup

    def transform(self, texts):
        char_id, base, unigrams, bigrams, trigram_keys, trigram_columns = self._tables()
        chars, rows = self._characters(texts)
        ids = char_id[chars]
        found_rows, found_columns = [], []
        columns = unigrams[ids]
        hit = columns >= 0
        found_rows.append(rows[hit])
        found_columns.append(columns[hit])
        if self.high >= 2:
            pairs = ids[:-1] * base + ids[1:]
            columns = bigrams[pairs]
            hit = columns >= 0
            found_rows.append(rows[:-1][hit])
            found_columns.append(columns[hit])
        if self.high >= 3 and len(trigram_keys):
            known = (ids[:-2] > 0) & (ids[1:-1] > 0) & (ids[2:] > 0)
            keys = pairs[:-1][known] * base + ids[2:][known]
            where = np.minimum(np.searchsorted(trigram_keys, keys), len(trigram_keys) - 1)
            hit = trigram_keys[where] == keys
            found_rows.append(rows[:-2][known][hit])
            found_columns.append(trigram_columns[where[hit]])
        found_rows = np.concatenate(found_rows)
        matrix = sp.csr_matrix(
            (np.ones(len(found_rows)), (found_rows, np.concatenate(found_columns))),
            shape=(len(texts), len(self.vocabulary_)),
        )
        matrix.sum_duplicates()
        matrix.data = (1 + np.log(matrix.data)) * self.idf_[matrix.indices]
        return normalize(matrix, copy=False)

    def name(self, column: int) -> str:
        code = int(self.vocabulary_[column])
        chars = []
        while code:
            chars.append(chr(code & 0x1FFFFF))
            code >>= 21
        return "".join(reversed(chars))
