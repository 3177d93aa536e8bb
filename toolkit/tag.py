"""Tag speeches with a saved model: the Python API behind the CLI, HTTP and MLflow."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from toolkit.labels import LABELS
from toolkit.paths import bundled_model
from toolkit.persist import load_model
from toolkit.predictor import check_speeches
from toolkit.read import check_unit_text
from toolkit.speech import speeches_from_text

_MLFLOW_SCHEMES = ("models:/", "runs:/", "mlflow-artifacts:/")


@dataclass
class TaggedUnit:
    """A unit with its label, the model's confidence, per-label probabilities and cues."""

    doc_id: str
    sent_id: int
    text: str
    label: str
    confidence: float
    probabilities: dict[str, float]
    cues: list[str] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    heading_level: int = 0
    section: list[str] = field(default_factory=list)
    para_id: int | None = None

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in _TAGGED_FIELDS}


_TAGGED_FIELDS = tuple(f.name for f in fields(TaggedUnit))


class Tagger:
    """A loaded model that tags speeches; ``Tagger.load()`` gives the bundled default."""

    def __init__(self, model, meta: dict, source: str = "") -> None:
        self.model = model
        self.meta = meta
        self.source = source
        self.labels = [str(label) for label in model.classes_]

    @classmethod
    def load(cls, path: str | Path | None = None, workspace: Path | None = None) -> Tagger:
        """Load a model directory, an MLflow URI (``models:/speechtag@champion``, looked up in
        the ``mlflow.db`` of ``workspace``, the current directory by default, unless
        ``MLFLOW_TRACKING_URI`` is set) or, with no path, the bundled default model."""
        if path is None:
            bundled = bundled_model()
            model, meta = load_model(bundled)
            return cls(model, meta, str(bundled))
        if str(path).startswith(_MLFLOW_SCHEMES):
            from toolkit import mlflow_store

            with tempfile.TemporaryDirectory(prefix="speechtag-mlflow-") as cache:
                local = mlflow_store.download_model_dir(str(path), cache, workspace)
                model, meta = load_model(local)
        else:
            model, meta = load_model(Path(path))
        return cls(model, meta, str(path))

    def warm_up(self) -> None:
        """Build what the first call would build (the n-gram lookup tables; jieba's
        dictionary for a model with a word block), ahead of time."""
        self.tag_units([{"text": "一、工作回顾"}, {"text": "要加强党的建设。"}], explain=False)

    @property
    def name(self) -> str:
        return f"{self.meta.get('name', 'model')}@{self.meta.get('model_sha256', '')[:12]}"

    def tag_speech(self, text: str, doc_id: str = "speech") -> list[TaggedUnit]:
        """Clean and split raw speech text, then tag every unit in context."""
        speeches = speeches_from_text(text, doc_id)
        return [unit for tagged in self.tag_speeches([s.units for s in speeches])
                for unit in tagged]

    def tag_units(self, units, explain: bool = True) -> list[TaggedUnit]:
        """Tag the pre-split units of one speech, in order, reading them as one speech."""
        if isinstance(units, str):
            raise TypeError("tag_units expects a list of units; use tag_speech for raw text.")
        return self.tag_speeches([units], explain=explain)[0]

    def tag_speeches(self, speeches, explain: bool = True) -> list[list[TaggedUnit]]:
        """Tag several speeches at once; each is a list of unit dicts or Units."""
        speeches = [_complete(speech) for speech in check_speeches(speeches)]
        speeches = [speech for speech in speeches if speech]
        if not speeches:
            return []
        if explain and hasattr(self.model, "predict_proba_explained"):
            probabilities, cues = self.model.predict_proba_explained(speeches)
        else:
            probabilities, cues = self.model.predict_proba(speeches), None
        tagged = []
        for s, (speech, proba) in enumerate(zip(speeches, probabilities, strict=True)):
            rows = []
            for i, unit in enumerate(speech):
                best = int(np.argmax(proba[i]))
                rows.append(TaggedUnit(
                    doc_id=unit["doc_id"], sent_id=unit["sent_id"], text=unit["text"],
                    label=self.labels[best], confidence=float(proba[i][best]),
                    probabilities={label: float(proba[i][j]) for j, label in
                                   enumerate(self.labels)},
                    cues=_readable(cues[s][i]) if cues else [],
                    start=unit.get("start"), end=unit.get("end"),
                    heading_level=unit.get("heading_level", 0),
                    section=list(unit.get("section") or []), para_id=unit.get("para_id"),
                ))
            tagged.append(rows)
        return tagged

    def rows(self, speeches, source: str = "") -> list[dict]:
        """Flat output rows: ``source``, unit fields, ``label``, ``confidence``, ``p_<label>``.

        The bulk path: the same numbers as :meth:`tag_speeches`, without building a
        :class:`TaggedUnit` per unit.
        """
        speeches = [s for s in (_complete(s) for s in check_speeches(speeches)) if s]
        # A model trained without some label gets probability 0 for it.
        present = [label for label in LABELS if label in self.labels]
        order = [self.labels.index(label) for label in present]
        columns = [f"p_{label}" for label in LABELS]
        rows = []
        for speech, proba in zip(speeches, self.model.predict_proba(speeches), strict=True):
            best = proba.argmax(axis=1)
            confidence = proba.max(axis=1).tolist()
            full = np.zeros((len(proba), len(LABELS)))
            full[:, [LABELS.index(label) for label in present]] = proba[:, order]
            rounded = np.round(full, 6).tolist()
            for i, unit in enumerate(speech):
                row = {
                    "source": source, "doc_id": unit["doc_id"], "sent_id": unit["sent_id"],
                    "text": unit["text"], "start": unit.get("start"), "end": unit.get("end"),
                    "heading_level": unit.get("heading_level", 0),
                    "section": unit.get("section") or [], "para_id": unit.get("para_id"),
                    "label": self.labels[best[i]], "confidence": confidence[i],
                }
                row.update(zip(columns, rounded[i], strict=True))
                rows.append(row)
        return rows

    def tag_frame(self, frame):
        """Tag a DataFrame of units (``doc_id``, ``sent_id``, ``text``), rows in any order.

        Returns a DataFrame aligned with the input rows: ``label``, ``confidence``
        and one ``p_<label>`` column per label. This is what the MLflow model serves.
        """
        import pandas as pd

        frame = frame.reset_index(drop=True)
        if "doc_id" not in frame:
            frame = frame.assign(doc_id="speech")
        if "sent_id" not in frame:
            frame = frame.assign(sent_id=frame.groupby("doc_id").cumcount())
        order = frame.sort_values(["doc_id", "sent_id"], kind="stable")
        speeches, positions = [], []
        for _, group in order.groupby("doc_id", sort=False):
            speeches.append(group.to_dict("records"))
            positions.extend(group.index)
        tagged = [unit for speech in self.tag_speeches(speeches, explain=False) for unit in speech]
        out = pd.DataFrame(
            [{"label": t.label, "confidence": t.confidence,
              **{f"p_{label}": t.probabilities.get(label, 0.0) for label in LABELS}}
             for t in tagged],
            index=positions,
        )
        return out.sort_index()


def _complete(speech: list[dict]) -> list[dict]:
    """Fill in doc_id and sent_id where a caller passed bare ``{"text": ...}`` units, and
    refuse texts the features cannot take."""
    completed = []
    for index, unit in enumerate(speech):
        unit = {**unit, "doc_id": str(unit.get("doc_id", "speech")),
                "sent_id": int(unit.get("sent_id", index))}
        if isinstance(unit.get("text"), str):
            check_unit_text(unit["text"], f"{unit['doc_id']}#{unit['sent_id']}")
        completed.append(unit)
    return completed


def _readable(names: list[str]) -> list[str]:
    return [name.split(":", 1)[1] if name[:2] in ("w:", "c:") else name for name in names]
