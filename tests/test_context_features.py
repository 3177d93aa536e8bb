"""Context the tagger reads: cue profiles over sections and windows, figures, years, crops."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit.cues import FIGURE, WINDOW, window_profile
from toolkit.model import SpeechTagger
from toolkit.structure import StructureFeatures, _year_relation


def test_the_profile_averages_over_the_nearby_units():
    values = np.arange(10, dtype=float)[:, None]
    result = window_profile(values)[:, 0]
    # Unit 0 sees units 0..WINDOW; unit 9 sees 9-WINDOW..9; unit 5 sees both sides.
    assert result[0] == pytest.approx(values[: WINDOW + 1].mean())
    assert result[9] == pytest.approx(values[9 - WINDOW:].mean())
    assert result[5] == pytest.approx(values[5 - WINDOW: 5 + WINDOW + 1].mean())


@pytest.mark.parametrize("text", ["良种推广面积占总播种面积的百分之八十。", "共有三千六百四十八万亩棉田。",
                                  "一九五九年粮食增产。", "增长6.7%。"])
def test_figures_in_digits_or_chinese_numerals_are_figures(text):
    assert FIGURE.search(text)


@pytest.mark.parametrize("text", ["要加强基层组织建设。", "一是抓好春耕生产。", "同志们："])
def test_ordinals_and_plain_sentences_are_not_figures(text):
    assert not FIGURE.search(text)


def test_a_heading_of_the_year_before_the_plan_year_marks_a_review():
    tops = ["", "一、2013年主要工作", "一、2013年主要工作", "二、2014年重点工作", "三、加强自身建设"]
    assert _year_relation(tops).tolist() == [0, 1, 1, 2, 0]


def test_a_target_year_in_a_heading_marks_nothing():
    tops = ["一、高质高效做好2024年卫生健康工作", "二、到2035年基本建成健康强市"]
    assert _year_relation(tops).tolist() == [0, 0]


def test_the_enclosing_subheading_words_are_features():
    speech = [{"text": t} for t in ["一、2024年重点工作", "（一）切实加强政府自身建设。", "要廉洁从政。"]]
    features = StructureFeatures().fit([speech])
    matrix = features.triplets([speech])
    names = {features.name(column) for column in matrix.columns[matrix.rows == 2]}
    assert "section:廉洁" not in names and "section:建设" in names
    assert "top_section:重点" in names and "top_section:0年" in names


def test_crops_are_runs_of_each_speech_and_repeatable():
    speeches = [[{"text": str(i)} for i in range(50)], [{"text": "x"}] * 5]
    model = SpeechTagger(crop_count=3, random_state=7)
    crops = list(model._crops(speeches))
    assert len(crops) == 3 and all(i == 0 for _, _, i in crops)
    assert all(6 <= end - start <= 40 and 0 <= start < end <= 50 for start, end, _ in crops)
    assert crops == list(SpeechTagger(crop_count=3, random_state=7)._crops(speeches))


def test_training_on_crops_changes_the_model(labelled):
    plain = SpeechTagger(C=4.0).fit(labelled.speeches[:3], labelled.labels[:3])
    cropped = SpeechTagger(C=4.0, crop_count=2).fit(labelled.speeches[:3], labelled.labels[:3])
    assert not np.allclose(plain.predictor_.coef, cropped.predictor_.coef)
