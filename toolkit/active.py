"""Which units to label next, and which labels to doubt: the model's view on the data."""

from __future__ import annotations

import heapq

import numpy as np

from toolkit.config import Experiment
from toolkit.dataset import LabelledSpeeches
from toolkit.labels import LABELS
from toolkit.train import cross_validate


def suggest(speeches: list[list[dict]], probabilities: list[np.ndarray], n: int,
            spread: float = 0.5) -> list[tuple[int, int, float, float]]:
    """The ``n`` units most worth labelling: ``(speech, unit, uncertainty, priority)``.

    Best first by priority, the uncertainty after the spread penalty.

    Uncertainty is one minus the margin between the two likeliest labels. Each unit
    already chosen from the same speech, or the same section, multiplies a
    candidate's value by ``spread``, so a batch covers many speeches and sections
    instead of fifty copies of one doubt (lazy greedy: values only ever fall).
    """
    heap = []
    for s, proba in enumerate(probabilities):
        top = np.sort(proba, axis=1)[:, -2:]
        uncertainty = 1.0 - (top[:, 1] - top[:, 0])
        for u, value in enumerate(uncertainty):
            heap.append((-float(value), s, u, float(value)))
    heapq.heapify(heap)
    per_speech: dict[int, int] = {}
    per_section: dict[tuple, int] = {}
    chosen = []
    while heap and len(chosen) < n:
        _, s, u, base = heapq.heappop(heap)
        section = (s, tuple(speeches[s][u].get("section") or []))
        value = base * spread ** per_speech.get(s, 0) * spread ** per_section.get(section, 0)
        if heap and value < -heap[0][0]:
            heapq.heappush(heap, (-value, s, u, base))
            continue
        chosen.append((s, u, base, value))
        per_speech[s] = per_speech.get(s, 0) + 1
        per_section[section] = per_section.get(section, 0) + 1
    return chosen


def doubtful_labels(experiment: Experiment, data: LabelledSpeeches) -> list[dict]:
    """Every labelled unit, least trusted first, by out-of-sample self-confidence.

    Probabilities come from cross-validation grouped by speech, so no unit is judged
    by a model that saw it; self-confidence is the probability of the given label
    (as cleanlab ranks label issues).
    """
    _, _, proba = cross_validate(experiment, data)
    rows = []
    for speech, labels, probabilities in zip(data.speeches, data.labels, proba, strict=True):
        for i, (unit, label) in enumerate(zip(speech, labels, strict=True)):
            p = probabilities[i]
            rows.append({
                "doc_id": unit["doc_id"], "sent_id": unit["sent_id"], "label": label,
                "self_confidence": round(float(p[LABELS.index(label)]), 4),
                "suggested": LABELS[int(p.argmax())],
                "suggested_p": round(float(p.max()), 4),
                "previous": speech[i - 1]["text"] if i else "",
                "text": unit["text"],
                "next": speech[i + 1]["text"] if i + 1 < len(speech) else "",
            })
    return sorted(rows, key=lambda row: row["self_confidence"])
