"""Figures of a model's quality: confusion matrix, confidence histogram, reliability curve."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _pyplot():
    # Imported on use: matplotlib picks Agg without a display, inline in a notebook.
    import matplotlib.pyplot as plt

    return plt


def confusion_figure(result: dict, title: str = "Confusion (rows: true)"):
    """A labelled heat map of ``score()``'s confusion matrix."""
    plt = _pyplot()
    labels = result["confusion"]["labels"]
    matrix = np.asarray(result["confusion"]["matrix"])
    figure, axes = plt.subplots(figsize=(5.5, 4.5))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    for (row, column), count in np.ndenumerate(matrix):
        colour = "white" if count > matrix.max() / 2 else "black"
        axes.text(column, row, str(count), ha="center", va="center", color=colour)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    figure.tight_layout()
    return figure


def save_confusion(result: dict, path: str | Path, title: str = "Confusion (rows: true)") -> Path:
    figure = confusion_figure(result, title)
    figure.savefig(path, dpi=120)
    _pyplot().close(figure)
    return Path(path)


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10):
    """Mean confidence, accuracy and count per confidence bin (empty bins dropped)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            rows.append((confidence[mask].mean(), correct[mask].mean(), int(mask.sum())))
    return np.asarray(rows)


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10):
    table = reliability(confidence, correct, bins)
    return float(np.sum(table[:, 2] * np.abs(table[:, 0] - table[:, 1])) / table[:, 2].sum())


def calibration_figure(confidence: np.ndarray, correct: np.ndarray, bins: int = 10):
    """Confidence histogram and reliability curve side by side."""
    plt = _pyplot()
    table = reliability(confidence, correct, bins)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.hist([confidence[correct], confidence[~correct]], bins=bins, range=(0, 1),
              stacked=True, label=["correct", "wrong"])
    left.set_xlabel("confidence")
    left.set_ylabel("units")
    left.legend()
    left.set_title("Confidence")
    right.plot([0, 1], [0, 1], linestyle="--", color="grey")
    right.plot(table[:, 0], table[:, 1], marker="o")
    right.set_xlabel("mean confidence")
    right.set_ylabel("accuracy")
    error = expected_calibration_error(confidence, correct, bins)
    right.set_title(f"Reliability (ECE {error:.3f})")
    figure.tight_layout()
    return figure
