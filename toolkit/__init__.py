"""speechtag: tag each sentence of a Chinese work-meeting speech with its rhetorical role."""

from __future__ import annotations

__all__ = ["LABELS", "SpeechTagger", "TaggedUnit", "Tagger", "Unit", "load_speeches"]

_EXPORTS = {
    "LABELS": "toolkit.labels",
    "SpeechTagger": "toolkit.model",
    "TaggedUnit": "toolkit.tag",
    "Tagger": "toolkit.tag",
    "Unit": "toolkit.split",
    "load_speeches": "toolkit.speech",
}


def __getattr__(name: str):
    # Imported on first use, so `import toolkit` (and the CLI's start) stays light.
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
