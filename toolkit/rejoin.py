"""Undo what scrapers and converters did to a speech's layout, never its words.

Document previews cut into numbered fragments, lines a scraper wrapped, PDF
text broken at the page width, and titles spaced out character by character.
"""

from __future__ import annotations

import re
from collections import Counter

from toolkit.chrome import SPACED_OUT

SENTENCE_END = "。！？!?”’」』）)】》…"
_FRAGMENT = re.compile(r"^(\d{1,3})、\s*")
HEADING_START = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])"
)

Line = tuple[int, str]


def join_spaced_out(line: str) -> str:
    """``在 全 县 会 议 上 的 讲 话`` → ``在全县会议上的讲话``; other lines unchanged."""
    return line.replace(" ", "") if SPACED_OUT.match(line) else line


def rejoin_fragments(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Undo a document preview cut into numbered fragments (``1、`` ``2、`` ...).

    Only the longest run of at least three numbers counting up from 1, of long
    fragments most of which stop mid-sentence, counts: a real enumeration ends
    its items, and its items are short. Returns the lines and the markers removed.
    """
    starts = _longest_numbered_run(lines)
    if len(starts) < 3:
        return lines, []
    bounds = [*starts[1:], len(lines)]
    markers = [_FRAGMENT.match(lines[index][1]).group(0) for index in starts]
    pieces = [
        " ".join(text for _, text in lines[index:end] if text)[len(marker):]
        for index, end, marker in zip(starts, bounds, markers, strict=True)
    ]
    cut = sum(not piece.endswith(tuple(SENTENCE_END)) for piece in pieces[:-1])
    if cut * 3 < (len(pieces) - 1) * 2 or sum(map(len, pieces)) < 200 * len(pieces):
        return lines, []
    body = pieces[0]
    for piece in pieces[1:]:
        body += (" " if body.endswith(tuple(SENTENCE_END)) else "") + piece
    removed = [(lines[index][0], marker.strip()) for index, marker in zip(starts, markers,
                                                                            strict=True)]
    return [*lines[: starts[0]], (lines[starts[0]][0], body)], removed


def _longest_numbered_run(lines: list[Line]) -> list[int]:
    best: list[int] = []
    run: list[int] = []
    for index, (_, text) in enumerate(lines):
        match = _FRAGMENT.match(text)
        if not match:
            continue
        number = int(match.group(1))
        if number == 1:
            run = [index]
        elif run and number == len(run) + 1:
            run.append(index)
        if len(run) > len(best):
            best = list(run)
    return best


def rejoin_hard_wraps(lines: list[Line]) -> list[Line]:
    """Join a very long line cut mid-sentence by a scraper to the line that continues it."""
    joined: list[Line] = []
    for number, text in lines:
        if joined and len(joined[-1][1]) >= 1000 and text and not joined[-1][1].endswith(
            tuple(SENTENCE_END + "：:")
        ):
            joined[-1] = (joined[-1][0], joined[-1][1] + text)
        else:
            joined.append((number, text))
    return joined


def rejoin_page_width(lines: list[Line]) -> tuple[list[Line], int]:
    """Join lines a PDF conversion broke at the page width; returns the lines and the joins.

    A text is taken as broken at a width only when a third of its lines stop mid-sentence
    and most of those have one length (±2): the width. A line at least that long (half-width
    figures make some longer) that ends no sentence is continued by the next line, unless
    the next opens a heading.
    """
    width = _page_width(lines)
    if width is None:
        return lines, 0
    joined: list[Line] = []
    joins = 0
    last_length = 0
    for number, text in lines:
        previous = joined[-1][1] if joined else ""
        if (text and last_length >= width - 2
                and not previous.endswith(tuple(SENTENCE_END + "：:"))
                and not HEADING_START.match(text)):
            joined[-1] = (joined[-1][0], previous + text)
            joins += 1
        else:
            joined.append((number, text))
        last_length = len(text)
    return joined, joins


def _page_width(lines: list[Line]) -> int | None:
    texts = [text for _, text in lines if text]
    open_ended = [len(t) for t in texts if len(t) >= 15 and not t.endswith(tuple(SENTENCE_END))]
    if len(open_ended) < 3 or len(open_ended) * 3 < len(texts):
        return None
    width, _ = Counter(open_ended).most_common(1)[0]
    near = sum(abs(length - width) <= 2 for length in open_ended)
    return width if near >= 3 and near * 3 >= len(open_ended) * 2 else None
