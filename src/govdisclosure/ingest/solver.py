"""The report's own balances as a solver for digits published without separators.

A *run* is the tokens printed for one row, e.g. ``21710000218`` for a row of seven cells.  Its
candidate splits are every way to cut the tokens into the row's cells (no leading zeros, a sign
only where the cell may be negative, a decimal point only in an amount, at most 15 digits) that
satisfies the declared equations whose cells are all known: first within the run (the row rule,
table 4's group sums), then jointly with the other runs (the column rules), with what the
narrative states and last year's report implies.  A cell is set when every surviving candidate
agrees on it; otherwise it is left blank and its candidates are reported.  Nothing is guessed.

The equations are :class:`~govdisclosure.rules.compiled.Compiled` instances over integer slots;
``values`` is one list of the report's slots, filled as runs are placed.  Every step of a search
spends a unit of the parse's :class:`~.budget.Budget`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from types import FunctionType
from typing import Any, Final, NamedTuple

from ..formats.spec import CellKind
from ..rules.compiled import Compiled, Instance
from .budget import Budget, BudgetSpent
from .patterns import compiled
from .tokens import MAX_DIGITS, Token

__all__ = ["MAX_DIGITS", "SOLUTION_LIMIT", "Run", "apart", "checked", "direct", "inner", "joint", "known_of",
           "neighbours", "reading", "splits", "touching", "value_of"]

COUNT: Final = CellKind.COUNT
AMOUNT: Final = CellKind.AMOUNT
#: combinations of runs counted before the joint search stops narrowing (too many: narrow nothing)
SOLUTION_LIMIT: Final = 64
#: an amount's digits after its decimal point, at most
MAX_DECIMALS: Final = 4
_COUNT: Final = compiled(rf"^(0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})$")
_AMOUNT: Final = compiled(rf"^(0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})(\.[0-9]{{1,{MAX_DECIMALS}}})?$")
#: the longest piece of digits a cell can take (sign or decimals included)
_LONGEST: Final = {CellKind.COUNT: MAX_DIGITS, CellKind.SIGNED: MAX_DIGITS + 1,
            CellKind.AMOUNT: MAX_DIGITS + 1 + MAX_DECIMALS}
#: the longest piece any cell can take
_MOST: Final = max(_LONGEST.values())
#: a row's plans kept (one per row and set of known slots outside it: a few hundred a format)
LAYOUTS: Final = 4096


class Run(NamedTuple):
    """The tokens printed for one row, and the slots (and kinds) of the row's cells."""

    slots: tuple[int, ...]
    kinds: tuple[CellKind, ...]
    tokens: tuple[Token, ...]


def value_of(text: str, kind: CellKind) -> Any:
    """The cell value of a piece of digits, or None if it cannot be that cell."""
    if kind is CellKind.COUNT:  # the common case, without a regex: digits, no leading zero, at most 15
        ok = text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS and (text[0] != "0" or len(text) == 1)
        return int(text) if ok else None
    if kind is CellKind.AMOUNT:
        return Decimal(text) if _AMOUNT.match(text) else None
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if not _COUNT.match(body):
        return None
    if negative and (kind is not CellKind.SIGNED or body == "0"):
        return None
    return -int(body) if negative else int(body)


def _piece_value(piece: str, kind: CellKind) -> Any:
    """:func:`value_of`, a count's common case inline (as the generated search reads it)."""
    if kind is COUNT and piece.isdigit() and len(piece) <= MAX_DIGITS and (len(piece) == 1 or piece[0] != "0"):
        return int(piece)
    return value_of(piece, kind)


def _count_in(text: str, start: int, end: int) -> int | None:
    """The count ``text[start:end]`` spells, when that is ASCII digits, no leading zero, at most
    :data:`MAX_DIGITS` (a count's common case, read digit by digit: native arithmetic compiled, no slice and no
    ``int`` of one); else None (:func:`_piece_value` decides: a count's other digits, or none)."""
    if not 0 < end - start <= MAX_DIGITS or (end - start > 1 and text[start] == "0"):
        return None
    n = 0
    for k in range(start, end):
        d = ord(text[k]) - 48
        if d < 0 or d > 9:
            return None
        n = n * 10 + d
    return n


#: the counts :func:`_count_in` reads (at most :data:`MAX_DIGITS` digits)
_COUNT_BOUND: Final = 10 ** MAX_DIGITS
#: no count (:func:`_count_in`'s None, as a native int: no count is negative)
_NO_COUNT: Final = -1


def _count_on(text: str, start: int, end: int, before: int) -> int:
    """:func:`_count_in` of ``text[start:end]`` (or :data:`_NO_COUNT`) from that of ``text[start:end - 1]``
    (``before``, a count): one digit more, unless it is none, or it makes the piece too long, or the piece began
    with 0 (no leading zero).  A piece that is no count makes no longer one a count."""
    if end - start > MAX_DIGITS or before == 0:
        return _NO_COUNT
    d = ord(text[end - 1]) - 48
    if d < 0 or d > 9:
        return _NO_COUNT
    return before * 10 + d

#: the compiled build (mypyc): a search there is :class:`_Split`, native code, not the generated one
COMPILED = not isinstance(value_of, FunctionType)


@functools.cache
def touching(comp: Compiled, slots: tuple[int, ...]) -> tuple[Instance, ...]:
    """The equations any of these slots takes part in (once each, in declaration order)."""
    return tuple(comp.instances[i] for i in sorted({i for s in slots for i in comp.touching[s]}))


@functools.cache
def neighbours(comp: Compiled, slots: tuple[int, ...]) -> frozenset[int]:
    """The slots outside these that share an equation with them."""
    return frozenset(s for inst in touching(comp, slots) for s in inst.slots).difference(slots)


def known_of(comp: Compiled, slots: tuple[int, ...], values: list[Any]) -> frozenset[int]:
    """The slots outside these, sharing an equation with them, that have a value."""
    return frozenset(s for s in neighbours(comp, slots) if values[s] is not None)


@functools.lru_cache(maxsize=LAYOUTS)
def checked(comp: Compiled, slots: tuple[int, ...], known: frozenset[int]) -> tuple[Instance, ...]:
    """The equations of these slots that can be checked once they are placed: the others' slots known."""
    within = known.union(slots)
    return tuple(inst for inst in touching(comp, slots) if inst.slots <= within)


Plan = tuple[tuple[tuple[Instance, ...], ...], tuple[tuple[Instance, ...], ...]]


@functools.lru_cache(maxsize=LAYOUTS)
def _plan(comp: Compiled, slots: tuple[int, ...], known: frozenset[int]) -> Plan:
    """For each cell of the run: the equations complete once it is placed (checked there), and those
    that then fix its value (a row's total).  The same for every run of a row (cached): it depends
    only on which slots outside the run are known."""
    position = {s: i for i, s in enumerate(slots)}
    check: list[list[Instance]] = [[] for _ in slots]
    settle: list[list[Instance]] = [[] for _ in slots]
    for inst in checked(comp, slots, known):
        last = max(position[s] for s in inst.slots if s in position)
        check[last].append(inst)
        if sum(1 for s in inst.slots if position.get(s) == last) == 1:
            settle[last].append(inst)
    return tuple(map(tuple, check)), tuple(map(tuple, settle))


def _summands(run: Run, last: tuple[Instance, ...]) -> tuple[int, ...]:
    """When an equation checked at the run's last cell makes it the sum of other cells of the run
    (a row's total: non-negative counts), the positions of those cells; else ()."""
    position = {s: i for i, s in enumerate(run.slots)}
    total = run.slots[-1]
    for inst in last:
        weights = dict(inst.terms)
        w = weights.get(total)
        others = [s for s in weights if s != total]
        if w in (1, -1) and others and all(s in position and weights[s] == -w for s in others) and all(
                run.kinds[position[s]] is CellKind.COUNT for s in others):
            return tuple(sorted(position[s] for s in others))
    return ()


def reading(kinds: tuple[CellKind, ...], texts: list[str | None]) -> list[Any] | None:
    """The cells' values read from one text each (None: a blank mark; cells past the texts stay
    blank), or None when a text cannot be its cell."""
    out: list[Any] = [None] * len(kinds)
    for i, text in enumerate(texts):
        if text is None:
            continue
        if kinds[i] is COUNT and text.isdigit() and (len(text) == 1 or text[0] != "0") and len(text) <= MAX_DIGITS:
            out[i] = int(text)  # the common case, inline
        else:
            v = value_of(text, kinds[i])
            if v is None:
                return None
            out[i] = v
    return out


@functools.cache
def _counts(kinds: tuple[CellKind, ...]) -> bool:
    """Every cell a count (a digit is then its value)."""
    return all(k is COUNT for k in kinds)


def apart(run: Run, stated: dict[int, Any]) -> tuple[list[tuple[Any, ...]], bool]:
    """The one reading of a run whose numbers each stand in a cell of their own, with no equation:
    :func:`splits` with ``comp`` None on such a run (where the equations refuse it, the solver reads
    it so all the same: there is no other split); and whether every number was printed as its value
    reads (no blank mark, no unit, no sign word: then the cells have nothing to say of it)."""
    slots, kinds, toks = run
    values: list[Any] = [None] * len(kinds)
    plain = True
    for i, tok in enumerate(toks):  # reading(), inline: a row each time
        text = tok.text
        if tok.kind == "blank":
            plain = False
        elif kinds[i] is COUNT and text.isdigit() and (len(text) == 1 or text[0] != "0") and len(text) <= MAX_DIGITS:
            values[i] = int(text)
            plain = plain and tok.raw == text and tok.kind == "num" and not tok.unit
        elif (v := value_of(text, kinds[i])) is not None:
            values[i] = v
            plain = plain and tok.raw == text and tok.kind == "num" and not tok.unit
        else:
            return [], False
    if stated and _contradicts(slots, values, stated):
        return [], False
    return [tuple(values)], plain


def _contradicts(slots: tuple[int, ...], values: list[Any], stated: dict[int, Any]) -> bool:
    """A value differs from what the narrative states for its cell."""
    return not stated.keys().isdisjoint(slots) and any(
        slot in stated and stated[slot] != v for slot, v in zip(slots, values, strict=True))


def direct(run: Run, comp: Compiled | None, values: list[Any], stated: dict[int, Any], outside: bool = True
           ) -> list[tuple[Any, ...]]:
    """The one reading of a run whose numbers each stand in a cell of their own (missing ones at the
    end, when each is in a '|' cell), if it is a reading and the equations allow it."""
    slots, toks = run.slots, run.tokens
    texts = [None if t.kind == "blank" else t.text for t in (toks if len(toks) <= len(slots) else toks[:len(slots)])]
    known = None if comp is None else known_of(comp, slots, values) if outside else frozenset()
    return _allowed(slots, reading(run.kinds, texts), comp, values, stated, known)


def _allowed(slots: tuple[int, ...], read: list[Any] | None, comp: Compiled | None, values: list[Any],
             stated: dict[int, Any], known: frozenset[int] | None) -> list[tuple[Any, ...]]:
    """``read`` as the run's one candidate, if it is a reading that the narrative and the equations
    allow (those that can be checked: every slot of theirs this run's or ``known``)."""
    if read is None or (stated and _contradicts(slots, read, stated)):
        return []
    instances = () if comp is None or known is None else checked(comp, slots, known)
    if not instances:
        return [tuple(read)]
    for slot, v in zip(slots, read, strict=True):
        values[slot] = v
    ok = _hold(instances, values)
    for slot in slots:
        values[slot] = None
    return [tuple(read)] if ok else []


def _hold(instances: tuple[Instance, ...], values: list[Any]) -> bool:
    """No instance is broken (a blank cell leaves one open)."""
    for inst in instances:  # noqa: SIM110 - a loop, not all(): no generator for each row read
        if inst.holds(values) is False:
            return False
    return True


@functools.cache
def inner(comp: Compiled, slots: tuple[int, ...]) -> tuple[Instance, ...]:
    """The equations entirely within these slots (a row's own rule)."""
    own = set(slots)
    return tuple(inst for inst in touching(comp, slots) if inst.slots <= own)


def splits(run: Run, comp: Compiled | None, values: list[Any], stated: dict[int, Any], budget: Budget,
           outside: bool = True, known: frozenset[int] | None = None) -> list[tuple[Any, ...]]:
    """Every assignment of the run's tokens to its cells that the equations allow (``comp`` None: no
    equation).  Each token gives one or more consecutive cells (a blank mark exactly one).
    ``values`` holds what is known of other slots (this run's slots must be None in it);
    ``stated`` values the narrative gives, which this run's cells must then match; ``outside``
    False says no slot outside the run is known (only the run's own equations can be checked);
    ``known``, if given, the slots that have a value in ``values`` (any superset of those near the
    run's, within :func:`neighbours`: else they are looked up)."""
    slots, _, toks = run
    if comp is not None:
        known = known_of(comp, slots, values) if known is None else known & neighbours(comp, slots)
    # a reading of its own is held to the run's own equations only, unless ``outside``
    one = None if comp is None else known if outside else frozenset()
    if len(toks) == len(slots) or (len(toks) < len(slots) and all(t.cell for t in toks)):
        texts = [None if t.kind == "blank" else t.text for t in toks]
        return _allowed(slots, reading(run.kinds, texts), comp, values, stated, one)
    digits = "".join([t.text for t in toks])
    if len(digits) == len(slots) and digits.isdigit() and all(t.kind == "num" and t.text for t in toks):
        # as many digits as cells: one digit a cell is the only split (0000000, 1000001)
        read = list(map(int, digits)) if _counts(run.kinds) else reading(run.kinds, list(digits))
        return _allowed(slots, read, comp, values, stated, one)
    return _search(run, _layout(comp, slots, run.kinds, known), values, stated, budget)


#: an equation's terms, (slot, weight): their sum is 0 when it holds (:attr:`Instance.terms`)
Terms = tuple[tuple[int, Any], ...]


def _required(terms: Terms, values: list[Any], target: int) -> Any:
    """:meth:`Instance.required` of the equation of these terms, step for step: native code in the compiled build,
    where the method is interpreted (:mod:`..rules.compiled` is not compiled)."""
    total: Any = 0
    own: Any = 0
    for slot, weight in terms:
        if slot == target:
            own += weight
            continue
        v = values[slot]
        if v is None:
            return None
        total += weight * v
    if own not in (1, -1):
        return None
    return -total * own


def _holds(terms: Terms, values: list[Any]) -> bool | None:
    """:meth:`Instance.holds` of the equation of these terms, step for step (as :func:`_required`)."""
    total: Any = 0
    for slot, weight in terms:
        v = values[slot]
        if v is None:
            return None
        total += weight * v
    return total == 0  # type: ignore[no-any-return]


class Layout(NamedTuple):
    """What a search reads of a row, the same for every run of it (cached per row and known slots)."""

    #: per cell: whether it sums into the row's last cell (a total); None when the row has no total
    summand: tuple[bool, ...] | None
    #: the search of rows of its shape (:func:`_searcher`), in pure Python; None in the compiled build, which runs
    #: :class:`_Split` (compiling the generated code cost it ~85 M instructions a process)
    search: Callable[..., Any] | None
    #: that shape (:func:`_searcher`'s arguments)
    shape: tuple[tuple[CellKind, ...], tuple[bool, ...] | None, tuple[int, ...], tuple[int, ...]]
    #: what that search takes of this row: its slots, and the methods of its equations (settle's, then check's)
    bound: tuple[Any, ...]
    kinds: tuple[CellKind, ...]
    #: per cell: the terms of the equations that settle it, and of those checked there (:class:`_Split`'s)
    settles: tuple[tuple[Terms, ...], ...]
    checks: tuple[tuple[Terms, ...], ...]
    longest: tuple[int, ...]  #: per cell: the longest piece it can take (:data:`_LONGEST` of its kind)


@functools.lru_cache(maxsize=LAYOUTS)
def _layout(comp: Compiled | None, slots: tuple[int, ...], kinds: tuple[CellKind, ...],
            known: frozenset[int] | None) -> Layout:
    n = len(slots)
    plan: Plan = (((),) * n, ((),) * n) if comp is None or known is None else _plan(comp, slots, known)
    check, settle = plan
    summands = _summands(Run(slots, kinds, ()), check[-1]) if n > 1 else ()
    summand = tuple(k in summands for k in range(n)) if summands else None
    named = (*(inst.required for cell in settle for inst in cell), *(inst.holds for cell in check for inst in cell))
    shape = (kinds, summand, tuple(map(len, check)), tuple(map(len, settle)))
    return Layout(summand, None if COMPILED else _searcher(*shape), shape, (slots, named),
                  kinds, tuple(tuple(inst.terms for inst in cell) for cell in settle),
                  tuple(tuple(inst.terms for inst in cell) for cell in check), tuple(_LONGEST[k] for k in kinds))


def _search(run: Run, layout: Layout, values: list[Any], stated: dict[int, Any], budget: Budget
            ) -> list[tuple[Any, ...]]:
    """A run's splits, by its row's search (:func:`_searcher`); what is read of the run is laid out
    first (the tokens' texts, the digits left after each, the most the total can spell)."""
    toks = run.tokens
    m = len(toks)
    texts = tuple([t.text for t in toks])
    blanks = tuple([t.kind == "blank" for t in toks])
    # digits the tokens from each one on can still give (a blank mark gives one cell)
    later = [0] * (m + 1)
    for t in range(m - 1, -1, -1):
        later[t] = later[t + 1] + (len(texts[t]) or 1)
    # a blank mark may leave the row's total unbound by the others: then only its digits bound it (a
    # row without a total has none)
    cap = () if layout.summand is None else _caps("" if not m or any(blanks) else texts[-1])
    out: list[tuple[Any, ...]] = []
    if COMPILED:  # the same search, step for step, compiled (the generated one is interpreted even here)
        split = _Split(layout, run.slots, texts, blanks, later, cap, values, stated, out, budget.left)
        try:
            split.place(0, 0, 0, 0)
        finally:
            _clear(values, run.slots)
            budget.spend(min(split.nodes, budget.left + 1))  # past what was left when the search ran out: raises
        return out
    search = layout.search or _searcher(*layout.shape)  # (a layout made while a test said the build was compiled)
    first, taken = search(texts, blanks, later, cap, m, values, stated, out, budget.left, *layout.bound)
    try:
        first(0, 0, 0)
    finally:
        _clear(values, run.slots)
        budget.spend(min(taken(), budget.left + 1))  # past what was left when the search ran out: raises
    return out


class _Split:
    """:func:`_searcher`'s search of one run, as one function of the cell (``place``): every step alike (the same
    nodes counted, the same pieces tried in the same order, the same splits found), for the compiled build, where
    this is native code and the generated search is not; pure Python runs the generated one (its constants written
    in: faster there)."""

    def __init__(self, layout: Layout, slots: tuple[int, ...], texts: tuple[str, ...], blanks: tuple[bool, ...],
                 later: list[int], cap: tuple[int, ...], values: list[Any], stated: dict[int, Any],
                 out: list[tuple[Any, ...]], limit: int) -> None:
        self.slots = slots
        self.kinds = layout.kinds
        self.summand = layout.summand
        self.settles = layout.settles
        self.checks = layout.checks
        self.longest = layout.longest
        self.texts = texts
        self.blanks = blanks
        self.later = later
        self.cap = cap
        self.capped = len(cap)
        self.m = len(texts)
        self.n = len(slots)
        self.values = values
        self.stated = stated
        self.out = out
        self.limit = limit
        self.nodes = 0

    def place(self, i: int, t: int, off: int, placed: int | None) -> None:
        """Cell ``i`` takes a piece of token ``t`` from ``off`` (:func:`_cell_code`'s ``place{i}``)."""
        self.nodes += 1
        if self.nodes > self.limit:
            raise BudgetSpent
        if i == self.n:
            if t == self.m:
                values = self.values
                self.out.append(tuple([values[s] for s in self.slots]))
            return
        if t >= self.m:
            return
        slot = self.slots[i]
        if self.blanks[t]:
            if not off and self.stated.get(slot) is None:
                self.values[slot] = None
                summand = self.summand
                self.place(i + 1, t + 1, 0, None if summand is not None and summand[i] else placed)
            return
        text = self.texts[t]
        size = len(text)
        if size - off + self.later[t + 1] > (self.n - i) * _MOST:
            return
        need = self._need(i, slot)
        first, stop = self._ends(i, t, off, text, need)
        # the count each longer piece spells, from the one before it (a digit more), not read again from ``off``
        counted = self._first_count(i, text, off, first) if first < stop else _NO_COUNT
        for end in range(first, stop):
            if end > first and counted != _NO_COUNT:
                counted = _count_on(text, off, end, counted)
            self._piece(i, t, off, end, text, need, placed, counted)
        self.values[slot] = None

    def _first_count(self, i: int, text: str, off: int, end: int) -> int:
        """The count ``text[off:end]`` spells (:func:`_count_in`) where cell ``i`` may be one, else
        :data:`_NO_COUNT`."""
        if self.kinds[i] is AMOUNT:
            return _NO_COUNT
        count = _count_in(text, off, end)
        return _NO_COUNT if count is None else count

    def _need(self, i: int, slot: int) -> Any:
        """The value the first equation that settles cell ``i`` requires (None: none does)."""
        for terms in self.settles[i]:
            need = _required(terms, self.values, slot)
            if need is not None:
                return need
        return None

    def _ends(self, i: int, t: int, off: int, text: str, need: Any) -> tuple[int, int]:
        """Where the piece cell ``i`` takes may end (:func:`_ends_code`): from the first to before the second (a
        pair of native ints, not a range object to iterate)."""
        size = len(text)
        if self.settles[i] and need is not None:
            if type(need) is int and 0 <= need < _COUNT_BOUND:  # a count: its digits compared natively, no str made
                value: int = need
                digits, power = 1, 10
                while power <= value:
                    digits, power = digits + 1, power * 10
                end = off + digits  # (``text.startswith(str(need), off)``: those digits, no leading zero, are there)
                return (end, end + 1) if end <= size and _count_in(text, off, end) == value else (0, 0)
            spelled = str(need)
            return (off + len(spelled), off + len(spelled) + 1) if text.startswith(spelled, off) else (0, 0)
        if self.kinds[i] is not AMOUNT and text[off] == "0":
            return off + 1, off + 2
        most = size - off - max(0, self.n - i - 1 - self.later[t + 1])
        return off + 1, min(size, off + min(max(1, most), self.longest[i])) + 1

    def _value(self, i: int, text: str, off: int, end: int, counted: int) -> Any:
        """The value of cell ``i`` given ``text[off:end]`` (:func:`_piece_value`; digits that read as a count read
        natively, without the slice: a count's or a signed cell's value, all the same; ``counted``, that count, or
        :data:`_NO_COUNT`), or None."""
        kind = self.kinds[i]
        if kind is not AMOUNT and counted != _NO_COUNT:
            return counted
        return _piece_value(text[off:end], kind)

    def _piece(self, i: int, t: int, off: int, end: int, text: str, need: Any, placed: int | None, counted: int
               ) -> None:
        """Cell ``i`` given ``text[off:end]`` (``counted``: the count it spells, :func:`_count_in`'s, or
        :data:`_NO_COUNT`), if it may be, and the search on from there."""
        size = len(text)
        rest = self.n - i - 1
        after = self.m - t - 1
        if rest < after if end == size else rest <= after:
            return
        value = self._value(i, text, off, end, counted)
        if value is None or (self.settles[i] and need is not None and value != need):
            return
        slot = self.slots[i]
        stated = self.stated
        if stated and slot in stated and stated[slot] != value:
            return
        self.values[slot] = value
        now = placed
        if self.summand is not None and i < self.n - 1:  # a cell before the row's total
            if self.summand[i] and now is not None:
                now += value
            if not self._spellable(i, t, end, size, now):
                return
        for terms in self.checks[i]:
            if _holds(terms, self.values) is False:
                return
        if end == size:
            self.place(i + 1, t + 1, 0, now)
        else:
            self.place(i + 1, t, end, now)

    def _spellable(self, i: int, t: int, end: int, size: int, now: int | None) -> bool:
        """Digits are left for the cells after ``i`` and the row's total, and enough to spell what the cells up to
        ``i`` add to it (``now``)."""
        left = size - end + self.later[t + 1] - (self.n - 2 - i)
        return not (left <= 0 or (now is not None and left < self.capped and now > self.cap[left]))


def _cell_code(i: int, kinds: tuple[CellKind, ...], summand: tuple[bool, ...] | None, checks: int, settles: int
               ) -> list[str]:
    """The search's step at cell ``i`` as code (``place{i}``), with what is the same for every run of the
    row's shape written in (its kind, how many equations to hold, whether it sums into the total; its
    slot is ``s{i}``, its equations' methods ``required{i}_{k}`` and ``holds{i}_{k}``).

    A step: cell ``i`` takes a piece of token ``t`` from ``off``; ``placed`` is what the cells before
    it add to the row's total (None: a blank among them, or no total).  A blank mark is taken whole,
    unless the narrative states the cell's value (a blank summand leaves the total unbound).  What is
    left of the tokens must fit in the cells left; a settled total can only be the piece that spells
    it, a cell that starts with 0 is 0 (no leading zeros, but in an amount); tokens still to come must
    leave a cell for each of them, at least (one more if this token goes on).  A piece is refused
    unless it is a value of its kind, the one an equation settles or the narrative states, the sums
    not yet more than the digits left can spell for the total (at most ``left`` digits, the last
    token's last), and the equations complete here hold.  Every step counts a node."""
    n, slot = len(kinds), f"s{i}"
    code = [f"def place{i}(t, off, placed):", "    nonlocal nodes", "    nodes += 1", "    if nodes > limit:",
            "        raise BudgetSpent", "    if t >= m:", "        return", "    if blanks[t]:",
            f"        if not off and stated.get({slot}) is None:", f"            values[{slot}] = None",
            f"            place{i + 1}(t + 1, 0, {'None' if summand is not None and summand[i] else 'placed'})",
            "        return", "    text = texts[t]", "    size = len(text)",
            f"    if size - off + later[t + 1] > {(n - i) * _MOST}:", "        return"]
    code += _ends_code(i, n, kinds[i], slot, settles)
    code += ["    after = m - t - 1", "    for end in ends:", "        if end == size:",
             f"            if {n - i - 1} < after:", "                continue", f"        elif {n - i - 1} <= after:",
             "            continue", "        piece = text[off:end]"]
    if kinds[i] is COUNT:
        code += [f"        if piece.isdigit() and len(piece) <= {MAX_DIGITS} and (len(piece) == 1 or piece[0] != '0'):",
                 "            value = int(piece)", "        else:", f"            value = value_of(piece, kind{i})"]
    else:
        code += [f"        value = value_of(piece, kind{i})"]
    code += ["        if value is None:", "            continue"]
    if settles:
        code += ["        if need is not None and value != need:", "            continue"]
    code += [f"        if stated and {slot} in stated and stated[{slot}] != value:", "            continue",
             f"        values[{slot}] = value", "        now = placed"]
    if summand is not None and i < n - 1:  # a cell before the row's total
        if summand[i]:
            code += ["        if now is not None:", "            now += value"]
        code += [f"        left = size - end + later[t + 1] - {n - 2 - i}",
                 "        if left <= 0 or (now is not None and left < capped and now > cap[left]):",
                 "            continue"]
    if checks:
        held = " or ".join(f"holds{i}_{k}(values) is False" for k in range(checks))
        code += [f"        if {held}:", "            continue"]
    code += ["        if end == size:", f"            place{i + 1}(t + 1, 0, now)", "        else:",
             f"            place{i + 1}(t, end, now)", f"    values[{slot}] = None"]
    return code


def _ends_code(i: int, n: int, kind: CellKind, slot: str, settles: int) -> list[str]:
    """Where the piece cell ``i`` takes may end (``ends``), as code: a settled total's spelling only; a
    lone 0 where the token goes on with 0 (but in an amount); else any piece that leaves the tokens
    still to come a digit a cell, no longer than a cell's longest."""
    lines: list[str] = []
    if settles:
        lines.append("need = None")
        for k in range(settles):  # the first equation that settles it
            lines += ["if need is None:", f"    need = required{i}_{k}(values, {slot})"]
        lines += ["if need is not None:", "    spelled = str(need)",
                  "    ends = (off + len(spelled),) if text.startswith(spelled, off) else ()"]
    if kind is not AMOUNT:
        lines += [("elif" if lines else "if") + ' text[off] == "0":', "    ends = (off + 1,)"]
    rest = [f"most = size - off - max(0, {n - i - 1} - later[t + 1])",
            f"ends = range(off + 1, min(size, off + min(max(1, most), {_LONGEST[kind]})) + 1)"]
    lines += ["else:", *("    " + line for line in rest)] if lines else rest
    return ["    " + line for line in lines]


@functools.lru_cache(maxsize=LAYOUTS)
def _searcher(kinds: tuple[CellKind, ...], summand: tuple[bool, ...] | None, checks: tuple[int, ...],
              settles: tuple[int, ...]) -> Callable[..., Any]:
    """The search of the splits of rows of one shape (their cells' kinds, which sum into a total, how
    many equations settle and are checked at each cell), generated once a shape as the rule engine's
    balances are: a function of a run and its row (:attr:`Layout.bound`) that returns its first step
    and a count of the steps taken.  A format's rows have a few shapes."""
    n = len(kinds)
    namespace: dict[str, Any] = {"BudgetSpent": BudgetSpent, "value_of": value_of,
                                 **{f"kind{i}": kind for i, kind in enumerate(kinds)}}
    names = [*(f"required{i}_{k}" for i in range(n) for k in range(settles[i])),
             *(f"holds{i}_{k}" for i in range(n) for k in range(checks[i]))]
    lines = ["def search(texts, blanks, later, cap, m, values, stated, out, limit, slots, named):",
             f"    {''.join(f's{i}, ' for i in range(n))}= slots",
             *([f"    {''.join(name + ', ' for name in names)}= named"] if names else []),
             "    nodes = 0", "    capped = len(cap)",
             f"    def place{n}(t, off, placed):", "        nonlocal nodes", "        nodes += 1",
             "        if nodes > limit:", "            raise BudgetSpent", "        if t == m:",
             f"            out.append(({''.join(f'values[s{i}], ' for i in range(n))}))"]
    for i in range(n):
        lines += ["    " + line for line in _cell_code(i, kinds, summand, checks[i], settles[i])]
    lines += ["    def taken():", "        return nodes", "    return place0, taken"]
    exec("\n".join(lines), namespace)  # code made of names and constants only
    search: Callable[..., Any] = namespace["search"]
    return search


@functools.lru_cache(maxsize=LAYOUTS)
def _caps(last: str) -> tuple[int, ...]:
    """The most a total of at most ``k`` digits can be, for each ``k`` below :data:`MAX_DIGITS`.  The
    total is the last token's last piece: its last ``k`` digits at most, when that token is all
    digits; else (or ``last`` empty) all that ``k`` digits can spell."""
    if not (last.isascii() and last.isdigit()):
        return _SPELLED
    if not COMPILED:
        return (0, *[int(last[-k:]) for k in range(1, MAX_DIGITS)])
    out, n, power, size = [0], 0, 1, len(last)  # compiled: the same, digit by digit (native arithmetic)
    for k in range(1, MAX_DIGITS):
        if k <= size:
            n += (ord(last[size - k]) - 48) * power
            power *= 10
        out.append(n)
    return tuple(out)


#: the most ``k`` digits can spell, for each ``k`` below :data:`MAX_DIGITS`
_SPELLED: Final = tuple(10 ** k - 1 for k in range(MAX_DIGITS))


def _clear(values: list[Any], slots: tuple[int, ...]) -> None:
    for s in slots:
        values[s] = None


def joint(runs: list[Run], candidates: list[list[tuple[Any, ...]]], comp: Compiled, values: list[Any],
          skip: list[frozenset[Instance]], budget: Budget) -> list[list[tuple[Any, ...]]] | None:
    """Combinations of the runs' candidates that satisfy every equation among them (bounded).

    ``values`` holds the settled slots; ``skip[i]`` the instances not to hold run ``i`` to (its own
    row rule, when no split of it satisfies it: the rules report that).  Returns the surviving
    candidates of each run, or None when no combination satisfies the equations.
    """
    order = sorted(range(len(runs)), key=lambda i: len(candidates[i]))
    checks = _joint_checks(runs, order, comp, values, skip)
    if not any(checks):  # nothing to check: every combination holds (too many, or all: narrow nothing)
        return candidates
    found, survivors = _combinations(runs, candidates, order, checks, values, budget)
    if not found or found >= SOLUTION_LIMIT:  # none; or not every combination was seen: narrow nothing
        return None if not found else candidates
    return [[c for k, c in enumerate(candidates[i]) if k in survivors[i]] for i in range(len(runs))]


def _combinations(runs: list[Run], candidates: list[list[tuple[Any, ...]]], order: list[int],
                  checks: list[tuple[Instance, ...]], values: list[Any], budget: Budget) -> tuple[int, list[set[int]]]:
    """How many combinations of candidates hold (counted up to :data:`SOLUTION_LIMIT`), and the
    candidates (their indices) of each run in some combination."""
    survivors: list[set[int]] = [set() for _ in runs]
    chosen = [0] * len(runs)
    found = 0

    def search(k: int) -> None:
        nonlocal found
        if k == len(order):
            budget.spend()
            found += 1
            for i, c in enumerate(chosen):
                survivors[i].add(c)
            return
        i = order[k]
        # a unit per candidate tried, not per node: a node of a typo'd table tries thousands (12 million
        # candidates in 107,000 nodes took 10 s within the budget)
        budget.spend(len(candidates[i]))
        slots, check = runs[i].slots, checks[i]
        for c, cand in enumerate(candidates[i]):
            if found >= SOLUTION_LIMIT:
                break
            for s, v in zip(slots, cand, strict=True):
                values[s] = v
            if _hold(check, values):
                chosen[i] = c
                search(k + 1)
        _clear(values, slots)

    try:
        search(0)
    finally:
        for run in runs:
            _clear(values, run.slots)
    return found, survivors


def _joint_checks(runs: list[Run], order: list[int], comp: Compiled, values: list[Any],
                  skip: list[frozenset[Instance]]) -> list[tuple[Instance, ...]]:
    """For each run: the equations to hold it to when the joint search places it, those that can be
    complete then (every slot of theirs placed by then, or with a value before the search)."""
    placed: set[int] = set()
    checks: list[tuple[Instance, ...]] = [() for _ in runs]
    for i in order:
        placed.update(runs[i].slots)
        checks[i] = tuple(inst for inst in touching(comp, runs[i].slots) if inst not in skip[i]
                          and all(s in placed or values[s] is not None for s in inst.slots))
    return checks
