"""The report's own balances as a solver for digits published without separators.

A *run* is the tokens printed for one row (or a few rows), e.g. ``21710000218`` for a row of
seven cells.  Its candidate splits are every way to cut the tokens into the row's cells (no
leading zeros, a sign only where the cell may be negative, a decimal point only in an amount)
that satisfies the declared equations whose cells are all known: first within the run (the row
rule, table 4's group sums), then jointly with the other runs of the report (the column rules),
then with what the narrative states and last year's report implies.  A cell is set when every
surviving candidate agrees on it; otherwise it is left blank and its candidates are reported.
Nothing is guessed.  The search is bounded (``NODE_LIMIT``) so that no row takes more than a
moment; a run that exceeds it is reported, not solved.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, NamedTuple
from collections.abc import Iterator

import attrs

from ..formats.spec import CellKind, CellSpec

NODE_LIMIT = 200_000
SOLUTION_LIMIT = 64
_COUNT = re.compile(r"^(0|[1-9][0-9]*)$")
_AMOUNT = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")


class Token(NamedTuple):  # a tuple: the tokenizer makes hundreds per report
    """One published number (or blank mark), as printed."""

    text: str  #: digits as normalised ("2648", "-18", "73802895.90")
    raw: str  #: as published ("减18", "73802895.90元")
    line: int
    blank: bool = False
    unit: str | None = None
    #: a lone '|' line: an empty cell in some scraped tables, a row's end in others
    soft: bool = False


@attrs.frozen
class Run:
    cells: tuple[CellSpec, ...]
    tokens: tuple[Token, ...]


@attrs.frozen
class Instance:
    """A concrete equation: sum of ``left`` = sum of ``right`` (pointers, weights +1/-1)."""

    left: tuple[tuple[int, str], ...]
    right: tuple[tuple[int, str], ...]
    pointers: frozenset[str] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "pointers", frozenset(p for _, p in (*self.left, *self.right)))

    def holds(self, values: dict[str, Any]) -> bool | None:
        """True/False when every cell is known and non-blank; None otherwise."""
        total = 0
        for weight, p in self.left:
            v = values.get(p)
            if v is None:
                return None
            total += weight * v
        for weight, p in self.right:
            v = values.get(p)
            if v is None:
                return None
            total -= weight * v
        return total == 0

    def required(self, values: dict[str, Any], target: str) -> Any:
        """The value ``target`` must take for the equation to hold, if every other cell is known."""
        total, weight_t = 0, 0
        for sign, side in ((1, self.left), (-1, self.right)):
            for weight, p in side:
                if p == target:
                    weight_t += sign * weight
                    continue
                v = values.get(p)
                if v is None:
                    return None
                total += sign * weight * v
        if weight_t not in (1, -1):
            return None
        return -total * weight_t


def _value(text: str, kind: CellKind) -> Any:
    """The cell value of a piece of digits, or None if it cannot be that cell."""
    if kind is CellKind.AMOUNT:
        return Decimal(text) if _AMOUNT.match(text) else None
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if not _COUNT.match(body):
        return None
    if negative and (kind is not CellKind.SIGNED or body == "0"):
        return None
    return -int(body) if negative else int(body)


class SearchLimit(Exception):
    pass


def by_cell(instances: list[Instance]) -> dict[str, list[Instance]]:
    """The equations each cell takes part in."""
    index: dict[str, list[Instance]] = {}
    for inst in instances:
        for p in inst.pointers:
            index.setdefault(p, []).append(inst)
    return index


def splits(run: Run, instances: list[Instance], fixed: dict[str, Any],
           index: dict[str, list[Instance]] | None = None) -> list[tuple[Any, ...]]:
    """Every assignment of the run's tokens to its cells that the equations allow.

    Each token gives one or more consecutive cells (a blank mark exactly one); ``fixed`` holds
    known values of other cells (and stated values of this run's cells, which must then match).
    """
    cells = run.cells
    n = len(cells)
    if index is not None:
        local = list({id(i): i for c in cells for i in index.get(c.pointer, ())}.values())
    else:
        mine = {c.pointer for c in cells}
        local = [i for i in instances if not i.pointers.isdisjoint(mine)]
    out: list[tuple[Any, ...]] = []
    nodes = 0
    values = dict(fixed)
    stated = {c.pointer: fixed[c.pointer] for c in cells if c.pointer in fixed}
    for c in cells:
        values.pop(c.pointer, None)

    def check_complete() -> bool:
        for inst in local:
            if inst.holds(values) is False:
                return False
        return True

    if len(run.tokens) == n:  # every number printed apart: one reading, if the equations allow it
        for c, tok in zip(cells, run.tokens):
            v = None if tok.blank else _value(tok.text, c.column.kind)
            if (v is None and not tok.blank) or (c.pointer in stated and stated[c.pointer] != v):
                return []
            values[c.pointer] = v
        return [tuple(values[c.pointer] for c in cells)] if check_complete() else []

    # the equations that settle cell i once the cells before it are placed (a row's total)
    known_before: set[str] = {p for p, v in values.items() if v is not None}
    settles: list[list[Instance]] = []
    for c in cells:
        settles.append([inst for inst in local if c.pointer in inst.pointers
                        and inst.pointers - {c.pointer} <= known_before])
        known_before.add(c.pointer)

    def forced(index: int) -> Any:
        target = cells[index].pointer
        for inst in settles[index]:
            need = inst.required(values, target)
            if need is not None:
                return need
        return None

    def place(index: int, token: int, offset: int) -> Iterator[None]:
        nonlocal nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            raise SearchLimit
        if index == n:
            if token == len(run.tokens) and check_complete():
                yield None
            return
        if token >= len(run.tokens):
            return
        tok = run.tokens[token]
        cell = cells[index]
        if tok.blank:
            if offset:
                return
            values[cell.pointer] = None
            if cell.pointer not in stated:
                yield from place(index + 1, token + 1, 0)
            del values[cell.pointer]
            return
        text = tok.text
        remaining_cells = n - index - 1
        need = forced(index)
        # cells still to come need a digit each: this one may take no more than what is left over
        later_tokens = sum(len(t.text) or 1 for t in run.tokens[token + 1:])
        longest = len(text) - offset - max(0, remaining_cells - later_tokens)
        if need is not None:  # a settled total: only the piece that spells it can stand here
            spelled = str(need)
            ends: Any = [offset + len(spelled)] if text.startswith(spelled, offset) else []
        elif text[offset] == "0" and cell.column.kind is not CellKind.AMOUNT:
            ends = [offset + 1]  # no leading zeros: a cell that starts with 0 is 0
        else:
            ends = range(offset + 1, offset + max(1, longest) + 1)
        for end in ends:
            if end > len(text):
                break
            piece = text[offset:end]
            last_of_token = end == len(text)
            # tokens still to come must leave a cell for each of them, at least
            if remaining_cells < (len(run.tokens) - token - 1) + (0 if last_of_token else 1):
                continue
            value = _value(piece, cell.column.kind)
            if value is None:
                continue
            if need is not None and value != need:
                continue
            if cell.pointer in stated and stated[cell.pointer] != value:
                continue
            values[cell.pointer] = value
            if last_of_token:
                yield from place(index + 1, token + 1, 0)
            else:
                yield from place(index + 1, token, end)
            del values[cell.pointer]

    for _ in place(0, 0, 0):
        out.append(tuple(values[c.pointer] for c in cells))
    return out


def joint(runs: list[Run], candidates: list[list[tuple[Any, ...]]], instances: list[Instance],
          fixed: dict[str, Any]) -> list[list[tuple[Any, ...]]] | None:
    """Combinations of the runs' candidates that satisfy every equation among them (bounded).

    Returns the surviving candidates of each run, or None when no combination satisfies the
    equations (the published numbers contradict each other: the rules will say so).
    """
    order = sorted(range(len(runs)), key=lambda i: len(candidates[i]))
    values = dict(fixed)
    survivors: list[set[tuple[Any, ...]]] = [set() for _ in runs]
    found = 0
    nodes = 0
    def consistent() -> bool:
        return all(inst.holds(values) is not False for inst in instances)

    def search(k: int) -> None:
        nonlocal found, nodes
        nodes += 1
        if nodes > NODE_LIMIT:
            raise SearchLimit
        if k == len(order):
            found += 1
            for i in range(len(runs)):
                survivors[i].add(tuple(values[c.pointer] for c in runs[i].cells))
            return
        i = order[k]
        for cand in candidates[i]:
            for c, v in zip(runs[i].cells, cand):
                values[c.pointer] = v
            if consistent():
                search(k + 1)
            if found >= SOLUTION_LIMIT:
                break
        for c in runs[i].cells:
            values.pop(c.pointer, None)

    search(0)
    if not found:
        return None
    if found >= SOLUTION_LIMIT:  # not every combination was seen: narrow nothing
        return candidates
    return [[c for c in candidates[i] if c in survivors[i]] for i in range(len(runs))]
