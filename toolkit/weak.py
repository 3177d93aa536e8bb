"""Weak labelling: rules from speech structure and cue words give silver labels.

Each labelling function looks at one unit in its speech and names a label or
abstains. A unit's silver label is the majority of the votes cast (a tie
abstains). Coverage, overlap and conflict say how far to trust them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from toolkit.labels import cue_class
from toolkit.split import outline

_TERMINATED = re.compile(r"[。！？!?；：:]$")
_PROCEDURE = re.compile(r"^(同志们[：:]|各位[^，。]{0,6}[，,]?同志们[：:])|今天.{0,12}召开|"
                        r"下面.{0,6}讲|主要任务是|表示(衷心|热烈|诚挚)的?(感谢|祝贺|问候)")
_RALLY = re.compile(r"让我们|奋力开创|新的更大贡献|不懈奋斗")
_PROBLEM = re.compile(r"仍然|依然|不足|短板|薄弱|滞后|不够|差距|困难和问题|突出问题|不强|不高")
_RESULT = re.compile(r"(增长|下降|达到|完成|建成|实现|提高到?)[^。]{0,12}(\d|%|X)|(取得|获得)了")
_DIRECTIVE = re.compile(r"^[^，。]{0,10}?(要|必须|务必)"
                        r"(加快|加强|推进|完善|健全|建立|落实|做好|抓好|深化|推动|实施)")


def lf_title(speech, i, section):
    """The first line without closing punctuation is the title."""
    return "other" if i == 0 and not _TERMINATED.search(speech[i]) else None


def lf_procedure(speech, i, section):
    return "other" if _PROCEDURE.search(speech[i]) else None


def lf_rally(speech, i, section):
    """A rally in the last tenth of the speech."""
    return "exhortation" if i >= 0.9 * len(speech) and _RALLY.search(speech[i]) else None


def lf_problem_words(speech, i, section):
    return "problem" if _PROBLEM.search(speech[i]) else None


def lf_result_figures(speech, i, section):
    return "achievement" if _RESULT.search(speech[i]) else None


def lf_directive(speech, i, section):
    return "task" if _DIRECTIVE.search(speech[i]) else None


def lf_section_heading(speech, i, section):
    """Rule 7: the label of the top-level section the unit stands in, from its heading."""
    if not section:
        return None
    announced = cue_class(section[0], heading=True)
    return None if announced == "none" else announced


def lf_cue_words(speech, i, section):
    announced = cue_class(speech[i])
    return None if announced in ("none", "other") else announced


LABELLING_FUNCTIONS: tuple[Callable, ...] = (
    lf_title, lf_procedure, lf_rally, lf_problem_words, lf_result_figures, lf_directive,
    lf_section_heading, lf_cue_words,
)


def weak_labels(speeches: list[list[dict]]) -> tuple[list[list[str | None]], dict]:
    """Silver labels per unit (None where the votes abstain or tie) and statistics."""
    names = [lf.__name__ for lf in LABELLING_FUNCTIONS]
    fired = Counter()
    units = labelled = overlapped = conflicted = 0
    labels = []
    for speech in speeches:
        texts = [unit["text"] for unit in speech]
        speech_labels = []
        for i, (_, section) in enumerate(outline(texts)):
            votes = {name: lf(texts, i, section)
                     for name, lf in zip(names, LABELLING_FUNCTIONS, strict=True)}
            cast = [label for label in votes.values() if label]
            fired.update(name for name, label in votes.items() if label)
            ranked = Counter(cast).most_common()
            label = ranked[0][0] if ranked and (len(ranked) == 1 or
                                                 ranked[0][1] > ranked[1][1]) else None
            units += 1
            labelled += label is not None
            overlapped += len(cast) > 1
            conflicted += len(set(cast)) > 1
            speech_labels.append(label)
        labels.append(speech_labels)
    stats = {
        "units": units,
        "labelled": labelled,
        "coverage": {name: fired[name] / max(units, 1) for name in names},
        "overlap": overlapped / max(units, 1),
        "conflict": conflicted / max(units, 1),
    }
    return labels, stats
