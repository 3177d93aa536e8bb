"""Score predicted labels: accuracy, macro-F1, per-label report and confusion matrix."""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from toolkit.labels import LABELS


def score(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] = LABELS) -> dict:
    """The evaluation contract: n, accuracy, macro_f1, per_label and confusion.

    Macro-F1 averages over the labels present in ``y_true`` or ``y_pred``, so a
    label absent from both does not count as a perfect zero.
    """
    y_true = np.asarray(list(y_true), dtype=object)
    y_pred = np.asarray(list(y_pred), dtype=object)
    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    present = [i for i, label in enumerate(labels) if label in set(y_true) | set(y_pred)]
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    return {
        "n": len(y_true),
        "accuracy": float((y_true == y_pred).mean()) if len(y_true) else 0.0,
        "macro_f1": float(np.mean(f1[present])) if present else 0.0,
        "per_label": {
            label: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusion": {"labels": labels, "matrix": matrix.tolist()},
    }


def format_report(result: dict) -> str:
    """A plain-text report of :func:`score`'s result, for people."""
    lines = [
        f"units: {result['n']}   accuracy: {result['accuracy']:.3f}   "
        f"macro-F1: {result['macro_f1']:.3f}",
        "",
        f"{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}",
    ]
    for label, row in result["per_label"].items():
        lines.append(
            f"{label:<12} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f} "
            f"{row['support']:>8d}"
        )
    labels = result["confusion"]["labels"]
    lines += ["", "confusion (rows: true, columns: predicted)",
              " " * 12 + "".join(f"{label[:6]:>8}" for label in labels)]
    for label, row in zip(labels, result["confusion"]["matrix"], strict=True):
        lines.append(f"{label:<12}" + "".join(f"{count:>8d}" for count in row))
    return "\n".join(lines)


CV_PREDICTIONS = "cv_predictions.jsonl.gz"


def cv_predictions(data, predicted, proba) -> bytes:
    """Out-of-fold predictions as gzipped JSONL: one row per unit with its document's
    genre, sector, origin and kind, the gold and predicted label and the probabilities."""
    lines = []
    attributes = {key: data.attribute(key) for key in ("genre", "sector", "origin", "kind")}
    for index, (speech, labels, guesses, probabilities) in enumerate(
            zip(data.speeches, data.labels, predicted, proba, strict=True)):
        document = {key: values[index] for key, values in attributes.items()}
        for unit, label, guess, row in zip(speech, labels, guesses, probabilities, strict=True):
            lines.append(json.dumps({
                "doc_id": unit["doc_id"], "sent_id": unit["sent_id"], **document,
                "label": label, "predicted": guess,
                **{f"p_{name}": round(float(p), 4) for name, p in zip(LABELS, row, strict=True)},
            }, ensure_ascii=False))
    return gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)


def read_cv_predictions(model_dir: str | Path) -> list[dict]:
    """The out-of-fold predictions ``speechtag train`` saved beside a model."""
    with gzip.open(Path(model_dir) / CV_PREDICTIONS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def align_predictions(rows: list[dict], data) -> tuple[list[list[str]], list[np.ndarray]]:
    """Saved predictions as per-speech label lists and probability arrays, in ``data``'s order."""
    by_unit = {(row["doc_id"], row["sent_id"]): row for row in rows}
    predicted, proba = [], []
    for speech in data.speeches:
        found = [by_unit[(unit["doc_id"], unit["sent_id"])] for unit in speech]
        predicted.append([row["predicted"] for row in found])
        proba.append(np.array([[row[f"p_{label}"] for label in LABELS] for row in found]))
    return predicted, proba


def compact(result: dict) -> dict:
    """The headline figures of a :func:`score` result: n, accuracy, macro-F1, F1 per label."""
    return {"n": result["n"], "accuracy": result["accuracy"], "macro_f1": result["macro_f1"],
            "f1": {label: row["f1"] for label, row in result["per_label"].items()},
            **({"documents": result["documents"]} if "documents" in result else {})}


def format_table(title: str, table: dict[str, dict]) -> str:
    """Rows of scores per group (genre, sector …): units, accuracy, macro-F1, F1 per label."""
    width = max(12, *(len(name) for name in table)) if table else 12
    lines = [title, f"{'':<{width}} {'docs':>5} {'units':>6} {'acc':>6} {'macroF1':>8} "
             + " ".join(f"{label[:6]:>6}" for label in LABELS)]
    for name, row in table.items():
        row = compact(row) if "per_label" in row else row
        docs = row.get("documents", "")
        lines.append(f"{name:<{width}} {docs:>5} {row['n']:>6d} {row['accuracy']:>6.3f} "
                     f"{row['macro_f1']:>8.3f} " + " ".join(f"{row['f1'][label]:>6.3f}"
                                                          for label in LABELS))
    return "\n".join(lines)


def worst_errors(speeches, truth, predicted, proba, labels, top: int = 10) -> list[dict]:
    """The wrong predictions the model was most sure of, each with its neighbours."""
    rows = []
    for speech, true_labels, predicted_labels, probabilities in zip(
        speeches, truth, predicted, proba, strict=True
    ):
        for i, (unit, true, guess) in enumerate(
            zip(speech, true_labels, predicted_labels, strict=True)
        ):
            if true != guess:
                rows.append({
                    "doc_id": unit["doc_id"], "sent_id": unit["sent_id"],
                    "previous": speech[i - 1]["text"] if i else "",
                    "text": unit["text"],
                    "next": speech[i + 1]["text"] if i + 1 < len(speech) else "",
                    "true": true, "predicted": guess,
                    "confidence": float(probabilities[i][list(labels).index(guess)]),
                })
    return sorted(rows, key=lambda row: -row["confidence"])[:top]
