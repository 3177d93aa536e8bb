"""The estimator's contract, and the default model's behaviour on short Chinese sentences."""

from __future__ import annotations

import re

import numpy as np
import pytest

from toolkit.model import SpeechTagger

SPEECH = [
    {"text": "在全县卫生健康工作会议上的讲话"},
    {"text": "同志们："},
    {"text": "一、2021年工作回顾"},
    {"text": "全县完成门急诊494万人次，同比增长5.6%。"},
    {"text": "二、存在的困难和问题"},
    {"text": "基层医疗卫生服务基础仍然差。"},
    {"text": "三、2022年工作安排"},
    {"text": "要加快推进县医院扩建项目建设。"},
    {"text": "同志们，让我们团结一心，奋力开创卫生健康工作新局面！"},
]


@pytest.fixture(scope="module")
def small_model(labelled):
    return SpeechTagger(C=4.0).fit(labelled.speeches[:3], labelled.labels[:3])


def test_fit_predict_proba_follow_scikit_learn(small_model):
    proba = small_model.predict_proba([SPEECH, SPEECH[:2]])
    assert [p.shape for p in proba] == [(9, len(small_model.classes_)), (2, 5)]
    assert all(np.allclose(p.sum(axis=1), 1.0) for p in proba)
    labels = small_model.predict([SPEECH])[0]
    assert list(labels) == list(small_model.classes_[proba[0].argmax(axis=1)])
    assert sorted(small_model.classes_) == ["achievement", "exhortation", "other", "problem",
                                            "task"]


def test_a_bare_string_is_rejected_with_the_fix(small_model):
    with pytest.raises(TypeError, match=re.escape("Wrap a single speech in a list: [units].")):
        small_model.predict("要加强党的建设。")


def test_transitions_change_predictions_only_through_context(labelled):
    alone = SpeechTagger(transition_weight=0).fit(labelled.speeches[:3], labelled.labels[:3])
    chained = SpeechTagger(transition_weight=1).fit(labelled.speeches[:3], labelled.labels[:3])
    assert np.allclose(alone.predict_proba([SPEECH])[0], alone.emission_proba([SPEECH])[0])
    assert not np.allclose(chained.predict_proba([SPEECH])[0], chained.emission_proba([SPEECH])[0])


def tag_one(tagger, text: str) -> str:
    return tagger.tag_units([{"text": text}])[0].label


MINIMUM = {
    "achievement": ["全县公立医疗卫生机构完成门急诊494.9554万人次，住院13.9129万人次。",
                    "去年全市地区生产总值增长了8.2%。",
                    "一年来，我们新建标准化村卫生室120所，全部投入使用。"],
    "problem": ["一是基层医疗卫生服务基础仍然差。", "医疗人才队伍不稳定，流失严重。",
                "中医药服务能力不足，发展后劲不强。"],
    "task": ["要加快推进疾病预防控制体系建设。", "三、2022年工作安排",
             "全面推进紧密型县域医共体建设。"],
    "other": ["今天召开全县卫生健康工作会议。", "同志们：",
              "在此，我代表县委、县政府向大家表示衷心的感谢！"],
}


@pytest.mark.parametrize(("label", "text"), [(k, t) for k, ts in MINIMUM.items() for t in ts])
def test_minimum_functionality(default_tagger, label, text):
    assert tag_one(default_tagger, text) == label


def test_exhortation_in_its_place_closing_a_speech(default_tagger):
    tagged = default_tagger.tag_units(SPEECH)
    assert tagged[-1].label == "exhortation"
    assert [t.label for t in tagged[2:8]] == [
        "achievement", "achievement", "problem", "problem", "task", "task"]


@pytest.mark.parametrize(("text", "swapped"), [
    ("全县完成门急诊494万人次，同比增长5.6%。", "全县完成门急诊38万人次，同比增长12.1%。"),
    ("沂南县医院顺利通过三级综合评审验收。", "商丘市医院顺利通过三级综合评审验收。"),
    ("要加快推进县妇幼保健院扩建项目建设。", "要加快推进市中医院扩建项目建设。"),
])
def test_invariance_to_numbers_and_place_names(default_tagger, text, swapped):
    assert tag_one(default_tagger, text) == tag_one(default_tagger, swapped)


@pytest.mark.parametrize(("task", "achievement"), [
    ("要加强基层党组织建设。", "加强了基层党组织建设。"),
    ("要完善分级诊疗制度。", "完善了分级诊疗制度。"),
    ("要推进家庭医生签约服务。", "推进了家庭医生签约服务。"),
])
def test_direction_of_tense(default_tagger, task, achievement):
    assert tag_one(default_tagger, task) == "task"
    assert tag_one(default_tagger, achievement) == "achievement"
