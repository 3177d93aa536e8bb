"""Clean scraped speech text: drop what is not speech, keep every word of the speech.

The cleaner works line by line and records every removal, so
``speechtag split --show-removed`` can show a user exactly what went.
It is conservative: a line is dropped only on a strong boilerplate signal,
or when it is a short non-sentence line inside a block of such lines at the
head or tail of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.chrome import (
    CONTENTS_HEADER,
    HTML_COMMENT,
    PAGE_COUNTER,
    RELATED_HEADER,
    SITE_TITLE,
    SUMMARY_HEADER,
    TITLE_SUFFIX,
    chrome_reason,
    is_title_like,
)
from toolkit.rejoin import (
    HEADING_START,
    join_spaced_out,
    rejoin_fragments,
    rejoin_hard_wraps,
    rejoin_page_width,
)

Line = tuple[int, str]

_SPACES = re.compile(r"[\u3000\u00a0\u2002-\u200b\ufeff\t\f\v]+")
_LEADING_QUOTE = re.compile(r"^[\s>]*>[\s>]*")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_RULE = re.compile(r"^([-*_]\s*){3,}$")
_FRONT_MATTER = re.compile(r"\A---\n(?:[^\n]*\n){0,40}?---\n")
_FOOTER_START = re.compile(r"^(本作品来自\d{4}年|这部作品在\d{4}年|↑$|Public domain$)")
# A work report's glossary of terms, printed after the speech: "名词解释", "附：名词解释和说明".
_GLOSSARY_START = re.compile(r"^(附[:：]?\s*)?名\s*词\s*解\s*释(和说明)?\s*[:：>]*$")
_INLINE_DISCLAIMER = re.compile(
    r"\s*(本文(为|系|来源于)?网络(搜集|收集|转载)?整理[^。！]*[。！]?|"
    r"(文章|内容)?来源(于)?网络[^。！]*(侵权|删除)[^。！]*[。！]?)\s*$"
)
_TOC_ENTRY_TAIL = re.compile(r"[\s.…·．_]*\d*$")
_LIST_MARK = re.compile(r"^[-*+]\s+")


@dataclass
class Removal:
    """One piece of the input the cleaner dropped, with its 1-based line number."""

    line: int
    text: str
    reason: str


@dataclass
class Cleaned:
    """Cleaned speech text and what was removed to get it."""

    text: str
    removed: list[Removal] = field(default_factory=list)


def clean_text(raw: str) -> Cleaned:
    """Return the speech text of ``raw`` with page chrome, markup and footers removed."""
    removed: list[Removal] = []
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    front = _FRONT_MATTER.match(text)
    offset = 0
    if front:
        removed.append(Removal(1, front.group(0).strip(), "front matter"))
        offset = front.group(0).count("\n")
        text = text[front.end():]
    if "<!--" in text:
        text = _drop_html_comments(text, offset, removed)
    lines = [(offset + number, _normalise(line)) for number, line in enumerate(text.split("\n"), 1)]
    lines = _cut_footer(lines, removed)
    lines = _drop_boilerplate(lines, removed)
    lines = _drop_lists(lines, removed)
    lines = _drop_repeated_title(lines, removed)
    lines, markers = rejoin_fragments(lines)
    removed.extend(Removal(number, marker, "preview fragment marker") for number, marker in markers)
    lines = rejoin_hard_wraps(lines)
    lines, joins = rejoin_page_width(lines)
    if joins:
        removed.append(Removal(lines[0][0], f"{joins} line breaks", "PDF page-width line breaks"))
    removed.sort(key=lambda removal: removal.line)
    return Cleaned("\n".join(text for _, text in lines).strip("\n"), removed)


def _drop_html_comments(text: str, offset: int, removed: list[Removal]) -> str:
    """Drop ``<!-- … -->`` (photo captions of report pages), keeping the line count."""
    def blank(match: re.Match) -> str:
        line = offset + text.count("\n", 0, match.start()) + 1
        removed.append(Removal(line, match.group(0), "HTML comment"))
        return "\n" * match.group(0).count("\n")

    return HTML_COMMENT.sub(blank, text)


def _normalise(line: str) -> str:
    line = _SPACES.sub(" ", line)
    # The other rules rarely apply; testing for their mark first keeps cleaning cheap.
    if ">" in line:
        line = _LEADING_QUOTE.sub("", line)
    line = line.strip()
    if line.startswith("#"):
        line = _MD_HEADING.sub("", line)
    if _MD_RULE.match(line):
        return ""
    if "**" in line or "__" in line:
        line = _MD_EMPHASIS.sub(r"\2", line).strip()
    if " " in line:
        line = join_spaced_out(line)
    return line


def _cut_footer(lines: list[Line], removed: list[Removal]) -> list[Line]:
    for index, (number, line) in enumerate(lines):
        footer = _FOOTER_START.match(line)
        # A glossary heading in the first half would be the speech's own topic, not an appendix.
        if footer or (_GLOSSARY_START.match(line) and index * 2 >= len(lines)):
            tail = "\n".join(text for _, text in lines[index:] if text)
            removed.append(Removal(number, tail, "Wikisource footer" if footer else "glossary"))
            return lines[:index]
    return lines


def _is_loose(line: str) -> bool:
    """A short line that is no sentence: the kind of line a site header is made of."""
    return len(line) <= 40 and not re.search("[。；]", line) and not _looks_like_speech_start(line)


def _looks_like_speech_start(line: str) -> bool:
    return bool(re.search(r"(讲话|报告|发言|致辞|同志们|各位)", line))


def _drop_boilerplate(lines: list[Line], removed: list[Removal]) -> list[Line]:
    reasons = [chrome_reason(text) if text else None for _, text in lines]
    content = [i for i, (_, text) in enumerate(lines) if text]
    _extend_blocks(lines, reasons, content)
    _extend_blocks(lines, reasons, content[::-1])
    kept = []
    for (number, text), reason in zip(lines, reasons, strict=True):
        if reason:
            removed.append(Removal(number, text, reason))
            continue
        counter = PAGE_COUNTER.search(text) if "页" in text else None
        if counter and text[:counter.start()] in {kept_text for _, kept_text in kept}:
            removed.append(Removal(number, text, "page header"))
            continue
        stripped = _INLINE_DISCLAIMER.sub("", text) if "网络" in text else text
        suffix = TITLE_SUFFIX.search(stripped) if stripped else None
        if suffix:
            stripped = stripped[:suffix.start()]
        if stripped != text:
            reason = "disclaimer" if suffix is None else "site suffix"
            removed.append(Removal(number, text[len(stripped):].strip(), reason))
        kept.append((number, stripped))
    return kept


def _extend_blocks(lines: list[Line], reasons: list[str | None], order: list[int]) -> None:
    """Grow chrome at one end of the file over the loose lines up to its last flagged line."""
    last_flagged = None
    for position, index in enumerate(order):
        text = lines[index][1]
        if reasons[index]:
            last_flagged = position
        elif not _is_loose(text):
            break
    if last_flagged is None:
        return
    for index in order[:last_flagged]:
        if not reasons[index] and _is_loose(lines[index][1]):
            reasons[index] = "site chrome (header/footer block)"


def _drop_lists(lines: list[Line], removed: list[Removal]) -> list[Line]:
    """Drop a related-articles list, and a table of contents whose entries recur as headings."""
    kept: list[Line] = []
    index = 0
    while index < len(lines):
        text = lines[index][1]
        related, contents = RELATED_HEADER.match(text), CONTENTS_HEADER.match(text)
        if SUMMARY_HEADER.match(text):
            # A document shop's summary: the header and the paragraph after it.
            end = next((i for i in range(index + 1, len(lines)) if lines[i][1]), index) + 1
            removed.extend(Removal(n, t, "document summary") for n, t in lines[index:end] if t)
            index = end
            continue
        if not (related or contents):
            kept.append(lines[index])
            index += 1
            continue
        later = "\n".join(t for _, t in lines[index + 1:])
        end = index + 1
        while end < len(lines) and _listed(lines[end][1], bool(related), later):
            end += 1
        reason = "related-articles list" if related else "table of contents"
        removed.extend(Removal(n, t, reason) for n, t in lines[index:end] if t)
        index = end
    return kept


def _listed(text: str, related: bool, later: str) -> bool:
    return not text or (is_title_like(text) and (related or _recurs(text, later)))


def _recurs(entry: str, later: str) -> bool:
    """A table-of-contents entry appears again, as a line or a line's start, in the body."""
    heading = _TOC_ENTRY_TAIL.sub("", _LIST_MARK.sub("", entry))
    return len(heading) >= 2 and later.count("\n" + heading) + later.startswith(heading) >= 2


def _drop_repeated_title(lines: list[Line], removed: list[Removal]) -> list[Line]:
    """A page title printed again above the text, or with the site's name: keep one."""
    head = {text for _, text in lines[:12] if is_title_like(text)}
    seen: set[str] = set()
    kept: list[Line] = []
    for position, (number, text) in enumerate(lines):
        if position < 12 and is_title_like(text) and not HEADING_START.match(text):
            site_title = SITE_TITLE.match(text)
            if (len(text) >= 6 and text in seen) or (site_title and site_title.group(1) in head):
                removed.append(Removal(number, text, "title repeated"))
                continue
        seen.add(text)
        kept.append((number, text))
    return kept
