"""Each cleaning rule on short excerpts of the real scraped files."""

from __future__ import annotations

from toolkit.clean import clean_text

HEADER_004 = """仅供学习 禁止外传
酷乐文行
自建平台、实时分享
根据实际需求和形式任务不断迭代
现在订阅立享前3年的所有权益和资料

【打击倒卖活动】
举报倒卖会员资料的人，举报成功免费赠送一年会员材料！
会员群：                      免费QQ群：

在全市卫生健康大会上的讲话
同志们：
这次会议的主要任务是全面贯彻习近平总书记关于卫生健康的重要论述精神。"""


def test_membership_header_block_is_removed_and_title_kept():
    cleaned = clean_text(HEADER_004)
    assert cleaned.text.splitlines() == [
        "在全市卫生健康大会上的讲话",
        "同志们：",
        "这次会议的主要任务是全面贯彻习近平总书记关于卫生健康的重要论述精神。",
    ]
    assert [r.line for r in cleaned.removed] == [1, 2, 3, 4, 5, 7, 8, 9]


def test_site_header_and_footer_lines_are_removed():
    raw = (
        "您好,欢迎访问三七文档\n"
        "当前位置:首页 > 办公文档 > 演讲稿/致辞 > 在全县卫生健康工作会议上的讲话\n"
        "同志们:今天我们召开这次会议,主要任务是总结2021年上半年的工作。\n"
        "本文标题:在全县卫生健康工作会议上的讲话\n"
        "链接地址:https://www.777doc.com/doc-8663269 .html"
    )
    assert clean_text(raw).text == "同志们:今天我们召开这次会议,主要任务是总结2021年上半年的工作。"


def test_copyright_icp_and_menu_lines_are_removed():
    raw = (
        "同志们，让我们共同努力！\n\n移动网页_全站_页脚广告1\n\n"
        "关于我们      便捷服务       自信AI       AI导航        抽奖活动\n\n"
        "©2010-2025 宁波自信网络信息技术有限公司  版权所有\n\n"
        "icp.png浙ICP备2021020529号-1  |  浙B2-20240490\n\n客服"
    )
    assert clean_text(raw).text == "同志们，让我们共同努力！"


def test_preview_fragments_are_rejoined_into_whole_sentences():
    first = "副市长在2024年全市卫生健康工作会议上的讲话 同志们: 根据会议安排,我讲三点意见。" * 3
    raw = (
        f"讲话.docx\n\n1、 {first}一、充分肯定成效,进一步增强\n\n"
        f"2、做好卫生健康工作的责任感、使命感 2023年是开局之年。{'全力推进改革。' * 30}是各界大力支\n\n"
        f"3、持和广大群众共同参与的结果。{'持续提升能力。' * 30}"
    )
    text = clean_text(raw).text
    assert "进一步增强做好卫生健康工作的责任感" in text
    assert "大力支持和广大群众" in text
    assert "2、" not in text and "3、" not in text


def test_real_enumerations_are_not_taken_for_fragments():
    raw = "\n\n".join(f"{n}、{'实施免费孕前优生健康检查项目。' * 20}" for n in range(1, 6))
    assert clean_text(raw).text == raw


def test_trailing_disclaimer_is_cut_from_the_last_sentence():
    raw = "全力推进卫生健康事业高质量发展。 本文为网络搜集整理，仅做参考，如有侵权，请联系删除。"
    cleaned = clean_text(raw)
    assert cleaned.text == "全力推进卫生健康事业高质量发展。"
    assert cleaned.removed[0].reason == "disclaimer"


def test_yaml_front_matter_and_markdown_are_removed():
    raw = "---\ntitle: 云南省2003年政府工作报告\n---\n\n## 一、工作回顾\n\n**过去的五年，是经济持续增长的五年。**全省生产总值年均增长7.4%。"
    assert clean_text(raw).text == "一、工作回顾\n\n过去的五年，是经济持续增长的五年。全省生产总值年均增长7.4%。"


def test_wikisource_footer_is_cut():
    raw = "同志们！伟大的事业必须有坚强的党来领导。\n\n本作品来自1949年10月1日（含）之后的中国共产党文件。\nPublic domain"
    assert clean_text(raw).text == "同志们！伟大的事业必须有坚强的党来领导。"


def test_full_width_spaces_and_leading_quote_marks_are_normalised():
    raw = "　　各位领导，同志们：\n>　　一、20_年全县卫生健康工作回顾"
    assert clean_text(raw).text == "各位领导，同志们：\n一、20_年全县卫生健康工作回顾"


def test_hard_wrapped_long_line_is_joined():
    long_line = "一是切实加强信息平台建设。" * 80 + "并逐"
    assert clean_text(f"{long_line}\n步向中级包、高级包扩展。").text == (
        long_line + "步向中级包、高级包扩展。"
    )


def test_speech_lines_with_weak_keywords_are_kept():
    raw = (
        "9、全面启动适龄妇女免费“两癌”检查。\n"
        "推进异地就医直接结算，深化医保支付方式改革，扩大按病种付费范围，控制医疗费用不合理增长，"
        "加强医保基金监管，严厉打击欺诈骗保行为，推动医保信息平台建设，实现医保账号一码通办。"
    )
    assert clean_text(raw).text == raw
