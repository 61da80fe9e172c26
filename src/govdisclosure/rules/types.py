"""How a rule is declared: a balance (:class:`Equation`) or a function (:class:`Check`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Union

import attrs

from ..findings import Finding, Severity
from ..formats.spec import Label

if TYPE_CHECKING:
    from ..formats.spec import FormatSpec
    from ..model import Report

__all__ = ["Check", "Columns", "Equation", "Leaves", "Rule", "Term"]

CODE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


def _check_code(_inst: Any, _attr: Any, value: str) -> None:
    if not CODE.match(value):
        raise ValueError(f"rule code {value!r} does not match {CODE.pattern}")


@attrs.frozen(kw_only=True)
class Rule:
    """What every rule declares.

    ``message`` holds ``str.format`` templates in Chinese and English, filled from the
    finding's params.  ``formats`` / ``variants`` restrict where the rule applies (None: all).
    ``scope="series"`` rules compare a report with the same agency's previous one.
    """

    code: str = attrs.field(validator=_check_code)
    severity: Severity
    description: Label
    message: Label
    formats: frozenset[str] | None = attrs.field(default=None, converter=lambda v: None if v is None else frozenset(v))
    variants: frozenset[str] | None = attrs.field(default=None, converter=lambda v: None if v is None else frozenset(v))
    scope: Literal["report", "series"] = "report"

    def applies_to(self, report: "Report") -> bool:
        return self.applies_to_format(report.spec)

    def applies_to_format(self, spec: "FormatSpec") -> bool:
        return (self.formats is None or spec.version in self.formats) and (
            self.variants is None or spec.variant in self.variants)


# ----------------------------------------------------------------------------- equations


@attrs.frozen
class Leaves:
    """Every row under a group (by group id or heading name), except some: a selector of rows."""

    group: str
    exclude: tuple[str, ...] = ()


@attrs.frozen
class Columns:
    """Every column of the block, except some: a selector of columns."""

    exclude: tuple[str, ...] = ()


Selector = Union[str, Leaves, Columns]


@attrs.frozen
class Term:
    """One side's items: a row or column id (dotted), or a selector, from this or last year's report."""

    select: Selector
    weight: int = 1
    previous: bool = False  #: take the cell from the previous year's report


def _terms(items: Iterable[Selector | Term]) -> tuple[Term, ...]:
    return tuple(t if isinstance(t, Term) else Term(t) for t in items)


@attrs.frozen(kw_only=True)
class Equation(Rule):
    """A balance ``sum(left) = sum(right)``, checked once per column or once per row.

    ``over="columns"``: the terms name rows; the equation holds in every column of ``table``
    (or each of ``along``).  ``over="rows"``: the terms name columns; it holds in every row of
    the table (or each of ``along``).  Like an XBRL summation, a blank cell is never counted as 0:
    an equation with blanks is an error only when the blanks could not make it balance, and is
    otherwise reported as not fully checked (``GD-UNCHECKED``).

    Message params: ``at`` (the column or row label), ``left``/``right`` (the two sums),
    ``left_name``/``right_name`` (this rule's names for the sides), ``diff``.
    """

    table: str
    over: Literal["columns", "rows"]
    left: tuple[Term, ...] = attrs.field(converter=_terms)
    right: tuple[Term, ...] = attrs.field(converter=_terms)
    along: tuple[str, ...] | None = None
    left_name: Label | None = None
    right_name: Label | None = None
    #: blank cells that this equation may fill in (``govdisclosure fill``); only sums qualify
    derives: bool = False


class Context:
    """Given to a :class:`Check`: makes findings carrying the rule's code, severity and message,
    and shares what one run has already read from the report between the rules."""

    __slots__ = ("rule", "memo")  # made once per rule per report: kept light

    def __init__(self, rule: "Check", memo: dict[Any, Any] | None = None) -> None:
        self.rule = rule
        self.memo = {} if memo is None else memo

    def values(self, report: "Report", table: str | None = None) -> tuple[Any, ...]:
        """``report.values(table)``, read once per run."""
        from .engine import table_values

        return table_values(report, table, self.memo)

    def finding(self, *, pointer: str = "", pointers: Iterable[str] = (), labels: Iterable[str] = (),
                **params: Any) -> Finding:
        ptrs = tuple(pointers) or ((pointer,) if pointer else ())
        return Finding(
            code=self.rule.code, severity=self.rule.severity, pointer=pointer, pointers=ptrs,
            labels=tuple(labels), params=params,
            message=Label(self.rule.message.zh.format(**params), self.rule.message.en.format(**params)),
        )


@attrs.frozen(kw_only=True)
class Check(Rule):
    """A rule written as a function.

    ``check(report, ctx)`` (or ``check(report, previous, ctx)`` when ``scope="series"``)
    yields findings made with ``ctx.finding(pointer=..., **params)``.
    """

    check: Callable[..., Iterable[Finding]]
