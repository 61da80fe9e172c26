"""Stage ``tokens``: each table's region as a stream of labels, numbers and blank marks."""

from __future__ import annotations

import attrs

from ..errors import LoadError, Problem
from ..formats.spec import Label
from .state import State
from .text import items, region
from .vocab import normalize

__all__ = ["TABLES", "tokens"]

TABLES = ("proactive", "requests", "review_litigation")


def not_a_report(source: str, zh: str, en: str) -> LoadError:
    return LoadError([Problem("GD-LOAD-NOT-REPORT", "", Label(f"不是年度报告：{zh}", f"not a report: {en}"))], source)


def tokens(state: State) -> State:
    lines = list(state.lines)
    streams = {t: tuple(items(region(lines, dict(state.parts), t))) for t in TABLES}
    if not state.parts or not any(i.kind == "text" and normalize(i.text) for s in streams.values() for i in s):
        raise not_a_report(state.source, "找不到六个部分的标题和表格（如“二、主动公开政府信息情况”）",
                           "no part headings and no tables found (such as 二、主动公开政府信息情况)")
    return attrs.evolve(state, streams=streams)
