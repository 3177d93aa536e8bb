"""Fuzzing read → clean → split with Hypothesis: no crash, no lost text, deterministic.

The budget is bounded (a few hundred examples per property) so CI runs it every time.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.clean import clean_text
from toolkit.errors import InputError
from toolkit.read import decode_bytes
from toolkit.speech import speeches_from_text
from toolkit.split import split_units

CHINESE = "要加强了取得问题不足同志们一二三是会议讲话下载会员登录版权工作回顾"
PUNCTUATION = "。！？；：，、“”‘’（）()《》【】…—·-%"
WHITESPACE = " \n\t\r\u3000\u00a0"
CONTROL = "\x01\x02\x07\x0b\x0c\x1b"
MARKUP = "#*_>-"
INVISIBLE = "\u200b\ufeff"
SURROGATES = [chr(c) for c in range(0xDC80, 0xDC90)]

characters = st.sampled_from(
    list(CHINESE + PUNCTUATION + WHITESPACE + CONTROL + MARKUP + INVISIBLE)
    + list("abcXYZ0123456789【篇1】") + SURROGATES
)
texts = st.text(alphabet=characters, max_size=300)
lines = st.lists(st.sampled_from([
    "一、工作回顾", "（一）目标完成。", "开通VIP", "2、", "---", "**加粗**", "> 引文。",
    "本作品来自1949年10月1日", "要加快推进项目建设；二是改革。", "【篇2】讲话", "同志们：",
]) | texts, max_size=12).map("\n".join)
SETTINGS = settings(max_examples=250, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def visible(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace() and ch not in MARKUP + INVISIBLE)


@SETTINGS
@given(lines)
def test_reading_never_crashes_and_refuses_only_with_input_error(text):
    data = text.encode("utf-8", "surrogateescape")
    try:
        document = decode_bytes(data, "fuzz.txt")
    except InputError as error:
        assert str(error).startswith("fuzz.txt: expected ")
        return
    if not any(ch in SURROGATES for ch in text):
        # Valid UTF-8 is read exactly (a leading BOM is the encoding's, not the text's).
        assert document.text == text.removeprefix("\ufeff")


@SETTINGS
@given(lines)
def test_cleaning_loses_nothing_but_markup_and_is_deterministic(text):
    cleaned = clean_text(text)
    assert clean_text(text) == cleaned
    kept = visible(cleaned.text) + sum((visible(r.text) for r in cleaned.removed), Counter())
    assert visible(text) - kept == Counter()


@SETTINGS
@given(lines)
def test_splitting_cleaned_text_keeps_every_character(text):
    cleaned = clean_text(text).text
    units = split_units(cleaned, "fuzz")
    assert split_units(cleaned, "fuzz") == units
    assert all(unit.text.strip() for unit in units)
    assert "".join(u.text for u in units).translate({ord(c): None for c in WHITESPACE}) == (
        cleaned.translate({ord(c): None for c in WHITESPACE}))


@SETTINGS
@given(lines)
def test_the_whole_path_refuses_cleanly_or_yields_speeches(text):
    try:
        speeches = speeches_from_text(text, "fuzz", "fuzz.txt")
    except InputError as error:
        assert str(error).startswith("fuzz.txt: expected ")
        return
    assert speeches and all(s.units for s in speeches)
    assert speeches_from_text(text, "fuzz", "fuzz.txt")[0].units == speeches[0].units


@pytest.mark.parametrize("text", ["同志们\udc80", "\udcff要加强。"])
def test_unpaired_surrogates_are_refused(text):
    with pytest.raises(InputError, match="found an unpaired surrogate at character offset"):
        speeches_from_text(text, "x", "x.txt")


unit_texts = st.text(alphabet=st.sampled_from(
    list(CHINESE + PUNCTUATION + WHITESPACE + CONTROL + "\x00\x7f") + SURROGATES), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(unit_texts, min_size=1, max_size=6))
def test_any_unit_text_is_tagged_or_refused_never_a_crash(default_tagger, texts):
    # Char n-grams join texts with NUL: a NUL inside a text must never reach them.
    try:
        tagged = default_tagger.tag_units([{"text": text} for text in texts])
    except InputError as error:
        assert ": expected " in str(error)
        assert any(not t.strip() or "\x00" in t or any(c in SURROGATES for c in t)
                   for t in texts)
        return
    assert [unit.text for unit in tagged] == texts
