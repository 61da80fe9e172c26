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
    from ..formats.spec import CellSpec, FormatSpec

__all__ = ["FUNNEL", "METRICS", "TERMS", "Metric", "Term", "formula", "group_sql", "metric_sql", "term_label",
           "term_of"]


@attrs.frozen
class Term:
    id: str
    table: str
    #: a dotted row id: the row itself and every row under it (``withheld`` → its eight sub-rows)
    row: str
    column: str


@attrs.frozen
class Metric:
    id: str
    label: Label
    numerator: tuple[str, ...]
    #: None: the metric is the numerator itself (a count); otherwise a ratio of the sums
    denominator: tuple[str, ...] | None = None


_T3 = "requests"
_T4 = "review_litigation"
_T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
TERMS: tuple[Term, ...] = (
    *(Term(row, _T3, row, "total") for row in (
        "received", "carried_over", "granted", "partially_granted", "withheld", "unable", "not_processed", "other")),
    Term("handled", _T3, "total", "total"),
    Term("carried_forward", _T3, "carried_forward", "total"),
    *(Term(f"review_{c}", _T4, "review", c) for c in _T4_COLUMNS),
    *(Term(f"litigation_{c}", _T4, "litigation", c) for c in _T4_COLUMNS),
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


def term_label(spec: FormatSpec, term_id: str) -> Label:
    """A term's name in the form's own words: the row's label (or its group's), and the column's
    where it is not the total column."""
    term = next(t for t in TERMS if t.id == term_id)
    for cell in spec.cells():
        if term_of(cell) != term_id:
            continue
        exact = cell.row_id == term.row
        label = cell.row.label if exact else cell.group_labels[-1]
        if term.column == "total":
            return label
        return Label(f"{label.zh} · {cell.column.label.zh}", f"{label.en} · {cell.column.label.en}")
    return Label(term_id, term_id)


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


def metrics_markdown(spec: FormatSpec) -> str:
    """The terms and metrics as the Markdown tables docs/audit.md carries (a test keeps them equal)."""
    lines = ["| term | 表格中的单元格 / cells (2021 format) |", "|---|---|"]
    for term in TERMS:
        cells = [c for c in spec.cells() if term_of(c) == term.id]
        rows = sorted({c.row_id for c in cells})
        where = f"{cells[0].table.id}: " + ", ".join(f"`{r}`" for r in rows) + f" · `{term.column}`" if cells else "—"
        lines.append(f"| `{term.id}` | {term_label(spec, term.id).zh} — {where} |")
    lines += ["", "| metric | 指标 | formula (null when a term is null or the denominator is 0) |", "|---|---|---|"]
    for m in METRICS:
        lines.append(f"| `{m.id}` | {m.label.zh} | `{formula(m)}` |")
    return "\n".join(lines)
