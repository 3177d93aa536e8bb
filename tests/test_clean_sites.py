"""Chrome of sites the cleaner had not met: one fixture per pattern, every speech line kept.

The fixtures are written for these tests; each mixes the pattern with speech lines
that look like it (a heading, a figure, a sentence naming 微信 or a date), which
must survive.
"""

from __future__ import annotations

import pytest

from toolkit.clean import clean_text
from toolkit.speech import speeches_from_text

SPEECH = [
    "在全县农业农村工作会议上的讲话",
    "同志们：",
    "今天召开全县农业农村工作会议，主要任务是总结去年工作，部署今年任务。",
    "一、2023年工作回顾",
    "去年，全县粮食总产量达到31.2万吨，增长2.4%。",
    "二、2024年重点工作",
    "要开通“三农”微信公众号，及时发布农技服务信息。",
    "同志们，让我们凝心聚力，奋力开创农业农村工作新局面！",
]


def body(*lines: str) -> str:
    return "\n".join(lines)


CASES = {
    "editor's note": body("以下是小编为大家整理的在全县农业农村工作会议上的讲话，供您参考。", *SPEECH),
    "editor's note (多篇)": body("下面是范文网小编收集整理的讲话稿范文，希望对您有所帮助，欢迎阅读。",
                                 *SPEECH),
    "metadata lines": body(SPEECH[0], "时间：2024-02-26 来源：网友投稿 作者：佚名",
                           "发表时间：2024-02-26 16:30", *SPEECH[1:]),
    "breadcrumb": body("您的位置：首页 > 范文大全 > 讲话稿 >>正文", *SPEECH),
    "page counters": body(SPEECH[0] + "_第1页", *SPEECH[1:5], SPEECH[5] + "_第2页",
                          SPEECH[0] + "_第2页", *SPEECH[6:]),
    "site name in page title": body(SPEECH[0] + "_某县农业农村局", *SPEECH),
    "newspaper source line": body(*SPEECH, "（《人民日报》19600407第2版）"),
    "download-site notice": body(*SPEECH[:6], "2、部分文档仅提供局部预览，下载后如发现内容缺失可提交反馈。",
                                 *SPEECH[6:]),
    "preview ended": body(*SPEECH[:5], "全文预览已结束", "下载文档到电脑，查找使用更方便", *SPEECH[5:]),
    "remaining pages": body(*SPEECH[:6], "还剩3页未读，继续阅读全文", *SPEECH[6:]),
    "document summary": body("文档简介", "本文是某县领导在农业农村工作会议上的讲话，共三部分。", *SPEECH),
    "table of contents": body(SPEECH[0], "目录", "一、2023年工作回顾……1", "二、2024年重点工作……3",
                              *SPEECH[1:]),
    "numbered download notices": body(
        *SPEECH, "1、下载文档前请自行甄别文档内容的完整性，平台不提供额外的编辑、内容补充、找答案等附加服务。",
        "2、“仅部分预览”的文档，不可在线预览部分如存在完整性等问题，可反馈申请退款。",
        "3、本文档由用户上传，版权归属用户，如有侵权请联系删除。"),
    "WORD edition title": body(SPEECH[0] + "—WORD版", *SPEECH[1:]),
    "editable title": body(SPEECH[0] + "（WORD版可编辑）", *SPEECH[1:]),
    "title printed twice": body(SPEECH[0], "2024-02-26", *SPEECH),
    "related articles": body(*SPEECH, "相关文章：", "在全县安全生产工作会议上的讲话",
                             "在全市乡村振兴推进会上的讲话", "县委书记在农村工作会议上的讲话提纲"),
    "previous and next": body(*SPEECH, "上一篇：在全县教育工作会议上的讲话",
                              "下一篇：在全县春耕生产动员会上的讲话"),
    "share bar": body(SPEECH[0], "分享到：微信 微博 QQ空间 复制链接", *SPEECH[1:]),
    "advert mid-text": body(*SPEECH[:5], "【广告】限时优惠，开通会员下载全部范文，点击领取", *SPEECH[5:]),
    "follow-us mid-text": body(*SPEECH[:4], "扫码关注公众号，获取更多范文", *SPEECH[4:]),
    "glossary appendix": body(*SPEECH, "附：名词解释", "“三农”：农业、农村、农民。",
                              "高标准农田：土地平整、集中连片、旱涝保收的农田。"),
    "HTML comment": body(SPEECH[0], "<!-- 县长在会上作讲话。", "-->", *SPEECH[1:]),
}


@pytest.mark.parametrize("raw", CASES.values(), ids=CASES.keys())
def test_chrome_is_removed_and_every_speech_line_kept(raw):
    cleaned = clean_text(raw)
    assert [line for line in cleaned.text.splitlines() if line] == SPEECH
    assert cleaned.removed, "every removal is reported"


def test_spaced_out_title_above_a_share_bar_is_kept():
    raw = body("在 全 县 农 业 农 村 工 作 会 议 上 的 讲 话", "分享到：微信 微博 QQ空间", *SPEECH[1:])
    assert clean_text(raw).text.splitlines() == SPEECH


def test_spaced_out_title_is_joined_and_sentences_untouched():
    raw = body("在 全 县 信 访 工 作 会 议 上 的 讲 话", "同 志 们 ：", "这是 2024 年的 第一次会议。")
    assert clean_text(raw).text.splitlines() == [
        "在全县信访工作会议上的讲话", "同志们：", "这是 2024 年的 第一次会议。"]


PDF_WRAPPED = """在全县信访工作会议上的讲话
同志们：
今天召开全县信访工作会议，主要任务是总结去年信访工
作，分析当前形势，部署今年重点任务；过去一年，全县信
访总量下降12.3%，初信初访一次性化解率达到91%，没有发
生到省进京重复访。
一、压实责任
要落实领导干部接访下访制度，县级领导每月至少接访一
次，乡镇党政主要负责同志每周接访不少于一天。"""


def test_pdf_page_width_breaks_are_rejoined_into_sentences():
    units = [unit.text for unit in speeches_from_text(PDF_WRAPPED, "pdf")[0].units]
    assert units == [
        "在全县信访工作会议上的讲话",
        "同志们：",
        "今天召开全县信访工作会议，主要任务是总结去年信访工作，分析当前形势，部署今年重点任务；过去一年，全县信访总量下降12.3%，初信初访一次性化解率达到91%，没有发生到省进京重复访。",
        "一、压实责任",
        "要落实领导干部接访下访制度，县级领导每月至少接访一次，乡镇党政主要负责同志每周接访不少于一天。",
    ]


def test_short_lines_of_a_normal_speech_are_not_joined():
    raw = body(*SPEECH[:4], "（一）粮食生产", "（二）乡村建设", *SPEECH[4:])
    assert clean_text(raw).text.splitlines() == [*SPEECH[:4], "（一）粮食生产", "（二）乡村建设",
                                                 *SPEECH[4:]]


def test_a_heading_that_recurs_in_the_body_is_kept():
    raw = body(SPEECH[0], "一、2023年工作回顾", *SPEECH[1:])
    assert clean_text(raw).text.splitlines()[1] == "一、2023年工作回顾"
    assert clean_text(raw).text.splitlines().count("一、2023年工作回顾") == 2


def test_numbered_download_notices_do_not_become_headings():
    raw = CASES["numbered download notices"]
    units = speeches_from_text(raw, "notices")[0].units
    assert [unit.text for unit in units][-1] == SPEECH[-1]
    assert not any("下载" in unit.text for unit in units)


def test_an_excerpts_cut_off_last_sentence_with_a_site_word_is_kept():
    cut = "对登记住所与实际经营地不一致、长期未办理变更注册的市场主体，要逐户"
    assert clean_text(body(*SPEECH, cut)).text.splitlines() == [*SPEECH, cut]
