"""Splitting into units as LABELING.md defines them, with offsets, levels and sections."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.split import heading_level, split_speeches, split_units


def texts(text: str) -> list[str]:
    return [unit.text for unit in split_units(text, "d")]


def test_sentences_end_at_terminators_with_closing_quotes_attached():
    assert texts("他说：“要抓好落实。”我们坚决照办！是吗？") == [
        "他说：“要抓好落实。”", "我们坚决照办！", "是吗？",
    ]


def test_semicolons_never_end_a_unit():
    assert texts("一是加强党建；二是深化改革；三是改善民生。") == [
        "一是加强党建；二是深化改革；三是改善民生。"
    ]


def test_inline_headings_of_a_one_line_scrape_become_units():
    line = ("现将本年度工作情况总结如下:一、总揽全局,卫生健康事业发展硕果累累(一)破解难点,医卫改革全面深化。"
            "一是基本药物制度有新要求。二、正视问题,切实增强工作责任感和紧迫感一是卫生事业发展后劲不足。"
            "三、鼓足勇气,确保发展方向不偏不倚1.继续深化医卫体改革。")
    assert texts(line) == [
        "现将本年度工作情况总结如下:", "一、总揽全局,卫生健康事业发展硕果累累",
        "(一)破解难点,医卫改革全面深化。", "一是基本药物制度有新要求。",
        "二、正视问题,切实增强工作责任感和紧迫感", "一是卫生事业发展后劲不足。",
        "三、鼓足勇气,确保发展方向不偏不倚", "1.继续深化医卫体改革。",
    ]


def test_title_and_salutation_run_together_are_separated():
    assert texts("在全县卫生健康工作会议上的讲话同志们:今天我们召开这次会议。") == [
        "在全县卫生健康工作会议上的讲话", "同志们:", "今天我们召开这次会议。",
    ]


def test_space_after_a_sentence_or_open_heading_is_a_paragraph_break():
    units = split_units("根据会议安排,我讲三点意见。 一、充分肯定成效,进一步增强信心 2023年是开局之年。", "d")
    assert [u.text for u in units] == [
        "根据会议安排,我讲三点意见。", "一、充分肯定成效,进一步增强信心", "2023年是开局之年。",
    ]
    assert [u.para_id for u in units] == [0, 1, 2]


def test_spaced_names_are_not_split():
    assert texts("国务院总理　李强") == ["国务院总理　李强"]


def test_heading_levels():
    assert [heading_level(t) for t in (
        "一、2021年工作回顾", "（三）抓好医疗服务能力建设。", "(一)破解难点", "1.继续深化改革。",
        "一是健康扶贫取得阶段性胜利。", "二要做好宣传引导。", "第一，坚持党的领导。",
        "1.99亿元的收入", "今年是收官之年。",
    )] == [1, 2, 2, 3, 3, 3, 3, 0, 0]


def test_sections_list_enclosing_headings_outermost_first():
    units = split_units("一、工作回顾\n（一）目标完成。\n全年完成任务。\n二、存在问题\n基础仍然差。", "d")
    assert [u.section for u in units] == [
        [], ["一、工作回顾"], ["一、工作回顾", "（一）目标完成。"], [], ["二、存在问题"],
    ]


def test_offsets_point_into_the_text():
    text = "　同志们：\n今天召开会议。 下面讲三点。"
    for unit in split_units(text, "d"):
        assert text[unit.start: unit.end] == unit.text


def test_two_speeches_in_one_file():
    text = "【篇1】讲话一\n同志们：\n【篇3】讲话三\n同志们好。"
    assert split_speeches(text, "000") == [("000-1", "讲话一\n同志们："), ("000-3", "讲话三\n同志们好。")]


_alphabet = st.sampled_from([*list("要加强了取得问题不足同志们一二三是、，。；：！？”“（）() \n\t\u3000"), "a", "1", "X"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=200))
def test_splitting_keeps_every_character_in_order_and_yields_no_empty_unit(text):
    units = split_units(text, "d")
    assert all(unit.text.strip() for unit in units)
    assert "".join(u.text for u in units).translate({ord(c): None for c in " \n\t　"}) == (
        re.sub(r"\s", "", text)
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=200))
def test_splitting_is_stable_on_its_own_output(text):
    first = texts(text)
    assert texts("\n".join(first)) == first
