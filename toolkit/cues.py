"""Cue words and rule signals of each unit, and their profile over the nearby units.

The profile is what a reader uses when a sentence alone is ambiguous: a
tenseless "加强…建设" among sentences full of figures and 了 reports work done; the
same words among sentences full of 要 and 加快 announce work to do. It is built from
the lexicons of the labelling guide, so it carries over to sectors and genres
whose vocabulary the model has not seen. It is local (a few units either side): a
whole section's profile let a section of results outvote a sentence naming a shortfall.
"""

from __future__ import annotations

import re

import numpy as np

from toolkit.labels import CUES

ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+(是|要)|第[一二三四五六七八九十]+)")
# A figure, in digits or in Chinese numerals (百分之八十, 一千零四十四万, 一九五九年).
FIGURE = re.compile(
    r"[%‰\d]|百分之|[一二三四五六七八九十两][十百千万亿]|[〇零一二三四五六七八九]{4}年"
)
# Binary signals of the decision rules: a completed action (了), a directive
# opening (要/必须), a rally (让我们/希望大家).
SIGNALS = (
    re.compile(r"(?<![为除])了(?![解])"),
    re.compile(r"^[^，。]{0,8}?(要|必须|务必|应当|需要)"),
    re.compile(r"让我们|希望大家|希望各|同志们[，,！!]"),
)
SIGNAL_NAMES = ("signal:le", "signal:directive", "signal:rally", "enumerator=是",
                "enumerator=要", "enumerator=第", "has_figure")
_CUE_LABEL = {word: label for label, words in CUES.items() for word in words}
_ANY_CUE = re.compile("|".join(sorted(map(re.escape, _CUE_LABEL), key=len, reverse=True)))
# Half-width of the window of neighbours a unit's local profile is averaged over.
WINDOW = 3


def cue_counts(texts) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: the index+1 of the single label whose cues dominate (0: none or a tie),
    and the count of each label's cue words."""
    labels = list(CUES)
    counts = np.zeros((len(texts), len(labels)))
    for row, text in enumerate(texts):
        for word in _ANY_CUE.findall(text):
            counts[row, labels.index(_CUE_LABEL[word])] += 1
    best = counts.max(axis=1)
    winners = (counts == best[:, None]).sum(axis=1)
    cues = np.where((best > 0) & (winners == 1), counts.argmax(axis=1) + 1, 0)
    return cues, counts


def signals(texts) -> np.ndarray:
    """One column per name in ``SIGNAL_NAMES``, 0/1 per unit."""
    values = np.zeros((len(texts), len(SIGNAL_NAMES)))
    for row, text in enumerate(texts):
        for column, pattern in enumerate(SIGNALS):
            if pattern.search(text):
                values[row, column] = 1.0
        enumerator = ENUMERATOR.match(text)
        if enumerator:
            values[row, len(SIGNALS) + ("是", "要", None).index(enumerator.group(1))] = 1.0
        if FIGURE.search(text):
            values[row, len(SIGNALS) + 3] = 1.0
    return values


def window_profile(values: np.ndarray) -> np.ndarray:
    """Each unit's mean of ``values`` over the units at most ``WINDOW`` away."""
    n = len(values)
    running = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    low = np.maximum(np.arange(n) - WINDOW, 0)
    high = np.minimum(np.arange(n) + WINDOW + 1, n)
    return (running[high] - running[low]) / (high - low)[:, None]
