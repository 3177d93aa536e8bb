"""Accuracy where users meet the model: by genre and sector, and on genres held out whole.

Cross-validation by document says how the model does on a new document of a
kind it has seen. A new *kind* of text is harder: leave-one-genre-out trains on
every other genre and scores the one held out. Written (team-authored) speeches
are only ever training data here; they are scored by cross-validation, and
whether they help is measured by holding out each real genre with and without them.
"""

from __future__ import annotations

import logging

import numpy as np

from toolkit.config import Experiment
from toolkit.dataset import LabelledSpeeches
from toolkit.evaluate import score
from toolkit.train import fit_and_predict_many, load_silver

log = logging.getLogger(__name__)

WRITTEN = "written"


def breakdown(data: LabelledSpeeches, predicted: list[list[str]], key: str) -> dict[str, dict]:
    """Scores of ``predicted`` against the gold labels, per value of a document attribute."""
    values = data.attribute(key)
    groups: dict[str, tuple[list, list]] = {}
    for value, truth, guess in zip(values, data.labels, predicted, strict=True):
        gold, pred = groups.setdefault(value, ([], []))
        gold.extend(truth)
        pred.extend(guess)
    return {value: {**score(gold, pred), "documents": values.count(value)}
            for value, (gold, pred) in sorted(groups.items())}


def breakdowns(data: LabelledSpeeches, predicted: list[list[str]]) -> dict[str, dict]:
    """:func:`breakdown` by genre, origin and sector, for those that vary in ``data``."""
    tables = {key: breakdown(data, predicted, key) for key in ("genre", "origin", "sector")}
    return {key: table for key, table in tables.items() if len(table) > 1}


def held_out_genres(data: LabelledSpeeches) -> list[str]:
    """The genres of real documents: each is held out in turn (written text never is)."""
    origins = data.attribute("origin")
    return sorted({genre for genre, origin in zip(data.attribute("genre"), origins, strict=True)
                   if origin != WRITTEN and genre != "?"})


def leave_one_genre_out(experiment: Experiment, data: LabelledSpeeches) -> dict:
    """Train on every other genre, score the held-out one; with and without written speeches.

    Returns ``{"with_written": table, "without_written": table}`` (the second only when the
    data has written speeches), each table ``{genre: score, ..., "pooled": score}``.
    """
    genres = held_out_genres(data)
    if len(genres) < 2:
        return {}
    genre, origin = np.array(data.attribute("genre")), np.array(data.attribute("origin"))
    variants = {"with_written": np.ones(len(genre), dtype=bool)}
    if (origin == WRITTEN).any():
        variants["without_written"] = origin != WRITTEN
    silver = load_silver(experiment)
    splits, keys = [], []
    for variant, allowed in variants.items():
        for held in genres:
            test = np.flatnonzero(genre == held)
            train = np.flatnonzero((genre != held) & allowed)
            splits.append((train, test, silver))
            keys.append((variant, held))
    tables: dict[str, dict] = {variant: {} for variant in variants}
    pooled: dict[str, tuple[list, list]] = {variant: ([], []) for variant in variants}
    for (variant, held), (train, test, _), (labels, _) in zip(
        keys, splits, fit_and_predict_many(experiment, data, splits), strict=True
    ):
        gold = [label for i in test for label in data.labels[i]]
        guess = [label for speech in labels for label in speech]
        tables[variant][held] = {**score(gold, guess), "documents": len(test),
                                 "trained_on_documents": len(train)}
        pooled[variant][0].extend(gold)
        pooled[variant][1].extend(guess)
        log.info("held out %s (%s): accuracy %.3f, macro-F1 %.3f", held, variant,
                 tables[variant][held]["accuracy"], tables[variant][held]["macro_f1"])
    for variant, (gold, guess) in pooled.items():
        tables[variant]["pooled"] = score(gold, guess)
    return tables
