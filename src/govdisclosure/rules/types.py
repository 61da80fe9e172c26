"""How a rule is declared: a balance (:class:`Equation`) or a function (:class:`Check`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, Union, get_args

import attrs

from ..errors import DeclarationError
from ..findings import Finding, Severity
from ..labels import Label
from .values import (  # noqa: F401 - here too, where they were declared
    _COMPLETE,
    _KNOWN,
    _kinds,
    _official_labels,
    _plain,
    _slices,
    cell_holds,
    run_complete,
    run_suspect,
    run_values,
)

if TYPE_CHECKING:
    from ..formats.spec import FormatSpec
    from ..model import Report
    from ..registry import Registry

__all__ = ["BatchCheck", "Check", "Columns", "Context", "Equation", "Leaves", "OptionKind", "ReportCheck", "Rule",
           "RuleContext", "Scope", "SeriesCheck", "Term"]

CODE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")

#: where a rule looks: one report; a report and the same agency's previous one; every report of a run
Scope = Literal["report", "series", "batch"]


def _check_code(_inst: Any, _attr: Any, value: str) -> None:
    if not isinstance(value, str) or not CODE.match(value):
        raise DeclarationError(f"rule code {value!r} does not match {CODE.pattern} (e.g. MYPROV-OTHER-DOCS)")


def _severity(value: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise DeclarationError(f"severity {value!r} is not one of {', '.join(s.value for s in Severity)}") from None


def _scope(_inst: Any, _attr: Any, value: str) -> None:
    if value not in ("report", "series", "batch"):
        raise DeclarationError(f"scope {value!r} is not one of report, series, batch")


#: what a user may set an option to (``Rule.option_kinds``), said where the default's own value does
#: not say it: a number of any sign, a whole number of any sign, a count (whole, not negative), a number
#: not negative, a share (0 to 1), any text, a list of texts; a regular expression (or a list of them: each
#: compiles, with as many groups as the default's); words of a closed set (a part's, a table's or an agency
#: level's id, a cell's pointer, or a list of them); anything ("any": not checked).  For an option whose
#: default is empty, an example value stands for its shape instead (``[["旧名", "新名"]]``).
OptionKind = Literal["number", "whole", "count", "non_negative", "share", "text", "texts", "regex", "regexes",
                     "part", "parts", "table", "tables", "level", "levels", "cell", "cells", "any"]
OPTION_KINDS: frozenset[str] = frozenset(get_args(OptionKind))


def _check_kinds(inst: Any, _attr: Any, value: Mapping[str, Any]) -> None:
    for key, kind in value.items():
        if key not in inst.options:
            raise DeclarationError(f"option_kinds names {key!r}, which is not one of the rule's options")
        if isinstance(kind, (list, dict)):
            if not kind:
                raise DeclarationError(f"the example of {key!r} in option_kinds is empty: it shows no shape")
        elif kind not in OPTION_KINDS:
            raise DeclarationError(f"option kind {kind!r} of {key!r} is not one of {', '.join(sorted(OPTION_KINDS))}, "
                                   f"nor an example list or table")


def extended(base: Any, extra: Any) -> Any:
    """``base`` with what is listed under ``add.<key>`` for it: a list's items appended, a table's keys
    merged in (recursively); any other value replaced."""
    if extra is None:
        return base
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        out = dict(base)
        for k, v in extra.items():
            out[k] = extended(out.get(k), v) if k in out else v
        return out
    if isinstance(base, Sequence) and not isinstance(base, str):
        return [*base, *extra]
    return extra


def _codes(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen(kw_only=True)
class Rule:
    """What every rule declares.

    ``message`` holds ``str.format`` templates in Chinese and English, filled from the
    finding's params (a param that is a :class:`Label` is written in each language).
    ``severity`` may be given as its name ("warning").  ``formats`` / ``variants`` restrict where
    the rule applies (None: all).  ``scope="series"`` rules compare a report with the same
    agency's previous one; ``scope="batch"`` rules see every report of a run at once.
    """

    code: str = attrs.field(validator=_check_code)
    severity: Severity = attrs.field(converter=_severity)
    description: Label
    message: Label
    formats: frozenset[str] | None = attrs.field(default=None, converter=_codes)
    variants: frozenset[str] | None = attrs.field(default=None, converter=_codes)
    scope: Scope = attrs.field(default="report", validator=_scope)
    #: thresholds and word lists the rule reads through ``ctx.options``; a user's ``--rules-config``
    #: overrides them per code
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: what a user may set an option to, where its default does not say it (:data:`OptionKind`):
    #: without one, a user's value must be of the default's kind, and a number between 0 and 1 is a
    #: share, a number 0 or more is never negative, a word that names a part (table, level, cell) must
    #: name one — ``option_kinds={"factor": "number", "mode": "text"}`` lifts that
    option_kinds: Mapping[str, OptionKind | list[Any] | dict[str, Any]] = attrs.field(
        factory=dict, hash=False, validator=_check_kinds)
    #: which pairs a series rule runs on: the same agency's reports of consecutive years (a pair that is not,
    #: GD-X-SERIES says so, and the other rules would compare unlike things), or ``"any"`` pair given
    pairs: Literal["consecutive", "any"] = "consecutive"

    def applies_to(self, report: Report) -> bool:
        return self.applies_to_format(report.spec)

    def applies_to_format(self, spec: FormatSpec) -> bool:
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


Selector = Union[str, Leaves, Columns]  # noqa: UP007 - an alias used at run time (isinstance), kept a Union


@attrs.frozen
class Term:
    """One side's items: a row or column id (dotted), or a selector, from this or last year's report."""

    select: Selector
    weight: int = 1
    previous: bool = False  #: take the cell from the previous year's report


def _terms(items: Iterable[Selector | Term]) -> tuple[Term, ...]:
    return tuple(t if isinstance(t, Term) else Term(t) for t in items)


@attrs.frozen(kw_only=True, cache_hash=True)  # the engine's per-format plans are keyed by it
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


class RuleContext:
    """What a check is given besides the report.

    - :meth:`finding` makes a finding carrying the rule's code, severity and message, its
      ``labels`` filled from the pointers when not given;
    - :attr:`options`: the rule's options, overlaid with the user's configuration for its code;
    - :attr:`load_findings`: what loading the report found (the parser's ``GD-PARSE-…``), so that a
      rule can use what parsing saw;
    - :attr:`registry`: the registry of the run; :meth:`values`: a table's values, read once per run.
    """

    # one per rule per report; ``_file``: the file the report was read from, which the findings name as they
    # are made (set by the engine for ``validate``; None: named after, or not known)
    __slots__ = ("_file", "load_findings", "memo", "options", "registry", "rule", "spec")

    def __init__(self, rule: Rule, memo: dict[Any, Any] | None = None, *, options: Mapping[str, Any] | None = None,
                 registry: Registry | None = None, load_findings: Sequence[Finding] = (),
                 spec: FormatSpec | None = None) -> None:
        self.rule = rule
        self.memo = {} if memo is None else memo
        self.options: Mapping[str, Any] = rule.options if options is None else options
        self.registry = registry
        self.load_findings = tuple(load_findings)
        self.spec = spec
        self._file: str | None = None

    def values(self, report: Report, table: str | None = None) -> tuple[Any, ...]:
        """``report.values(table)``, read once per run."""
        if table is not None and type(table) is not str:  # no table's id: the model's own error names the tables
            return report.values(table)
        return run_values(report, table, self.memo)

    def finding(self, *, pointer: str = "", pointers: Iterable[str] = (), labels: Iterable[str] = (),
                **params: Any) -> Finding:
        """A finding of this rule; ``params`` fill its message (Labels per language)."""
        ptrs = tuple(pointers) or ((pointer,) if pointer else ())
        named = tuple(labels)
        if not named and self.spec is not None and ptrs:
            named = _official_labels(self.spec, ptrs)
        return Finding.make(self.rule.code, self.rule.severity, self.rule.message, pointer=pointer, pointers=ptrs,
                            labels=named, params=params, file=self._file)


#: how the engine makes a check's context (``rules.engine._context``): its fields set one by one, at a third of
#: the cost of the keyword call
_new_context = object.__new__

#: deprecated name of :class:`RuleContext`
Context = RuleContext


class ReportCheck(Protocol):
    """``check(report, ctx)`` for ``scope="report"``: yields findings made with ``ctx.finding``."""

    def __call__(self, report: Report, ctx: RuleContext, /) -> Iterable[Finding]: ...


class SeriesCheck(Protocol):
    """``check(report, previous, ctx)`` for ``scope="series"``: ``previous`` is the same agency's
    report of the year before."""

    def __call__(self, report: Report, previous: Report, ctx: RuleContext, /) -> Iterable[Finding]: ...


class BatchCheck(Protocol):
    """``check(reports, ctx)`` for ``scope="batch"``: every report of a run; yields
    ``(index, finding)`` with the index of the report the finding is about."""

    def __call__(self, reports: Sequence[Report], ctx: RuleContext, /) -> Iterable[tuple[int, Finding]]: ...


@attrs.frozen(kw_only=True)
class Check(Rule):
    """A rule written as a function: ``check`` is a :class:`ReportCheck`, :class:`SeriesCheck` or
    :class:`BatchCheck` according to ``scope``."""

    check: ReportCheck | SeriesCheck | BatchCheck
