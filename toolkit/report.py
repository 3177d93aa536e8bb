"""One self-contained HTML report of tagged speeches, readable from disk without a server.

The report is the page that ``speechtag serve`` shows at ``/``, with its stylesheets and
scripts inlined and the tagged data embedded as JSON, so the two views cannot drift.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from toolkit.bulk import speeches_of

STATIC_DIR = Path(__file__).parent / "static"
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="static/([\w.-]+)">')
_SCRIPT = re.compile(r'<script src="static/([\w.-]+)"></script>')
_DATA_ID = "speechtag-data"


def tag_source(tagger, source: str) -> tuple[list[dict], list[str]]:
    """The tagged speeches of one input (file or ``-``) and any reading warnings."""
    speeches, warnings = speeches_of(source)
    tagged = tagger.tag_speeches(speeches)
    name = "<stdin>" if source == "-" else source
    return [
        {"title": units[0].doc_id, "source": name, "units": [unit.to_dict() for unit in units]}
        for units in tagged if units
    ], warnings


def build_html(speeches: list[dict], model: str, title: str = "speechtag report",
               overview: dict | None = None) -> str:
    """The page's HTML with its assets inlined and ``speeches`` embedded, opening with
    ``overview`` (:func:`toolkit.overview.overview`) if given."""
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    data = {"title": title, "model": model, "speeches": speeches}
    if overview is not None:
        data["overview"] = overview
    # Escaping every "<" keeps the JSON valid while no "</script>" or "<!--" in a
    # speech can end or disturb the script element that carries it.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    # Function replacements, so backslashes in an asset are not read as group references.
    page = _STYLESHEET.sub(lambda m: f"<style>\n{_asset(m[1])}</style>", page)
    first_script = _SCRIPT.search(page)
    if first_script is None:
        raise RuntimeError("toolkit/static/index.html has no <script src=\"static/...\">")
    page = (page[:first_script.start()]
            + f'<script id="{_DATA_ID}" type="application/json">{payload}</script>\n'
            + page[first_script.start():])
    return _SCRIPT.sub(lambda m: f"<script>\n{_asset(m[1])}</script>", page)


def _asset(name: str) -> str:
    text = (STATIC_DIR / name).read_text(encoding="utf-8")
    # An asset is inlined verbatim; a closing tag inside it would cut the page short.
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise RuntimeError(f"toolkit/static/{name} contains a closing </script> or </style>")
    return text

