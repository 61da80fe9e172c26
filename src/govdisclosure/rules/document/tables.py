"""The tables as a document: copied from last year, totals that jump, table 2's labels as printed."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from ...findings import Finding
from ...formats.spec import Label
from .narrative import fold, option, per_options, quoting, simplified

if TYPE_CHECKING:
    from ...formats.spec import FormatSpec, Row
    from ...model import Report
    from ...registry import Registry
    from ..types import RuleContext

__all__ = ["jump", "same_numbers", "t2_label", "t2_total_eq_new", "t2_unknown_row"]

SOURCE = Label("原文", "the source")


def _name(report: Report, table: str, line: Any) -> Label:
    """Where a table's words are: the source's lines when known, else the table."""
    return SOURCE if isinstance(line, int) else report.spec.table(table).label


def same_numbers(report: Report, previous: Report, ctx: RuleContext) -> Iterator[Finding]:
    before = {cell.pointer: value for cell, value in zip(previous.spec.cells(), ctx.values(previous), strict=True)}
    common = [(cell, value) for cell, value in zip(report.spec.cells(), ctx.values(report), strict=True)
              if cell.pointer in before]
    if not common or any(value != before[cell.pointer] for cell, value in common):
        return
    nonzero = [(cell, value) for cell, value in common if value]
    if len(nonzero) < ctx.options["min_nonzero"]:
        return
    cell, value = nonzero[0]
    prov = report.provenance.get(cell.pointer)
    line = prov.line if prov is not None else None
    yield ctx.finding(pointer="", pointers=[c.pointer for c, _ in nonzero[:20]],
                      labels=[c.label() for c, _ in nonzero[:20]], cells=len(common), nonzero=len(nonzero),
                      previous_year=previous.year, example=cell.label(), example_en=cell.label("en"), value=value,
                      **quoting(f"{cell.label()} {value}", _name(report, cell.table.id, line), cell.table.id,
                                line=line))


def jump(report: Report, previous: Report, ctx: RuleContext) -> Iterator[Finding]:
    opts = ctx.options
    ratio, floor = opts["ratio"], opts["min_value"]
    for pointer in option(opts, "pointers"):
        try:
            cell, now, then = report.spec.cell(pointer), report.cell(pointer), previous.cell(pointer)
        except KeyError:
            continue
        if now is None or then is None or now < floor or then < floor or not now or not then:
            continue  # (a zero, which a min_value of 0 lets through, has no ratio: review 14 #6)
        factor = now / then
        if factor > ratio or factor < 1 / ratio:
            prov = report.provenance.get(pointer)
            line = prov.line if prov is not None else None
            yield ctx.finding(pointer=pointer, pointers=[pointer], labels=[cell.label()], label=cell.label(),
                              label_en=cell.label("en"), value=now, previous=then, previous_year=previous.year,
                              factor=f"{factor:.1f}" if factor >= 1 else f"1/{1 / factor:.1f}",
                              **quoting(f"{cell.label()} {now}", _name(report, cell.table.id, line), cell.table.id,
                                        line=line))


# ----------------------------------------------------------------------------- table 2 as printed


def _row_pointer(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0]


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def _label_elsewhere(ctx: RuleContext, spec: FormatSpec, path: tuple[str, ...], printed: str) -> str | None:
    """The format version whose own label for this row is the one printed (an older or newer form)."""
    registry = ctx.registry
    if registry is None:
        return None
    shown = fold(printed)
    for version, labels in _labels(registry, ctx.options["table"]):
        if version != spec.version and shown in labels.get(path, ()):
            return version
    return None


@per_options
def _row_labels(registry: Registry) -> dict[str, list[tuple[str, dict[tuple[str, ...], set[str]]]]]:
    return {}  # filled table by table (_labels)


def _labels(registry: Registry, table: str) -> list[tuple[str, dict[tuple[str, ...], set[str]]]]:
    """Each format version of a registry with its own labels of a table's rows (folded), by path."""
    cache = _row_labels(registry)
    if table not in cache:
        found = []
        for version in registry.formats:
            by_path: dict[tuple[str, ...], set[str]] = {}
            for path, row, _ in registry.format(version).rows(table):
                by_path.setdefault(path, set()).add(fold(row.label.zh))
            found.append((version, by_path))
        cache[table] = found
    return cache[table]


def _kind(row: Row, printed: str, elsewhere: str | None) -> Label | None:
    if elsewhere is not None:
        return Label(f"{elsewhere} 格式的写法", f"the wording of the {elsewhere} format")
    if any(_same(a, printed) for a in row.aliases):
        return Label("已知的另一种写法", "a known variant wording")
    official, shown = fold(row.label.zh), fold(printed)
    if official.startswith(shown) or shown.startswith(official):
        return None  # cut off by a line wrap, or a note after the label: not another wording
    return Label("其他写法", "another wording")


def t2_label(report: Report, ctx: RuleContext) -> list[Finding]:
    table = ctx.options["table"]
    out = _other_versions_rows(report, ctx, table)
    seen: set[str] = set()
    prefix = f"/{table}/"  # made once, not for each of the report's cells
    for pointer, prov in report.provenance.items():
        if not pointer.startswith(prefix) or prov.label is None:  # the pointer first: a C call, the label a getattr
            continue
        row_pointer = _row_pointer(pointer)
        if row_pointer in seen:
            continue
        seen.add(row_pointer)
        try:
            cell = report.spec.cell(pointer)
        except KeyError:
            continue
        kind = _kind(cell.row, prov.label, _label_elsewhere(ctx, report.spec, cell.path, prov.label))
        if kind is None:
            continue
        pointers = list(_row_cells(report.spec, table, cell.path))
        official = cell.row.label
        said = Label(f"第“{official.zh}”行印作“{prov.label}”", f"prints the row “{official.en}” as “{prov.label}”")
        finding = ctx.finding(pointer=row_pointer, pointers=pointers, labels=[cell.row.label.zh],
                              label=prov.label, official=official, version=report.format_version, kind=kind,
                              said=said, **quoting(prov.label, _name(report, table, prov.line), table, line=prov.line))
        out.append(attrs.evolve(finding, line=prov.line) if prov.line is not None else finding)
    return out


#: the parser's finding of numbers under a label that is no row of the report's format
_NO_ROW = "GD-PARSE-NO-ROW"


def _other_versions_rows(report: Report, ctx: RuleContext, table: str) -> list[Finding]:
    """The rows of the other official version printed in the table (the 2019 format's 其他对外管理服务事项 or
    政府集中采购 in a 2021 table, a half-updated template): a row of the other form, not an unknown one, whose
    numbers the report's format has no cell for (probe 13 #11).  GD-T2-UNKNOWN-ROW leaves these rows to this rule;
    the parser's GD-PARSE-NO-ROW (a warning: numbers printed and not read) stays beside this info (review 13b #6)."""
    out: list[Finding] = []
    for _, label, printed, numbers, line in _stray_rows(ctx, table):
        found = _other_version_row(ctx, report.spec, table, label)
        if found is None:
            continue
        version, row = found
        other = "" if fold(printed) == fold(row.label.zh) else printed  # 其他对外管理服务数量: its known other wording
        said = Label(f"印有 {version} 格式的“{row.label.zh}”行" + (f"（印作“{other}”）" if other else ""),
                     f"prints the {version} format's row “{row.label.en}”" + (f" (as “{other}”)" if other else ""))
        kind = Label(f"{report.format_version} 格式没有此行，数字 {numbers} 未读入",
                     f"the {report.format_version} format has no such row: numbers {numbers} not read")
        finding = ctx.finding(pointer=f"/{table}", label=label or "—", official=row.label,
                              version=report.format_version, kind=kind, said=said, other_version=version,
                              **quoting(printed, _name(report, table, line), table,
                                        line=line if isinstance(line, int) else None))
        out.append(attrs.evolve(finding, line=line) if isinstance(line, int) else finding)
    return out


def _stray_rows(ctx: RuleContext, table: str, code: str = _NO_ROW) -> list[tuple[Finding, str, str, str, Any]]:
    """The parser's findings of numbers under no row of the table: each with its label (as the parser compared it:
    Simplified, notes out), the label as printed, its numbers (joined) and its line."""
    out: list[tuple[Finding, str, str, str, Any]] = []
    for f in ctx.load_findings:
        if f.code != code or f.params.get("table") != table:
            continue
        label = str(f.params.get("label") or "")
        numbers = "、".join(str(n) for n in f.params.get("numbers") or ()) or "—"
        out.append((f, label, str(f.params.get("printed") or label), numbers, f.params.get("line", f.line)))
    return out


def _restated(f: Finding) -> dict[str, Any]:
    """What names the parser's finding a rule's finding says again (:func:`govdisclosure.rules.engine.unrestated`)."""
    # not "code": a tool that collects the codes of validate --output json would count a finding not reported
    return {"parser_code": f.code, "line": f.line, "label": f.params.get("label")}


def _other_version_row(ctx: RuleContext, spec: FormatSpec, table: str, label: str) -> tuple[str, Row] | None:
    """The official row of another format version printed so (its label or a known other wording, equal once folded
    or cut short as a wrapped line is), of a place this version has no row for: (that version, the row)."""
    registry = ctx.registry
    shown = _shown(label)
    if registry is None or len(shown) < _MIN_LABEL:
        return None
    own = {path for path, _, _ in spec.rows(table)}
    for version in registry.formats:
        if version == spec.version:
            continue
        for path, row, _ in registry.format(version).rows(table):
            if path not in own and any(_prefixed(fold(name), shown) for name in (row.label.zh, *row.aliases)):
                return version, row
    return None


#: a printed label shorter than this (folded) is not matched by prefix: 其他 is many rows' start
_MIN_LABEL = 4


def _shown(label: str) -> str:
    """A stray row's label as rows' labels are compared: folded, and in Simplified script (a label printed in
    Traditional in a report the parser did not read as Traditional: 政府集中採購)."""
    return fold(simplified(label)) if label else ""


def _prefixed(official: str, shown: str) -> bool:
    """Whether a printed label is a row's: the same, or one a prefix of the other (a label cut by a line wrap,
    or printed with a note after it)."""
    return official.startswith(shown) or shown.startswith(official)


@functools.cache
def _row_cells(spec: FormatSpec, table: str, path: tuple[str, ...]) -> tuple[str, ...]:
    """The pointers of a row's cells, in document order."""
    return tuple(c.pointer for c in spec.cells() if c.table.id == table and c.path == path)


def _declared_by(ctx: RuleContext, table: str, label: str) -> list[tuple[str, dict[str, Any]]]:
    """Variants of the registry that declare a row printed so: each with the format version it extends."""
    registry = ctx.registry
    shown = _shown(label)
    if registry is None or len(shown) < _MIN_LABEL:
        return []
    out = []
    for variant in registry.variants.values():
        for addition in variant.add_rows:
            if addition.table != table:
                continue
            for row in addition.rows:
                if _prefixed(fold(row.label.zh), shown):
                    out.append((variant.extends, {"variant": variant.id, "row": row.id, "label": row.label.zh}))
    return out


def _variant_hint(report: Report, declared: list[tuple[str, dict[str, Any]]]) -> Label:
    """Which variant to load the report with, of those that declare the row: only one of the report's format
    version can be applied (hubei extends the 2019 format: no hint to load a 2021 report with it, probe 13 #13);
    one of the other version is named for what it is."""
    mine = [d for version, d in declared if version == report.format_version]
    if mine:
        return Label(f"（地区变体 {mine[0]['variant']} 声明了此行，可按该变体读取）",
                     f" (the {mine[0]['variant']} variant declares this row: load the report with it)")
    if declared:
        version, other = declared[0]
        return Label(f"（地区变体 {other['variant']} 为 {version} 格式声明了此行，"
                     f"本报告为 {report.format_version} 格式）",
                     f" (the {other['variant']} variant declares this row for the {version} format; this report is "
                     f"on the {report.format_version} format)")
    return Label("", "")


def t2_unknown_row(report: Report, ctx: RuleContext) -> list[Finding]:
    opts = ctx.options
    table = opts["table"]
    out: list[Finding] = []
    for f, label, printed, numbers, line in _stray_rows(ctx, table, opts["parse_code"]):
        if _other_version_row(ctx, report.spec, table, label) is not None:
            continue  # a row of the other official version: GD-T2-LABEL's finding
        declared = _declared_by(ctx, table, label)
        finding = ctx.finding(pointer=f"/{table}", label=label or "—", numbers=numbers,
                              declared=[d for version, d in declared if version == report.format_version],
                              hint=_variant_hint(report, declared), restates=_restated(f),
                              **quoting(printed, _name(report, table, line), table,
                                        line=line if isinstance(line, int) else None))
        out.append(attrs.evolve(finding, line=line) if isinstance(line, int) else finding)
    return out


def t2_total_eq_new(report: Report, ctx: RuleContext) -> list[Finding]:
    table = "proactive"
    out: list[Finding] = []
    for row, published, total in option(ctx.options, "pairs"):
        a, b = f"/{table}/{row}/{published}", f"/{table}/{row}/{total}"
        try:
            cell, x, y = report.spec.cell(b), report.cell(a), report.cell(b)
        except KeyError:
            continue
        if x is not None and x > 0 and x == y:
            prov = report.provenance.get(b)
            raw = prov.raw if prov is not None and prov.raw is not None else str(y)
            out.append(ctx.finding(pointer=b, pointers=[a, b], row=cell.row.label, value=y,
                                   **quoting(f"{cell.row.label.zh} {raw}", _name(report, table, prov and prov.line),
                                             table, line=prov.line if prov is not None else None)))
    return out
