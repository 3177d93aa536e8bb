"""What page chrome looks like: the line-level signals the cleaner acts on.

Each pattern comes from a kind of site that republishes speeches: document
shops, essay ("范文") sites, news portals, PDF conversions. A strong mark makes
a line chrome wherever it stands; weak marks count only in short lines or in
numbers, because alone in a sentence they may be speech ("微信公众号" can be
a work item).
"""

from __future__ import annotations

import re

# Lines with these are page chrome wherever they stand and however long they are.
STRONG = re.compile(
    r"ICP备|公网安备|©|版权所有|本站|本文标题|链接地址|当前位置|欢迎访问|下载积分|下载记录|快捷下载|"
    r"开通VIP|会员权益|客服电话|投诉电话|页脚广告|版权申诉|侵权必究|ImageVerifierCode|网站客服|"
    r"本文档|用户上传|上传会员|本平台|\.(docx?|pdf|pptx?)$|"
    r"您的位置|您现在的位置|所在位置[:：]|>>\s*正文|"
    r"全文预览已结束|下载文档到电脑|还剩\d+页未读|继续阅读全文|下载文档前|自行甄别|"
    r"文档内容的完整性|不提供额外的编辑|请勿用于商业|点击领取|限时优惠|更多范文|范文网|"
    r"关注公众号|部分预览|预览部分|申请退款|文档.{0,20}(下载|预览)|(下载|预览).{0,20}文档|"
    r"^[（(]《[^》]{2,12}》\s*\d{4,8}.{0,8}版[)）]$|^【广告】|^广告[:：]|^文档简介[:：]"
)
# Page chrome in a short line, or where several meet; alone in a sentence they may be speech.
WEAK = re.compile(
    r"https?://|www\.|[\w.]+@[\w.]+\.(com|cn|net)|登录|注册|下载|VIP|会员|客服|验证码|密码|账号|"
    r"支付宝|支付方式|付费|金币|积分|二维码|扫码|关注我们|公众号|QQ|微信|抖音|微博|订阅|举报|倒卖|"
    r"禁止外传|仅供学习|温馨提示|特别说明|权利声明|注意事项|广告|反馈|发票|首页|上一篇|下一篇|"
    r"相关推荐|阅读全文|收藏|分享到|点击|换一换|页数|格式:|大小:|充值|退款|水印|侵权"
)
SHORT = 60

# An editor's note of an essay site: "以下是小编整理的……，供您参考".
EDITOR_NOTE = re.compile(
    r"^(以下是|下面是|这是|本文是).{0,60}?(整理|收集|精选|分享|推荐|带来)"
    r".{0,80}?(参考|借鉴|阅读|帮助|喜欢)"
)
# Article metadata: "时间：2023-03-08 来源：网友投稿", "发表时间：…", "作者：… 浏览次数：…".
METADATA = re.compile(
    r"^((发表|发布|更新|上传|录入)?(时间|日期)[:：]\s*\d{4}|(来源|出处)[:：].{0,30}(投稿|网|作者)|"
    r"(作者|编辑|责任编辑|浏览次数|阅读次数|点击数|点击次数|字号)[:：]|"
    r"\d{4}[-/]\d{1,2}[-/]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?$)"
)
# Navigation: "上一篇：…", "下一篇：…", "上一页 1 2 3 下一页", "第1页 共3页".
NAVIGATION = re.compile(
    r"^(上一篇|下一篇|上一页|下一页|首页|尾页)|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$"
)
# A list of other articles: the header, then title lines.
RELATED_HEADER = re.compile(
    r"^(相关(文章|阅读|推荐|范文|链接)|推荐(阅读|文章)|猜你喜欢|热门(文章|推荐|范文)|延伸阅读|"
    r"更多(精彩|相关)|精选范文)\s*[:：]?\s*$"
)
# A document shop's summary header, alone on its line.
SUMMARY_HEADER = re.compile(r"^(文档简介|内容简介|文档介绍)\s*$")
# A table of contents: "目录", "提纲", "目 录".
CONTENTS_HEADER = re.compile(r"^(目\s*录|提\s*纲|内容提要)\s*[:：]?\s*$")
# Suffixes a download site appends to a title or line: "_第1页", "—WORD版", "（可编辑）".
TITLE_SUFFIX = re.compile(
    r"(_第\d+页|\s*[—–\-－]+\s*[Ww][Oo][Rr][Dd]版.*|\s*[（(【\[]\s*([Ww][Oo][Rr][Dd]版)?\s*"
    r"(可编辑|可修改|[Ww][Oo][Rr][Dd]版)[^）)】\]]{0,8}[）)】\]]|\s*[Ww][Oo][Rr][Dd]格式)$"
)
# A page counter a document site appends to each page's header: "…讲话_第2页".
PAGE_COUNTER = re.compile(r"_第(\d+)页$")
# A page title with the site's or publisher's name: "在全市审计工作会议上的讲话_某市审计局".
SITE_TITLE = re.compile(r"^(.{6,}?)\s*[_｜|]\s*[^_｜|]{2,20}$")
# Characters spaced out by a PDF converter: "在 全 县 信 访 工 作 会 议 上 的 讲 话".
SPACED_OUT = re.compile(r"^(?:[\u4e00-\u9fff\u3000-\u303f\uff01-\uff1f] ){3,}[^ ]$")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def chrome_reason(line: str) -> str | None:
    """Why ``line`` is page chrome, or None when it may be speech."""
    if STRONG.search(line):
        return "site chrome"
    if EDITOR_NOTE.search(line):
        return "editor's note"
    if len(line) <= 120 and (METADATA.search(line) or NAVIGATION.search(line)):
        return "article metadata"
    if len(line) > 200:
        # Longer page chrome (rights notices) always carries a strong mark.
        return None
    hits = {match.group(0) for match in WEAK.finditer(line)}
    sentence = line.endswith("。")
    crowded = len(hits) >= (4 if sentence else 2)
    # A clause with commas is prose (an excerpt's cut-off last sentence), not a link or label.
    prose = "，" in line and len(line) > 20
    if crowded or (hits and not prose and len(line) <= SHORT and not re.search("[。？]$", line)):
        return "site chrome"
    if is_menu(line):
        return "menu"
    return None


def is_menu(line: str) -> bool:
    """A row of short items separated by wide spaces or bars: a site menu or share bar."""
    items = [item for item in re.split(r"\s{2,}|\s*\|\s*", line) if item]
    return (
        len(items) >= 3
        and all(2 <= len(item) <= 8 for item in items)
        and not re.search("[。，]", line)
    )


def is_title_like(line: str) -> bool:
    """A short line that ends no sentence: a title, heading or list entry."""
    return 0 < len(line) <= 60 and not re.search("[。！？!?；]$", line)
