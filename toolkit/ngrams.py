"""Character n-grams of units as TF-IDF, computed with numpy over whole batches.

Bulk tagging spends its time here, so nothing runs per character in Python; and
nothing here needs scipy or scikit-learn, so a command that tags starts at once.
"""

from __future__ import annotations

import re

import numpy as np

from toolkit.tfidf import Triplets, smooth_idf, tfidf

_NUMBER = re.compile(r"\d+(?:[.．]\d+)?|[XxＸ]{1,3}(?=[\u4e00-\u9fff%])|\d*_")


def normalise_numbers(text: str) -> str:
    """Write every figure, and the ``X``/``20_`` placeholders of redacted ones, as ``0``."""
    return _NUMBER.sub("0", text)


class CharNgrams:
    """TF-IDF of character 1..3-grams, figures normalised, computed with numpy.

    Each n-gram is an exact integer code (21 bits per character), so the fitted
    vocabulary is a sorted array. For speed, ``triplets`` maps characters to small
    ids and finds uni- and bigrams by direct table lookup, trigrams by
    ``searchsorted``; those tables are rebuilt from the vocabulary, not saved.
    """

    def __init__(self, high=3, min_df=2):
        self.high = high
        self.min_df = min_df

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
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
        self.idf_ = smooth_idf(df[keep], len(texts))
        self._lookup = None
        return self

    @property
    def n_features(self) -> int:
        return len(self.vocabulary_)

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"high": np.array(self.high), "min_df": np.array(self.min_df),
                "vocabulary": self.vocabulary_, "idf": self.idf_}

    @classmethod
    def from_arrays(cls, arrays) -> CharNgrams:
        ngrams = cls(int(arrays["high"]), int(arrays["min_df"]))
        ngrams.vocabulary_ = np.asarray(arrays["vocabulary"], dtype=np.uint64)
        ngrams.idf_ = np.asarray(arrays["idf"], dtype=float)
        return ngrams

    def _tables(self):
        if getattr(self, "_lookup", None) is None:
            codes = np.asarray(self.vocabulary_, dtype=np.uint64)
            mask = np.uint64(0x1FFFFF)
            # Characters of each n-gram, last first; 0 where the n-gram is shorter.
            last, middle, first = (((codes >> np.uint64(shift)) & mask).astype(np.int64)
                                   for shift in (0, 21, 42))
            alphabet = np.unique(np.concatenate([last, middle[middle > 0], first[first > 0]]))
            char_id = np.zeros(0x110000, dtype=np.int64)
            char_id[alphabet] = np.arange(1, len(alphabet) + 1)
            base = len(alphabet) + 1
            ids = [char_id[chars] for chars in (last, middle, first)]
            columns = np.arange(len(codes), dtype=np.int32)
            single, pair, triple = middle == 0, (middle > 0) & (first == 0), first > 0
            # int32 tables: the bigram table has base² cells, a few thousand squared.
            unigrams = np.full(base, -1, dtype=np.int32)
            unigrams[ids[0][single]] = columns[single]
            bigrams = np.full(base * base, -1, dtype=np.int32)
            bigrams[ids[1][pair] * base + ids[0][pair]] = columns[pair]
            keys = (ids[2][triple] * base + ids[1][triple]) * base + ids[0][triple]
            order = np.argsort(keys)
            self._lookup = (char_id, base, unigrams, bigrams, keys[order],
                            columns[triple][order].astype(np.int64))
        return self._lookup

    def triplets(self, texts) -> Triplets:
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
        return tfidf(np.concatenate(found_rows), np.concatenate(found_columns), len(texts),
                     self.idf_)

    def name(self, column: int) -> str:
        code = int(self.vocabulary_[column])
        chars = []
        while code:
            chars.append(chr(code & 0x1FFFFF))
            code >>= 21
        return "".join(reversed(chars))
