"""Sparse rows as (row, column, value) triplets, and their TF-IDF weighting, in numpy alone.

Tagging works on triplets so that it needs neither scipy nor scikit-learn, which take
longer to import than a speech takes to tag; training turns them into a CSR matrix.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Triplets(NamedTuple):
    """A sparse matrix of ``n_rows`` × ``n_columns``; entries in any order, no duplicates."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    n_rows: int
    n_columns: int

    def to_csr(self):
        import scipy.sparse as sp

        return sp.csr_matrix((self.values, (self.rows, self.columns)),
                             shape=(self.n_rows, self.n_columns))


def tfidf(rows, columns, n_rows: int, idf: np.ndarray) -> Triplets:
    """Rows of token occurrences (one entry per occurrence) as sublinear TF-IDF, L2-normalised.

    The weighting of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``.
    """
    n_columns = len(idf)
    keys, counts = np.unique(np.asarray(rows, dtype=np.int64) * n_columns
                             + np.asarray(columns, dtype=np.int64), return_counts=True)
    rows, columns = keys // max(n_columns, 1), keys % max(n_columns, 1)
    values = (1 + np.log(counts)) * idf[columns]
    norms = np.sqrt(np.bincount(rows, values * values, minlength=n_rows))
    return Triplets(rows, columns, values / norms[rows], n_rows, n_columns)


def smooth_idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    return np.log((1 + n_documents) / (1 + document_frequency)) + 1


def hstack(blocks: list[tuple[float, Triplets]]) -> Triplets:
    """Weighted blocks of the same rows side by side, as one matrix."""
    n_rows = blocks[0][1].n_rows
    offsets = np.cumsum([0, *(block.n_columns for _, block in blocks)])
    rows = np.concatenate([block.rows for _, block in blocks])
    columns = np.concatenate([block.columns + offset
                              for (_, block), offset in zip(blocks, offsets, strict=False)])
    values = np.concatenate([weight * block.values for weight, block in blocks])
    return Triplets(rows, columns, values, n_rows, int(offsets[-1]))
