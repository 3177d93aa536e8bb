"""The five labels of LABELING.md and the cue words that signal each of them."""

from __future__ import annotations

import re

LABELS = ("achievement", "problem", "task", "exhortation", "other")
# The names a Chinese reader sees, and the page's colours (Okabe–Ito, safe for colour-blind
# readers); toolkit/static/style.css and render.js repeat them, and a test keeps them equal.
CHINESE_NAMES = {"achievement": "成绩", "problem": "问题", "task": "任务", "exhortation": "号召",
                 "other": "其他"}
COLOURS = {"achievement": "#009e73", "problem": "#d55e00", "task": "#0072b2",
           "exhortation": "#cc79a7", "other": "#8c8c8c"}

# Cue words by the label they point to, in the words of the labelling guide's
# decision rules: results and past tense, gaps and risks, work to be done,
# calls about attitude, and meeting procedure.
CUES: dict[str, tuple[str, ...]] = {
    "achievement": (
        "了", "取得", "实现", "增长", "完成", "达到", "提高到", "下降", "成效", "成绩", "圆满",
        "顺利", "累计", "同比", "已", "已经", "先后", "建成", "获得", "荣获", "被评为", "通过",
        "过去", "去年", "一年来", "近年来", "五年来", "收官", "突破", "明显", "显著", "位居",
    ),
    "problem": (
        "仍然", "依然", "不足", "短板", "问题", "差距", "薄弱", "不够", "不强", "不高", "困难",
        "矛盾", "风险", "挑战", "滞后", "缺乏", "匮乏", "不平衡", "不充分", "不到位", "制约",
        "隐患", "欠缺", "较低", "偏低", "严峻", "压力", "不稳", "不畅", "缓慢", "弱化", "不明显",
    ),
    "task": (
        "要", "必须", "确保", "加快", "推进", "加强", "深化", "完善", "健全", "建立", "实施",
        "落实", "开展", "做好", "抓好", "推动", "强化", "提升", "着力", "进一步", "力争", "今年",
        "下一步", "重点", "目标", "继续", "持续", "全面", "启动", "争取",
        # Concrete objects of work (rule 4): programmes, mechanisms, targets.
        "制度", "机制", "体系", "工程", "项目", "平台", "试点", "行动", "计划", "规划", "标准",
        "指标", "亿元", "万元", "覆盖", "改造", "新建", "建成投用",
    ),
    "exhortation": (
        "同志们", "让我们", "希望", "统一到", "思想和行动", "信心", "决心", "奋力", "开创",
        "新局面", "贡献", "作风", "纪律", "廉政", "担当", "凝心聚力", "真抓实干", "团结", "振奋",
        "锐意进取", "求真务实", "责任感", "使命感", "不折不扣", "贯彻落实", "学习领会", "精神",
        # Attitude, conduct and resolve without a work item (rule 5).
        "思想", "观念", "意识", "自觉", "清醒", "忧患", "干劲", "斗志", "拼搏", "奋斗", "实干",
        "宗旨", "初心", "使命", "忠诚", "干净", "廉洁", "自律", "表率", "形象", "风气", "牢记",
        "坚定不移", "毫不动摇", "万众一心", "齐心协力", "同心同德", "勇于", "敢于", "善于",
    ),
    "other": (
        "会议", "今天", "召开", "讲话", "代表", "感谢", "祝贺", "问候", "刚才", "下面",
        "几点意见", "主要任务是", "指出", "强调", "总书记", "意义", "我们党",
        # Doctrine, significance and background (the guide's other sectors and genres).
        "主义", "理论", "规律", "本质", "历史", "必然", "根本保障", "关键之年", "重要组成部分",
        "实践证明", "事实证明", "我们认为", "主张", "各位代表", "机遇",
    ),
}

# Words in a section heading that announce what the section holds (rule 6/7).
HEADING_CUES: dict[str, tuple[str, ...]] = {
    "achievement": ("回顾", "成绩", "成效", "硕果", "肯定", "总结", "过去", "取得"),
    "problem": ("问题", "不足", "困难", "正视", "清醒", "差距", "形势", "短板", "挑战"),
    "task": (
        "安排", "部署", "重点", "任务", "目标", "思路", "举措", "措施", "推进", "加快", "明确",
    ),
    "exhortation": ("精神", "作风", "保障", "责任", "纪律", "组织领导", "落实会议"),
}

_PATTERNS = {
    label: re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
    for label, words in {**CUES, **{f"heading:{k}": v for k, v in HEADING_CUES.items()}}.items()
}


def cue_counts(text: str, heading: bool = False) -> dict[str, int]:
    """How many cue words of each label ``text`` holds; ``heading`` uses the heading lexicon."""
    labels = HEADING_CUES if heading else CUES
    prefix = "heading:" if heading else ""
    return {label: len(_PATTERNS[prefix + label].findall(text)) for label in labels}


def cue_class(text: str, heading: bool = False) -> str:
    """The label whose cues dominate ``text``, or ``"none"`` when no cue or a tie."""
    counts = cue_counts(text, heading)
    best = max(counts.values())
    winners = [label for label, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else "none"
