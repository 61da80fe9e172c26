"""A report's values as the rules read them, once per run: shared by every rule of it (:func:`run_values`), and
whether they are all plain and complete.  Apart from :mod:`.types` (which re-exports them), so that the engine
calls them compiled: they run for every report ``validate`` checks.  (:mod:`.types` cannot be compiled: mypyc
refuses attrs classes with defaults.)"""

from __future__ import annotations

import functools
import operator
from array import array
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, cast

from ..formats.spec import CellKind
from ..labels import Label

if TYPE_CHECKING:
    from ..formats.spec import FormatSpec
    from ..model import Report

__all__ = ["cell_holds", "run_complete", "run_suspect", "run_values"]


#: the memo's keys of the first report a run reads all the values of (the report validated), with its values and
#: with whether none is blank: a constant looked up, then the report's identity compared, where the other keys are
#: tuples made and hashed at each call (the rules ask for these a dozen times a report)
_RUN_VALUES: Final = "govdisclosure: the values of the run's report"
_RUN_COMPLETE: Final = "govdisclosure: whether the run's report has no blank"


def run_values(report: Report, table: str | None, memo: dict[Any, Any]) -> tuple[Any, ...]:
    """``report.values(table)``, read once per run (``memo``) and shared by every rule of it: a table's
    values are a slice of all the values, read once."""
    if table is None:
        known = memo.get(_RUN_VALUES)
        if known is not None and known[0] is report:
            return cast(tuple[Any, ...], known[1])
    key = ("values", id(report), table)
    found: tuple[Any, ...] | None = memo.get(key)
    if found is None:
        cut = _slices(report.spec).get(table) if table is not None else None
        whole = run_values(report, None, memo) if table is not None else None  # checked first: see below
        found = whole[cut] if whole is not None and cut is not None else report.values(table)
        if table is None:
            plain = _plain(report.spec, found)
            if not plain:
                memo[("suspect", id(report))] = True  # GD-CELL-VALUE looks at each value
            elif plain == _COMPLETE:  # no blank either: run_complete need not look for one
                memo[("complete", id(report), id(None))] = True
        if cut is None and memo.get(("suspect", id(report))):
            # a value its cell cannot hold (a text, a float, a negative count a caller put there: GD-CELL-VALUE names
            # it) is unknown to every other rule, as a blank is: an equation over it could not be evaluated
            cells = [c for c in report.spec.cells() if table is None or c.table.id == table]
            found = tuple(v if cell_holds(c.column.kind, v) else None for c, v in zip(cells, found, strict=True))
        memo[key] = found
    if table is None and _RUN_VALUES not in memo:
        memo[_RUN_VALUES] = (report, found)
    return found


def _plain(spec: FormatSpec, values: tuple[Any, ...]) -> bool | int:
    """Whether every count is an integer of 0 or more, every signed count an integer, every amount a finite Decimal
    or an integer of 0 or more (or blank): what a parser and a loader give.  :data:`_COMPLETE` (true) when no value
    is blank either.  Each count looked at in turn when each is an int of a machine word or blank (compiled, a few
    instructions a value); else, when one is anything else, checked by C code (an array of unsigned integers takes
    no text, float, Decimal nor negative number; a type() a value costs ~170 instructions interpreted), and a blank
    found by the array's TypeError (``None not in values`` compares each value, ~120 instructions each)."""
    counts_at, signed_at, amounts_at = _places(spec)
    ints = _ints(counts_at, values, 0)
    signed_ints = _ints(signed_at, values, -_SHORT) if ints else 0
    if ints and signed_ints:  # the arrays would take them all: blanks left out, if any
        whole = ints == _ALL and signed_ints == _ALL
    else:
        counts, signed, _ = _kinds(spec)
        whole = True
        try:
            try:  # most reports have no blank: taken whole, without a call a value to leave blanks out
                array("Q", counts(values))
                array("q", signed(values))
            except TypeError:  # a blank (or a value no array takes: the same error below)
                whole = False
                array("Q", filter(_KNOWN, counts(values)))  # blanks left out; a bool is an int to it
                array("q", filter(_KNOWN, signed(values)))
        except (TypeError, OverflowError):
            return False
    for i in amounts_at:
        value = values[i]
        if value is None:
            whole = False
        elif not (((type(value) is Decimal and value.is_finite()) or type(value) is int) and value >= 0):
            return False
    return _COMPLETE if whole else True


#: the largest int the compiled build holds unboxed (mypyc's short int): compared without a call
_SHORT: Final = 4611686018427387903  # 2 ** 62 - 1
#: :func:`_ints`' answers: some value is neither blank nor an int from its least to :data:`_SHORT`; every value such
#: an int or blank; every value such an int
_OTHER: Final = 0
_SOME_BLANK: Final = 1
_ALL: Final = 2


def _ints(places: tuple[int, ...], values: tuple[Any, ...], least: int) -> int:
    """Whether the values at ``places`` are each an int (not a bool, nor another int type) from ``least`` to
    :data:`_SHORT`, which an array of machine integers takes, or blank: :data:`_ALL`, :data:`_SOME_BLANK` or
    :data:`_OTHER`."""
    out = _ALL
    for i in places:
        value = values[i]
        if value is None:
            out = _SOME_BLANK
        elif type(value) is int:
            number: int = value
            if number < least or number > _SHORT:
                return _OTHER
        else:
            return _OTHER
    return out


@functools.cache
def _places(spec: FormatSpec) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Where the counts, the signed counts and the amounts are among a report's values."""
    kinds = [cell.column.kind for cell in spec.cells()]
    counts = tuple(i for i, k in enumerate(kinds) if k is CellKind.COUNT)
    signed = tuple(i for i, k in enumerate(kinds) if k is CellKind.SIGNED)
    return counts, signed, tuple(i for i, k in enumerate(kinds) if k is CellKind.AMOUNT)


#: :func:`_plain`'s answer for values of which none is blank (true, and not True itself)
_COMPLETE = 2


@functools.cache
def _kinds(spec: FormatSpec) -> tuple[Any, Any, tuple[int, ...]]:
    """Getters of the counts and of the signed counts among a report's values, and where its amounts are."""
    kinds = [cell.column.kind for cell in spec.cells()]

    def getter(kind: CellKind) -> Any:
        places = [i for i, k in enumerate(kinds) if k is kind]
        return operator.itemgetter(*places) if len(places) > 1 else lambda v: tuple(v[i] for i in places)

    return getter(CellKind.COUNT), getter(CellKind.SIGNED), tuple(i for i, k in enumerate(kinds)
                                                                   if k is CellKind.AMOUNT)


#: a value that is not a blank (filter's test, in C; not filter(None, …), which would leave out "" and 0.0 too)
_KNOWN = functools.partial(operator.is_not, None)


def cell_holds(kind: CellKind, value: Any) -> bool:
    """Whether a cell of ``kind`` can hold ``value``: blank, or an int (0 or more but in a signed cell), or for an
    amount a finite Decimal of 0 or more."""
    if value is None:
        return True
    if type(value) is int:
        return kind is CellKind.SIGNED or value >= 0
    return type(value) is Decimal and kind is CellKind.AMOUNT and value.is_finite() and value >= 0


def run_suspect(report: Report, memo: dict[Any, Any]) -> bool:
    """Whether a value of the report may be what its cell cannot hold (:func:`run_values` checks them once per
    run): GD-CELL-VALUE then looks at each."""
    run_values(report, None, memo)
    return bool(memo.get(("suspect", id(report))))


def run_complete(report: Report, memo: dict[Any, Any]) -> bool:
    """Whether no cell of the report is blank, found once per run (``memo``) for every rule of it: a table
    of a report without blanks has none either, so that such a report is not searched for them again."""
    known = memo.get(_RUN_COMPLETE)
    if known is not None and known[0] is report:
        return bool(known[1])
    key = ("complete", id(report), id(None))  # the engine's key for a report without the year before
    found: bool | None = memo.get(key)
    if found is None:
        found = memo[key] = None not in run_values(report, None, memo)
    if _RUN_COMPLETE not in memo:
        memo[_RUN_COMPLETE] = (report, found)
    return found


@functools.cache
def _slices(spec: FormatSpec) -> dict[str, slice]:
    """Where each table's cells are among all the cells (``report.values()``), for a table whose cells
    are all together (the tables follow each other in document order)."""
    out: dict[str, slice] = {}
    cells = spec.cells()
    for table in spec.tables:
        at = [i for i, cell in enumerate(cells) if cell.table.id == table.id]
        if at and at == list(range(at[0], at[-1] + 1)):
            out[table.id] = slice(at[0], at[-1] + 1)
    return out


def _official_labels(spec: FormatSpec, pointers: tuple[str, ...]) -> tuple[str, ...]:
    """The official labels of what the pointers name (``spec.label_at``), when every one names something of
    the form, else none."""
    known = _labels_seen(spec)
    out: list[str] = []
    for pointer in pointers:
        label = known.get(pointer, _UNSEEN)
        if label is _UNSEEN:
            if len(known) >= _MAX_LABELS_SEEN:
                known.clear()
            label = known[pointer] = spec.label_at(pointer)
        if label is None:
            return ()
        out.append(label.zh)
    return tuple(out)


_UNSEEN = Label("", "")  #: a pointer not looked up yet (``label_at`` gives a Label or None)
_MAX_LABELS_SEEN = 4096  #: a format names fewer things: more is a check naming pointers of its own


@functools.cache
def _labels_seen(spec: FormatSpec) -> dict[str, Label | None]:
    """``spec.label_at`` of the pointers findings have named, by pointer: a format's labels are the same for
    every report, and ``label_at`` hashes the format (in Python) at each call."""
    return {}
