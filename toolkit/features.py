"""Features of a unit read in its speech: words, characters, cues and structure.

Everything here is a picklable scikit-learn transformer whose state is plain
data (arrays, dicts of strings), so a saved model carries its tokenizer and
user dictionary with it. Character n-grams and structure are computed with
numpy over whole batches of units: bulk tagging spends its time here.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from toolkit.labels import CUES, cue_class
from toolkit.split import outline

_NUMBER = re.compile(r"\d+(?:[.．]\d+)?|[XxＸ]{1,3}(?=[\u4e00-\u9fff%])|\d*_")
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


def normalise_numbers(text: str) -> str:
    """Write every figure, and the ``X``/``20_`` placeholders of redacted ones, as ``0``."""
    return _NUMBER.sub("0", text)


def _load_jieba():
    """jieba_fast where it is installed (identical tokens, C speed), else jieba."""
    try:
        import jieba_fast as jieba
    except ImportError:
        import jieba
    return jieba


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

        jieba = _load_jieba()
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
                values[row, 3 + ("是", "要", None).index(enumerator.group(1))] = 1.0
            if _FIGURE.search(text):
                values[row, 6] = 1.0
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

