"""The profile as a figure: label shares stacked per group, or as lines over the years."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from toolkit.errors import InputError
from toolkit.labels import CHINESE_NAMES, COLOURS, LABELS
from toolkit.outputs import replacing

FIGURE_SUFFIXES = (".png", ".svg")
# Fonts with the Chinese label names, best first; any other CJK face will do.
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "SimHei", "Microsoft YaHei", "PingFang SC")
_CJK_FILE_HINTS = ("cjk", "wqy", "hei", "song", "kai", "ming", "han", "yahei")
# A second channel beside colour, so a greyscale print still tells the labels apart.
_HATCHES = {"achievement": "", "problem": "///", "task": "", "exhortation": "..", "other": "xx"}
_LINES = {"achievement": "-", "problem": "--", "task": "-.", "exhortation": ":", "other": "-"}
_MAX_BARS_INCHES = 60
_AXIS_NAMES = {"doc": "讲话 speech", "year": "年份 year", "region": "地区 region"}
log = logging.getLogger(__name__)


def save_profile_figure(table: list[dict], path: str | Path, by: str) -> None:
    path = Path(path)
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(str(path), "a .png or .svg file name", repr(path.suffix or "no suffix"),
                         "Name the figure figure.png or figure.svg.")
    if not table:
        raise InputError(str(path), "at least one group to plot", "none",
                         "Profile at least one tagged unit.")
    import matplotlib

    # A Figure of its own, not pyplot's: no global backend or state is touched, so this
    # works the same from the CLI, a server or a notebook.
    with matplotlib.rc_context({"font.family": ["sans-serif"],
                                "font.sans-serif": [*_cjk_fonts(), "DejaVu Sans"],
                                "axes.unicode_minus": False, "svg.hashsalt": "speechtag"}), \
            warnings.catch_warnings():
        # Without a Chinese font (warned about once), not once per missing glyph.
        warnings.filterwarnings("ignore", "Glyph .* missing from font")
        years = [row for row in table if row["group"].isdigit()] if by == "year" else []
        figure = _lines(years) if years else _bars(table, by)
        with replacing(path) as temporary:
            figure.savefig(temporary, format=path.suffix[1:].lower(), dpi=110,
                           metadata={"Date": None} if path.suffix.lower() == ".svg" else {})


def _legend_name(label: str) -> str:
    return f"{CHINESE_NAMES[label]} {label}"


def _lines(rows: list[dict]):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 5))
    axes = figure.subplots()
    years = [int(row["group"]) for row in rows]
    for label in LABELS:
        axes.plot(years, [100 * row[f"share_{label}"] for row in rows], _LINES[label],
                  color=COLOURS[label], marker="o", markersize=3, label=_legend_name(label))
    axes.set_xlabel("年份 year")
    axes.set_ylabel("单位占比 share of units (%)")
    axes.set_ylim(0, 100)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.set_title(f"各类语句占比 label shares by year ({sum(r['units'] for r in rows):,} units)")
    figure.tight_layout()
    return figure


def _bars(table: list[dict], by: str):
    from matplotlib.figure import Figure

    height = min(1.5 + 0.32 * len(table), _MAX_BARS_INCHES)
    figure = Figure(figsize=(10, height))
    axes = figure.subplots()
    positions = range(len(table))[::-1]  # first group on top
    left = [0.0] * len(table)
    for label in LABELS:
        shares = [100 * row[f"share_{label}"] for row in table]
        axes.barh(positions, shares, left=left, color=COLOURS[label], hatch=_HATCHES[label],
                  edgecolor="white", linewidth=0.4, label=_legend_name(label))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_yticks(list(positions), [row["group"] for row in table])
    axes.set_xlim(0, 100)
    axes.set_xlabel("单位占比 share of units (%)")
    axes.set_ylabel(_AXIS_NAMES.get(by, by))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.set_title("各类语句占比 label shares")
    figure.tight_layout()
    return figure


def _cjk_fonts() -> list[str]:
    """The installed fonts that have Chinese characters, best first; a warning if none."""
    from matplotlib import font_manager

    found = _known_cjk(font_manager)
    if not found:
        # matplotlib's font cache predates fonts installed since: add the system's CJK files.
        for path in font_manager.findSystemFonts():
            if any(hint in Path(path).name.lower() for hint in _CJK_FILE_HINTS):
                font_manager.fontManager.addfont(path)
        found = _known_cjk(font_manager)
    if not found:
        log.warning("no Chinese font found (install fonts-noto-cjk); the figure's Chinese "
                    "names will show as boxes")
    return found


def _known_cjk(font_manager) -> list[str]:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in _CJK_FONTS if name in installed]
    return found + sorted(name for name in installed if "CJK" in name and name not in found)
