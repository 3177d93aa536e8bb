"""Split cleaned speech text into units as LABELING.md defines them.

A unit is a sentence ending in 。！？ (closing quotes and brackets stay
attached), a heading line or inline heading, or a line without closing
punctuation. Semicolons never end a unit. Every unit knows its character
offsets in the cleaned text, its heading level and the headings above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from toolkit.limits import MAX_UNIT_CHARS, MAX_UNITS

_NUM = "一二三四五六七八九十"
_TERMINATORS = "。！？"
_ASCII_TERMINATORS = "!?"
_CLOSERS = "”’\"'」』）)】》〕］]"
# One pattern, one group per level: heading_level is called for every unit, often twice.
_LEVELS = re.compile(
    rf"(?P<l1>[{_NUM}]{{1,3}}[、.．])"
    rf"|(?P<l2>[（(][{_NUM}]{{1,3}}[）)])"
    rf"|(?P<l3>\d{{1,2}}[.．、](?![\d.．])|[（(]\d{{1,2}}[）)]|[{_NUM}]{{1,2}}[是要](?=[^\s，,。])"
    rf"|第[{_NUM}]{{1,2}}[，,、：:])"
)
_SALUTATION = re.compile(r"(各位[^\s，,。：:]{1,6}[，,、]?)*同志们[：:]")
_CANDIDATE = re.compile(r"[。！？!?…：:\s同各]")
_SPEECH_MARKER = re.compile(r"^【篇(\d+)】", re.MULTILINE)


class SplitLimitError(ValueError):
    """A speech with more units, or a unit with more characters, than the splitter accepts."""


@dataclass
class Unit:
    """One unit of a speech: the thing that gets a label."""

    doc_id: str
    sent_id: int
    text: str
    start: int
    end: int
    heading_level: int = 0
    section: list[str] = field(default_factory=list)
    para_id: int = 0

    def to_dict(self) -> dict:
        # dataclasses.asdict deep-copies every field; at corpus scale that dominates.
        return {name: getattr(self, name) for name in _UNIT_FIELDS}


_UNIT_FIELDS = tuple(f.name for f in fields(Unit))


def heading_level(text: str) -> int:
    """0 for body text, 1 for ``一、``, 2 for ``（一）``, 3 for ``1.``/``一是``/``第一，``."""
    match = _LEVELS.match(text)
    return match.lastindex if match else 0


def split_speeches(text: str, doc_id: str) -> list[tuple[str, str]]:
    """Split a file holding several speeches marked ``【篇N】`` into ``(doc_id, text)`` pairs.

    A file without markers is one speech with the given ``doc_id``.
    """
    markers = list(_SPEECH_MARKER.finditer(text))
    if not markers:
        return [(doc_id, text)]
    speeches = []
    preamble = text[: markers[0].start()].strip()
    if preamble:
        speeches.append((f"{doc_id}-0", preamble))
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        speeches.append((f"{doc_id}-{marker.group(1)}", text[marker.end(): end].strip()))
    return speeches


def outline(texts: list[str]) -> list[tuple[int, list[str]]]:
    """Heading level and enclosing headings (outermost first) of each unit, in speech order."""
    stack: list[tuple[int, str]] = []
    result = []
    for text in texts:
        level = heading_level(text)
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
        result.append((level, [heading for _, heading in stack]))
        if level:
            stack.append((level, text))
    return result


def split_units(text: str, doc_id: str) -> list[Unit]:
    """Split one cleaned speech into units with offsets, heading levels and sections."""
    spans: list[tuple[int, int, int]] = []
    para_id = -1
    offset = 0
    for line in text.split("\n"):
        previous_end = None
        for start, end in _unit_spans(line):
            if previous_end is None or start > previous_end:
                para_id += 1
            previous_end = end
            spans.append((offset + start, offset + end, para_id))
            if end - start > MAX_UNIT_CHARS:
                raise SplitLimitError(
                    f"units of at most {MAX_UNIT_CHARS} characters", f"one of {end - start} "
                    f"at character offset {offset + start} (a line without sentence punctuation?)")
        if len(spans) > MAX_UNITS:
            raise SplitLimitError(f"at most {MAX_UNITS} units in one speech",
                                  f"more than that by character offset {offset}")
        offset += len(line) + 1
    texts = [text[start:end] for start, end, _ in spans]
    return [
        Unit(doc_id=doc_id, sent_id=index, text=piece, start=start, end=end,
             heading_level=level, section=section, para_id=para)
        for index, (piece, (start, end, para), (level, section)) in enumerate(
            zip(texts, spans, outline(texts), strict=True)
        )
    ]


def _unit_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    n = len(line)
    i = start = _skip_space(line, 0)
    level = heading_level(line[start: start + 8])
    while i < n:
        end = _terminator_end(line, i)
        if end is None and line[i] in "：:" and _colon_ends_unit(line, start, i):
            end = i + 1
        if end is None and line[i].isspace():
            following = _skip_space(line, i)
            if following < n and _space_ends_unit(line, level, i, following):
                end = following
            else:
                i = following
                continue
        if end is None and i > start and _starts_inline_unit(line, start, level, i):
            end = i
        if end is None:
            # Outside an open heading only these characters can end a unit: jump to the next.
            following = _CANDIDATE.search(line, i + 1) if not level else None
            i = i + 1 if level else following.start() if following else n
            continue
        _emit(spans, line, start, end)
        i = start = _skip_space(line, end)
        level = heading_level(line[start: start + 8])
    _emit(spans, line, start, n)
    return spans


def _emit(spans: list[tuple[int, int]], line: str, start: int, end: int) -> None:
    while end > start and line[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _skip_space(line: str, i: int) -> int:
    while i < len(line) and line[i].isspace():
        i += 1
    return i


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch in _TERMINATORS + "，、；："


def _terminator_end(line: str, i: int) -> int | None:
    """Where the unit ends if a sentence terminator stands at ``i``, else None."""
    ch = line[i]
    n = len(line)
    if ch in _ASCII_TERMINATORS:
        before = line[i - 1] if i else ""
        after = line[i + 1] if i + 1 < n else ""
        if not (_is_cjk(before) or _is_cjk(after)):
            return None
    elif ch == "…":
        j = i
        while j < n and line[j] == "…":
            j += 1
        if j < n and line[j] not in _CLOSERS:
            return None
        return _consume(line, j, _CLOSERS)
    elif ch not in _TERMINATORS:
        return None
    j = _consume(line, i + 1, _TERMINATORS + _ASCII_TERMINATORS)
    return _consume(line, j, _CLOSERS)


def _consume(line: str, j: int, chars: str) -> int:
    while j < len(line) and line[j] in chars:
        j += 1
    return j


def _colon_ends_unit(line: str, start: int, i: int) -> bool:
    """A salutation, or a colon that introduces a top- or second-level inline heading."""
    if _SALUTATION.fullmatch(line, start, i + 1):
        return True
    following = _skip_space(line, i + 1)
    return heading_level(line[following: following + 8]) in (1, 2)


def _space_ends_unit(line: str, level: int, i: int, following: int) -> bool:
    """Whitespace inside a line is a paragraph break of flattened text, or nothing."""
    before = line[i - 1]
    if before in _TERMINATORS + _CLOSERS or _SALUTATION.match(line, following):
        return True
    return level > 0 and _is_cjk(before)


def _starts_inline_unit(line: str, start: int, level: int, i: int) -> bool:
    """A salutation after a title, or a deeper marker that closes an unpunctuated heading."""
    if line[i] in "同各" and line[i - 1] not in "，,、" and _SALUTATION.match(line, i):
        return not _SALUTATION.match(line, start)
    if not level or i - start < 4 or line[i - 1] in "；;，,、：:":
        return False
    marker = heading_level(line[i: i + 8])
    return marker > 1 and marker >= level
