"""Stage ``rows``: the format the tables are printed in, and the numbers printed for each of its rows."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import attrs

from ..findings import Finding
from ..formats.spec import CellSpec, FormatSpec, Row
from . import findings as F
from .solver import Token
from .state import State
from .text import Group, Item, groups
from .tokens import TABLES
from .vocab import compact as compact_text
from .vocab import normalize, strip_notes

if TYPE_CHECKING:
    from ..plugins.manager import Registry

__all__ = ["LabelHit", "detect_format", "printed_rows", "rows"]


@functools.cache
def _markers(spec: FormatSpec, table: str) -> frozenset[str]:
    """Normalised labels that only this format prints in this table (columns and rows)."""
    out = set()
    for block in spec.table(table).blocks:
        out |= {normalize(c.label.zh) for c in block.columns}
    out |= {normalize(row.label.zh)[:8] for _, row, _ in spec.rows(table)}
    return frozenset(out)


def detect_format(reg: Registry, tables: dict[str, str], year: int | None) -> tuple[FormatSpec, list[Finding]]:
    """The format the tables are printed in (columns and rows), then the variant whose rows appear."""
    doubts: list[Finding] = []
    scores: dict[str, int] = {}
    bases = [reg.format(v) for v in reg.formats]
    for spec in bases:
        score = 0
        for table in ("proactive", "requests"):
            text = tables.get(table, "")
            own = _markers(spec, table) - set().union(*(_markers(o, table) for o in bases if o is not spec))
            score += sum(1 for m in own if m and m in text)
        scores[spec.version] = score
    best = max(scores.values()) if scores else 0
    if best == 0:
        if year is None:
            spec = bases[-1]
            doubts.append(F.FORMAT_GUESSED(pointer="/format_version", version=spec.version))
        else:
            spec = reg.format_for_year(year)
    else:
        spec = max(bases, key=lambda s: (scores[s.version], s.version))
    # a variant whose own rows are printed (or whose replaced rows are not)
    text3 = tables.get("requests", "") + tables.get("proactive", "")
    for variant in reg.variants.values():
        if variant.extends != spec.version:
            continue
        resolved = reg.format(spec.version, variant.id)
        added = {normalize(strip_notes(r.label.zh))[:8] for a in variant.add_rows for r in a.rows}
        if added and all(a in text3 for a in added):
            return resolved, doubts
        if variant.replace_rows:
            # the official rows it replaces are not printed, though the table goes on past them
            official = [normalize(row.label.zh)[:8] for _, row, _ in spec.rows("requests")]
            replaced = set(official) - {normalize(row.label.zh)[:8] for _, row, _ in resolved.rows("requests")}
            after = [o for o in official[max(official.index(r) for r in replaced) + 1:]] if replaced else []
            text = tables.get("requests", "")
            if replaced and not any(r in text for r in replaced) and any(a in text for a in after):
                return resolved, doubts
    return spec, doubts


@attrs.frozen
class LabelHit:
    path: tuple[str, ...]
    row: Row
    item: int  #: index of the text item where the label starts
    published: str  #: the label as printed (normalised)


@functools.cache
def _label_keys(row: Row) -> list[str]:
    keys = [normalize(strip_notes(row.label.zh))] + [normalize(a) for a in row.aliases]
    return [k[:8] for k in keys]


@functools.cache
def _forms(row: Row) -> list[str]:
    return [normalize(strip_notes(row.label.zh))] + [normalize(a) for a in row.aliases]


def find_labels(stream: list[Item], rows: list[tuple[tuple[str, ...], Row]]) -> list[LabelHit]:
    """Where each row's label is printed (tolerant: normalised, prefix of the label, aliases)."""
    pieces, owner = [], []
    for i, item in enumerate(stream):
        if item.kind == "text":
            t = compact_text(item.text)
            pieces.append(t)
            owner.extend([i] * len(t))
    text = "".join(pieces)
    taken: set[int] = set()
    hits: list[LabelHit] = []
    # longer keys first, so that 行政规范性文件 is not also read as 规范性文件
    order = sorted(rows, key=lambda r: -max(len(k) for k in _label_keys(r[1])))
    for path, row in order:
        for key in _label_keys(row):
            pos = 0
            found = False
            while True:
                at = text.find(key, pos)
                if at < 0:
                    break
                span = set(range(at, at + len(key)))
                if not span & taken:
                    taken |= span
                    forms = _forms(row)
                    published = next((f for f in forms if text.startswith(f, at)), None)
                    if published is None:  # printed otherwise: what stands there, to the next number
                        end = at
                        while end < len(text) and owner[end] == owner[at] and end - at < 40:
                            end += 1
                        published = text[at:end]
                    hits.append(LabelHit(path, row, owner[at], published))
                    found = True
                    break
                pos = at + 1
            if found:
                break
    return sorted(hits, key=lambda h: h.item)


@functools.cache
def printed_rows(spec: FormatSpec, table: str) -> list[tuple[tuple[str, ...], Any, list[CellSpec]]]:
    """The rows as the form prints them: (path, row, cells); a transposed block (table 4) is one
    printed row holding all its cells."""
    out: list[tuple[tuple[str, ...], Any, list[CellSpec]]] = []
    for block in spec.table(table).blocks:
        rows = [(path, row) for path, row, b in spec.rows(table) if b is block]
        cells = [[spec.cell("/" + "/".join((table, *path, c.id))) for c in block.columns] for path, _ in rows]
        if block.transposed:
            out.append(((), None, [c for row_cells in cells for c in row_cells]))
        else:
            out.extend((path, row, row_cells) for (path, row), row_cells in zip(rows, cells))
    return out


def _chunk(gs: list[Group], widths: list[int]) -> list[tuple[Token, ...]] | None:
    """Groups cut into rows when every number is printed apart and the counts add up exactly."""
    tokens = [t for g in gs for t in g.tokens if not t.soft]
    if len(tokens) != sum(widths):
        return None
    out, i = [], 0
    for w in widths:
        out.append(tuple(tokens[i:i + w]))
        i += w
    return out


def fit(tokens: tuple[Token, ...], width: int) -> tuple[Token, ...]:
    """Drop lone-'|' marks beyond the row's width (they ended a row rather than left a cell empty)."""
    out = list(tokens)
    while len(out) > width and out[-1].soft:
        out.pop()
    while len(out) > width and out[0].soft:
        out.pop(0)
    return tuple(out)


def _hard(g: Group) -> int:
    return sum(1 for t in g.tokens if not t.soft)


def assign(stream: list[Item], rows: list[tuple[tuple[str, ...], Any, list[CellSpec]]], table: str, source: str
           ) -> tuple[list[tuple[Token, ...] | None], list[LabelHit], list[Finding]]:
    """The tokens printed for each row, in the table's row order.

    The rows' order is fixed by the form, so numbers are assigned in order: one group of numbers
    per row when the counts agree (this survives PDF text whose numbers print above or inside
    their wrapped labels), or cut by the rows' widths when every number stands apart.  Otherwise
    each row takes the numbers that follow its label, and what cannot be placed is reported.
    """
    hits = find_labels(stream, [(p, r) for p, r, _ in rows if r is not None])
    label_ends = {h.item for h in hits}
    # lone '|' marks make a row of empty cells only right after a row's label
    gs = [g for g in groups(stream) if _hard(g) or (g.start - 1) in label_ends]
    widths = [len(cells) for _, _, cells in rows]
    doubts: list[Finding] = []
    if hits:  # numbers before the table's first label are not the table's (an intro sentence)
        first = min(h.item for h in hits)
        head = [g for g in gs if g.start < first]
        if head and len(gs) - len(head) >= len(rows):
            gs = [g for g in gs if g.start >= first]
    if len(gs) == len(rows) and all(_hard(g) <= w for g, w in zip(gs, widths)):
        return [fit(g.tokens, w) for g, w in zip(gs, widths)], hits, doubts
    chunks = _chunk(gs, widths)
    if chunks is not None:
        return list(chunks), hits, doubts
    # by label: the numbers between a row's label and the next label
    by_path = {h.path: h for h in hits}
    starts = sorted(h.item for h in hits)
    out: list[tuple[Token, ...] | None] = []
    used: set[int] = set()
    for path, row, cells in rows:
        if row is None:  # a transposed block printed as one row: its numbers, wherever they stand
            free = [i for i in range(len(gs)) if i not in used]
            if free:
                used.add(free[0])
            out.append(gs[free[0]].tokens if free else None)
            continue
        hit = by_path.get(path)
        if hit is None:
            out.append(None)
            continue
        nxt = next((s for s in starts if s > hit.item), len(stream))
        mine = [i for i, g in enumerate(gs) if hit.item < g.start < nxt and i not in used]
        if mine:
            used.add(mine[0])
            out.append(fit(gs[mine[0]].tokens, len(cells)))
        else:
            out.append(None)
    for i, g in enumerate(gs):
        if i not in used:
            doubts.append(F.STRAY(pointer=f"/{table}", file=source, line=g.tokens[0].line,
                                  candidates=tuple(t.raw for t in g.tokens)))
    return out, hits, doubts




def rows(state: State) -> State:
    compact = {t: normalize("".join(i.text for i in s if i.kind == "text")) for t, s in state.streams.items()}
    spec, found = detect_format(state.registry, compact, state.meta.get("title_year"))
    assigned: dict[str, tuple[Any, ...]] = {}
    hits: dict[str, tuple[LabelHit, ...]] = {}
    for table in TABLES:
        printed = printed_rows(spec, table)
        stream = list(state.streams.get(table, ()))
        if not stream:
            assigned[table] = (None,) * len(printed)
            found.append(F.TABLE_MISSING(pointer=f"/{table}", file=state.source, table=spec.table(table).label))
            continue
        tokens, table_hits, doubts = assign(stream, printed, table, state.source)
        assigned[table], hits[table] = tuple(tokens), tuple(table_hits)
        found.extend(doubts)
    return attrs.evolve(state, spec=spec, assigned=assigned, hits=hits, findings=state.found(*found))
