"""The metrics a supervisor or researcher computes by hand, declared once as data.

A *term* is a named quantity of one report: the sum of some cells (table, rows under a row id, one
column).  It is null when any of its cells is blank: a blank is never read as 0.  A *metric* is a
term, or a ratio of sums of terms.  From these declarations come the store's SQL views
(``report_terms``, ``report_numbers``, ``report_metrics``, ``group_metrics``) and the formulas in
docs/audit.md; nothing else states them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ..formats.spec import Label

if TYPE_CHECKING:
    from ..formats.spec import CellSpec

__all__ = ["METRICS", "TERMS", "Metric", "Term", "formula", "metric_sql", "term_of"]


@attrs.frozen
class Term:
    id: str
    table: str
    #: a dotted row id: the row itself and every row under it (``withheld`` → its eight sub-rows)
    row: str
    column: str
    label: Label


@attrs.frozen
class Metric:
    id: str
    label: Label
    numerator: tuple[str, ...]
    #: None: the metric is the numerator itself (a count); otherwise a ratio of the sums
    denominator: tuple[str, ...] | None = None


_T3 = "requests"
_T4 = "review_litigation"
TERMS: tuple[Term, ...] = (
    Term("received", _T3, "received", "total", Label("本年新收申请", "requests received")),
    Term("carried_over", _T3, "carried_over", "total", Label("上年结转", "carried over from last year")),
    Term("granted", _T3, "granted", "total", Label("予以公开", "granted")),
    Term("partially_granted", _T3, "partially_granted", "total", Label("部分公开", "partially granted")),
    Term("withheld", _T3, "withheld", "total", Label("不予公开", "withheld")),
    Term("unable", _T3, "unable", "total", Label("无法提供", "unable to provide")),
    Term("not_processed", _T3, "not_processed", "total", Label("不予处理", "not processed")),
    Term("other", _T3, "other", "total", Label("其他处理", "other handling")),
    Term("handled", _T3, "total", "total", Label("办理结果总计", "handled (total of results)")),
    Term("carried_forward", _T3, "carried_forward", "total", Label("结转下年度", "carried forward")),
    *(Term(f"review_{c}", _T4, "review", c, Label(f"行政复议·{zh}", f"review {c}"))
      for c, zh in (("upheld", "维持"), ("corrected", "纠正"), ("other", "其他"), ("pending", "未审结"),
                    ("total", "总计"))),
    *(Term(f"litigation_{c}", _T4, "litigation", c, Label(f"行政诉讼·{zh}", f"litigation {c}"))
      for c, zh in (("upheld", "维持"), ("corrected", "纠正"), ("other", "其他"), ("pending", "未审结"),
                    ("total", "总计"))),
)

METRICS: tuple[Metric, ...] = (
    Metric("received", Label("收到申请数", "applications received"), ("received",)),
    Metric("handled", Label("办理数", "applications handled"), ("handled",)),
    Metric("disclosure_rate", Label("公开率", "disclosure rate"), ("granted", "partially_granted"), ("handled",)),
    Metric("withheld_share", Label("不予公开占比", "share withheld"), ("withheld",), ("handled",)),
    Metric("unable_share", Label("无法提供占比", "share unable to provide"), ("unable",), ("handled",)),
    Metric("review_correction_rate", Label("复议纠错率", "review correction rate"), ("review_corrected",),
           ("review_upheld", "review_corrected", "review_other")),
    Metric("litigation_correction_rate", Label("诉讼纠错率", "litigation correction rate"), ("litigation_corrected",),
           ("litigation_upheld", "litigation_corrected", "litigation_other")),
)

#: the request-outcome funnel, in order (received → the six kinds of result)
FUNNEL: tuple[str, ...] = ("received", "granted", "partially_granted", "withheld", "unable", "not_processed", "other")


def term_of(cell: CellSpec) -> str | None:
    """The term a cell counts towards (None: no metric uses it).

    Table 4's two lawsuit groups (未经复议直接起诉, 复议后起诉) make one term each per column."""
    for term in TERMS:
        if cell.table.id != term.table or cell.column.id != term.column:
            continue
        row = cell.row_id
        if term.row == "litigation":
            if row.startswith("litigation_"):
                return term.id
        elif row == term.row or row.startswith(term.row + "."):
            return term.id
    return None


def _sum(terms: tuple[str, ...], prefix: str = "") -> str:
    return " + ".join(f"{prefix}{t}" for t in terms)


def formula(metric: Metric) -> str:
    """The metric's formula in words of its terms (for the docs)."""
    if metric.denominator is None:
        return _sum(metric.numerator)
    return f"({_sum(metric.numerator)}) / ({_sum(metric.denominator)})"


def metric_sql(metric: Metric, row: str = "n.") -> str:
    """The per-report SQL expression: null when a term is null or the denominator is 0."""
    num = _sum(metric.numerator, row)
    if metric.denominator is None:
        return num
    den = _sum(metric.denominator, row)
    return f"CASE WHEN ({den}) > 0 THEN 1.0 * ({num}) / ({den}) END"


def group_sql(metric: Metric, row: str = "n.") -> tuple[str, str]:
    """(value, reports counted) over a group: the ratio of the summed parts over the reports where
    every term is known (a count: the sum over the reports where it is known)."""
    terms = (*metric.numerator, *(metric.denominator or ()))
    known = " AND ".join(f"{row}{t} IS NOT NULL" for t in terms)
    num = f"SUM(CASE WHEN {known} THEN {_sum(metric.numerator, row)} END)"
    if metric.denominator is None:
        return num, f"SUM(CASE WHEN {known} THEN 1 ELSE 0 END)"
    den = f"SUM(CASE WHEN {known} THEN {_sum(metric.denominator, row)} END)"
    return f"1.0 * {num} / NULLIF({den}, 0)", f"SUM(CASE WHEN {known} THEN 1 ELSE 0 END)"
