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

_SENTENCE_END = "。！？!?”’」』）)】》…"
_SPACES = re.compile(r"[\u3000\u00a0\u2002-\u200b\ufeff\t\f\v]+")
_LEADING_QUOTE = re.compile(r"^[\s>]*>[\s>]*")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_RULE = re.compile(r"^([-*_]\s*){3,}$")
_FRONT_MATTER = re.compile(r"\A---\n(?:[^\n]*\n){0,40}?---\n")
_FOOTER_START = re.compile(r"^(本作品来自\d{4}年|这部作品在\d{4}年|↑$|Public domain$)")
_FRAGMENT = re.compile(r"^(\d{1,3})、\s*")

# Lines with these are page chrome wherever they stand and however long they are.
_STRONG = re.compile(
    r"ICP备|公网安备|©|版权所有|本站|本文标题|链接地址|当前位置|欢迎访问|下载积分|下载记录|快捷下载|"
    r"开通VIP|会员权益|客服电话|投诉电话|页脚广告|版权申诉|侵权必究|ImageVerifierCode|网站客服|"
    r"本文档|用户上传|上传会员|本平台|\.(docx?|pdf|pptx?)$"
)
# Page chrome in a short line, or where several meet; alone in a sentence they may be speech.
_WEAK = re.compile(
    r"https?://|www\.|[\w.]+@[\w.]+\.(com|cn|net)|登录|注册|下载|VIP|会员|客服|验证码|密码|账号|"
    r"支付宝|支付方式|付费|金币|积分|二维码|扫码|关注我们|公众号|QQ|微信|抖音|微博|订阅|举报|倒卖|"
    r"禁止外传|仅供学习|温馨提示|特别说明|权利声明|注意事项|广告|反馈|发票|首页|上一篇|下一篇|"
    r"相关推荐|阅读全文|收藏|分享到|点击|换一换|页数|格式:|大小:|充值|退款|水印|侵权"
)
_SHORT = 60
_INLINE_DISCLAIMER = re.compile(
    r"\s*(本文(为|系|来源于)?网络(搜集|收集|转载)?整理[^。！]*[。！]?|"
    r"(文章|内容)?来源(于)?网络[^。！]*(侵权|删除)[^。！]*[。！]?)\s*$"
)


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
    lines = [(offset + number, _normalise(line)) for number, line in enumerate(text.split("\n"), 1)]
    lines = _cut_footer(lines, removed)
    lines = _drop_boilerplate(lines, removed)
    lines = _rejoin_fragments(lines, removed)
    lines = _rejoin_hard_wraps(lines)
    return Cleaned("\n".join(text for _, text in lines).strip("\n"), removed)


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
    return line


def _cut_footer(lines: list[tuple[int, str]], removed: list[Removal]) -> list[tuple[int, str]]:
    for index, (number, line) in enumerate(lines):
        if _FOOTER_START.match(line):
            tail = "\n".join(text for _, text in lines[index:] if text)
            removed.append(Removal(number, tail, "Wikisource footer"))
            return lines[:index]
    return lines


def _is_chrome(line: str) -> str | None:
    if _STRONG.search(line):
        return "site chrome"
    if len(line) > 200:
        # Longer page chrome (rights notices) always carries a strong mark.
        return None
    hits = {match.group(0) for match in _WEAK.finditer(line)}
    sentence = line.endswith("。")
    crowded = len(hits) >= (4 if sentence else 2)
    if crowded or (hits and len(line) <= _SHORT and not re.search("[。？]$", line)):
        return "site chrome"
    if _is_menu(line):
        return "menu"
    return None


def _is_menu(line: str) -> bool:
    items = [item for item in re.split(r"\s{2,}|\s*\|\s*", line) if item]
    return (
        len(items) >= 3
        and all(2 <= len(item) <= 8 for item in items)
        and not re.search("[。，]", line)
    )


def _is_loose(line: str) -> bool:
    """A short line that is no sentence: the kind of line a site header is made of."""
    return len(line) <= 40 and not re.search("[。；]", line) and not _looks_like_speech_start(line)


def _looks_like_speech_start(line: str) -> bool:
    return bool(re.search(r"(讲话|报告|发言|致辞|同志们|各位)", line))


def _drop_boilerplate(
    lines: list[tuple[int, str]], removed: list[Removal]
) -> list[tuple[int, str]]:
    reasons = [_is_chrome(text) if text else None for _, text in lines]
    content = [i for i, (_, text) in enumerate(lines) if text]
    _extend_blocks(lines, reasons, content)
    _extend_blocks(lines, reasons, content[::-1])
    kept = []
    for (number, text), reason in zip(lines, reasons, strict=True):
        if reason:
            removed.append(Removal(number, text, reason))
            continue
        stripped = _INLINE_DISCLAIMER.sub("", text) if "网络" in text else text
        if stripped != text:
            removed.append(Removal(number, text[len(stripped):].strip(), "disclaimer"))
        kept.append((number, stripped))
    return kept


def _extend_blocks(
    lines: list[tuple[int, str]], reasons: list[str | None], order: list[int]
) -> None:
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


def _rejoin_fragments(
    lines: list[tuple[int, str]], removed: list[Removal]
) -> list[tuple[int, str]]:
    """Undo a document preview cut into numbered fragments (``1、`` ``2、`` ...).

    Only the longest run of at least three numbers counting up from 1, of long
    fragments most of which stop mid-sentence, counts: a real enumeration ends
    its items, and its items are short.
    """
    starts = _longest_numbered_run(lines)
    if len(starts) < 3:
        return lines
    bounds = [*starts[1:], len(lines)]
    markers = [_FRAGMENT.match(lines[index][1]).group(0) for index in starts]
    pieces = [
        " ".join(text for _, text in lines[index:end] if text)[len(marker):]
        for index, end, marker in zip(starts, bounds, markers, strict=True)
    ]
    cut = sum(not piece.endswith(tuple(_SENTENCE_END)) for piece in pieces[:-1])
    if cut * 3 < (len(pieces) - 1) * 2 or sum(map(len, pieces)) < 200 * len(pieces):
        return lines
    for index, marker in zip(starts, markers, strict=True):
        removed.append(Removal(lines[index][0], marker.strip(), "preview fragment marker"))
    body = pieces[0]
    for piece in pieces[1:]:
        body += (" " if body.endswith(tuple(_SENTENCE_END)) else "") + piece
    return [*lines[: starts[0]], (lines[starts[0]][0], body)]


def _longest_numbered_run(lines: list[tuple[int, str]]) -> list[int]:
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


def _rejoin_hard_wraps(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join a very long line cut mid-sentence by a scraper to the line that continues it."""
    joined: list[tuple[int, str]] = []
    for number, text in lines:
        if joined and len(joined[-1][1]) >= 1000 and text and not joined[-1][1].endswith(
            tuple(_SENTENCE_END + "：:")
        ):
            joined[-1] = (joined[-1][0], joined[-1][1] + text)
        else:
            joined.append((number, text))
    return joined
