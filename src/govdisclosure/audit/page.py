"""The audit page: one self-contained HTML file (inline CSS and SVG, no script), and beside it the
rendered page of each of the worst reports, its failing cells marked."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from typing import Any

from ..api import render
from ..findings import printable
from ..model.scalars import LEVEL_LABELS
from .metrics import FUNNEL, METRICS, TERMS, term_label
from .store import NOT_FOUND, REPUBLISHED_COUNTS, ROW_JOINS, Store, chains

__all__ = ["write_page"]

PALETTE = ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac", "#1b7837", "#762a83", "#e08214", "#8c510a", "#01665e",
           "#c51b7d", "#4d4d4d", "#35978f")
SEVERITY_COLOR = {"fatal": "#67001f", "error": "#b2182b", "warning": "#ef8a62", "info": "#67a9cf"}

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 1100px; color: #222; line-height: 1.5; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.6rem; }
svg { display: block; margin: .5rem 0 1rem; max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: #222; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: middle; }
.muted { color: #666; font-size: .85rem; }
@media print { body { margin: 0; } h2 { break-after: avoid; } svg, table { break-inside: avoid; } }
"""


#: a metrics row summed over every value of a column, and a group whose value is not known
ALL = "全部 / all"
UNKNOWN = "未知 / unknown"


def _level(level: str | None) -> str:
    label = LEVEL_LABELS.get(level or "")
    return f"{label.zh} / {level}" if label else (level or "未知层级 / level unknown")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    if not rows:
        out.append(f'<tr><td class="none" colspan="{len(head)}">无 / none</td></tr>')
    for row in rows:
        out.append("<tr>" + "".join(f'<td class="n">{v}</td>' if i in numeric else f"<td>{v}</td>"
                                    for i, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _legend(names: Sequence[str]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{PALETTE[i % len(PALETTE)]}"></i>{_e(n)}</span>' for i, n in enumerate(names)
    ) + "</div>"


def stacked_bars(title: str, rows: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str], *,
                 chart: str) -> str:
    """Horizontal stacked bars: one bar per row, one coloured segment per series (None: unknown, "—")."""
    if not rows:
        return f'<p class="muted">{_e(title)}: —</p>'
    label_w, bar_w, h = 230, 640, 22
    top = max(sum(x for x in v if x is not None) for _, v in rows) or 1
    height = h * len(rows) + 10
    out = [f'<svg class="chart" data-chart="{_e(chart)}" role="img" aria-label="{_e(title)}" '
           f'viewBox="0 0 {label_w + bar_w + 60} {height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, values) in enumerate(rows):
        y = i * h + 5
        out.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(label)}</text>')
        x = float(label_w)
        if all(v is None for v in values):
            out.append(f'<text x="{x + 4:.1f}" y="{y + 15}">—</text>')
            continue
        for j, v in enumerate(values):
            if v is None or v <= 0:
                continue
            w = bar_w * v / top
            out.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{h - 6}" '
                       f'fill="{PALETTE[j % len(PALETTE)]}"><title>{_e(label)} · {_e(series[j])}: {v:g}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(v for v in values if v is not None):g}</text>')
    out.append("</svg>")
    return out[0] + "".join(out[1:]) + (_legend(series) if len(series) > 1 else "")


def heat_map(rows: Sequence[str], cols: Sequence[Any], cells: dict[tuple[str, Any], tuple[int, int]]) -> str:
    """Region × year: the share of reports with an error, the counts written in each cell."""
    if not rows or not cols:
        return '<p class="muted">—</p>'
    label_w, cw, ch = 230, 64, 24
    out = [f'<svg class="chart" data-chart="heatmap" role="img" aria-label="heat map" '
           f'viewBox="0 0 {label_w + cw * len(cols) + 10} {ch * (len(rows) + 1) + 10}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for j, col in enumerate(cols):
        out.append(f'<text x="{label_w + cw * j + cw / 2}" y="16" text-anchor="middle">{_e(col)}</text>')
    for i, row in enumerate(rows):
        y = ch * (i + 1)
        out.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{_e(row)}</text>')
        for j, col in enumerate(cols):
            bad, total = cells.get((row, col), (0, 0))
            if not total:
                fill, text = "#f4f4f4", ""
            else:
                share = bad / total
                fill = f"rgb(255,{int(255 - 180 * share)},{int(255 - 200 * share)})"
                text = f"{bad}/{total}"
            out.append(f'<rect x="{label_w + cw * j}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{fill}">'
                       f'<title>{_e(row)} {_e(col)}: {_e(text)}</title></rect>'
                       f'<text x="{label_w + cw * j + cw / 2}" y="{y + 16}" text-anchor="middle">{text}</text>')
    out.append("</svg>")
    return "".join(out)


def _short(label: str) -> str:
    # （二）部分公开（区分处理的，…） → （二）部分公开: the note in brackets does not fit beside a bar
    return re.sub(r"（[^）]*）$", "", label) if len(label) > 14 else label


def _funnel(store: Store, where: str, params: Sequence[Any]) -> tuple[list[tuple[str, list[float | None]]], str]:
    spec = store.registry.format(max(store.registry.formats))
    labels = {t.id: term_label(spec, t.id) for t in TERMS}
    sums = ", ".join(f"SUM({t}), COUNT({t})" for t in FUNNEL)
    row = store.db.execute(f"SELECT COUNT(*), {sums} FROM report_numbers n JOIN reports r USING (report_id) "
                           f"WHERE r.counted = 1 AND ({where})", params).fetchone()
    total = row[0]
    out = []
    notes = []
    copies = store.db.execute(f"SELECT COUNT(*) FROM reports r WHERE r.counted = 0 AND ({where})", params).fetchone()[0]
    if copies:
        notes.append(_copies(copies))
    for i, t in enumerate(FUNNEL):
        value, known = row[1 + 2 * i], row[2 + 2 * i]
        label = labels[t]
        out.append((f"{_short(label.zh)} / {label.en}", [None if value is None else float(value)]))
        if known < total:
            # the parser's gaps (a table or row never found: a truncated page, an image) are not the agency's blanks
            unfound = store.db.execute(
                f"SELECT COUNT(DISTINCT v.report_id) FROM cell_values v JOIN cell_specs s USING (cell_id) {ROW_JOINS} "
                f"JOIN reports r ON r.report_id = v.report_id WHERE s.term = ? AND r.counted = 1 AND ({where}) "
                f"AND {NOT_FOUND}", (t, *params)).fetchone()[0]
            said = [(total - known - unfound, "份报告空白或未能拆分", "report{} blank or unsettled"),
                    (unfound, "份报告未找到该表或行", "report{} where the table or row was not found")]
            notes.append(f"{_short(label.zh)}：" + "、".join(f"{n} {zh}" for n, zh, _ in said if n) + "，未计入 · "
                         f"{label.en}: " + ", ".join(f"{n} {en.format('' if n == 1 else 's')}" for n, _, en in said
                                                      if n) + ", not counted")
    return out, "；".join(notes)


def write_page(store: Store, out: str, *, top: int = 50, lang: str = "zh") -> list[str]:
    """Write the audit page to ``out`` and the worst ``top`` reports beside it; returns the files written."""
    q = store.db.execute
    folder = os.path.splitext(out)[0] + "-reports"
    written = [out]
    parts = [f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>审核报告 / Audit</title>'
             f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>',
             "<h1>政府信息公开工作年度报告审核 / Audit of annual reports</h1>"]
    n_inputs = q("SELECT COUNT(*) FROM inputs").fetchone()[0]
    n_failed = q("SELECT COUNT(*) FROM inputs WHERE status = 'failed'").fetchone()[0]
    n_reports = q("SELECT COUNT(*) FROM reports").fetchone()[0]
    n_error_reports = q("SELECT COUNT(DISTINCT report_id) FROM findings WHERE severity = 'error'").fetchone()[0]
    n_series = q("SELECT COUNT(*) FROM series WHERE last_year > first_year").fetchone()[0]
    n_dup = q("SELECT COUNT(*) FROM (SELECT DISTINCT agency_key, year FROM reports WHERE duplicate = 1)").fetchone()[0]
    cards = [("输入 / inputs", n_inputs), ("无法读取 / failed", n_failed), ("报告 / reports", n_reports),
             ("有错误的报告 / with errors", n_error_reports), ("跨年系列 / series over two or more years", n_series),
             ("同机关同年重复 / duplicate agency-years", n_dup)]
    parts.append('<div class="cards" id="summary">' + "".join(
        f'<div class="card"><b>{v}</b>{_e(k)}</div>' for k, v in cards) + "</div>")
    parts.append("<h2>按年度与格式 / Reports by year and format</h2>")
    parts.append(_table(["年度 / year", "格式 / format", "变体 / variant", "报告 / reports"],
                        [(_e(y if y is not None else "?"), _e(v), _e(var or ""), n) for y, v, var, n in q(
                            "SELECT year, format_version, variant, COUNT(*) FROM reports GROUP BY 1, 2, 3 "
                            "ORDER BY 1, 2, 3")], numeric=(3,)))

    # findings per rule by year, and by level
    years = [y for (y,) in q("SELECT DISTINCT year FROM reports ORDER BY year")]
    levels = [lv for (lv,) in q("SELECT DISTINCT level FROM reports ORDER BY level")]
    codes = [c for (c,) in q("SELECT code FROM findings GROUP BY code ORDER BY COUNT(*) DESC")]
    for key, values, chart, title in (("year", years, "by-year", "各规则的问题数（按年度）/ Findings per rule by year"),
                                      ("level", levels, "by-level",
                                       "各规则的问题数（按机关层级）/ Findings per rule by agency level")):
        counts = {(c, k): n for c, k, n in q(
            f"SELECT f.code, r.{key}, COUNT(*) FROM findings f JOIN reports r USING (report_id) GROUP BY 1, 2")}
        bars: list[tuple[str, list[float | None]]] = [(c, [float(counts.get((c, v), 0)) for v in values])
                                                      for c in codes]
        parts.append(f"<h2>{_e(title)}</h2>")
        names = [_level(v) if key == "level" else str(v) if v is not None else "?" for v in values]
        parts.append(stacked_bars(title, bars, names, chart=chart))

    # region × year heat map of reports with errors
    parts.append("<h2>有错误的报告：地区 × 年度 / Reports with errors: region × year</h2>")
    cells: dict[tuple[str, Any], tuple[int, int]] = {}
    regions: list[str] = []
    for region, year, bad, total in q(
            "SELECT COALESCE(r.region, '（未知地区）'), r.year, SUM(EXISTS (SELECT 1 FROM findings f WHERE "
            "f.report_id = r.report_id AND f.severity = 'error')), COUNT(*) FROM reports r GROUP BY 1, 2 ORDER BY 1"):
        if region not in regions:
            regions.append(region)
        cells[(region, year if year is not None else "?")] = (bad, total)
    parts.append(heat_map(regions, [y if y is not None else "?" for y in years], cells))
    parts.append('<p class="muted">每格：有错误的报告数 / 报告数 · each cell: reports with an error / reports</p>')

    # the request-outcome funnel, whole set and per level
    parts.append("<h2>申请办理漏斗 / Request outcomes</h2>")
    rows, note = _funnel(store, "1", ())
    parts.append(stacked_bars("全部 / all", rows, ["件 / requests"], chart="funnel"))
    if note:
        parts.append(f'<p class="muted">{_e(note)}</p>')
    for level in levels:
        rows, note = _funnel(store, "r.level IS ?", (level,))
        parts.append(f"<h3>{_e(_level(level))}</h3>" + stacked_bars(_level(level), rows, ["件 / requests"],
                                                                     chart="funnel"))
        if note:
            parts.append(f'<p class="muted">{_e(note)}</p>')

    # metrics by year and level
    parts.append("<h2>指标 / Metrics (docs/audit.md)</h2>")
    head = ["年度 / year", "层级 / level", "报告 / reports", *(f"{m.label.zh} / {m.label.en}" for m in METRICS)]
    mrows = []
    # by_year / by_level tell a roll-up ("all") from a group whose year or level is not known
    for row in q(f"SELECT year, level, by_year, by_level, reports, {', '.join(m.id for m in METRICS)} "
                 "FROM group_metrics WHERE by_region = 0 AND (by_year OR by_level) "
                 "ORDER BY by_year = 0, year IS NULL, year, by_level = 0, level IS NULL, level"):
        year, level, by_year, by_level = row[:4]
        mrows.append([_e(ALL if not by_year else UNKNOWN if year is None else year),
                      _e(ALL if not by_level else UNKNOWN if level is None else _level(level)), row[4],
                      *(_fmt(v, m.denominator is not None) for v, m in zip(row[5:], METRICS, strict=True))])
    parts.append(_table(head, mrows, numeric=tuple(range(2, len(head)))))
    parts.append(f'<p class="muted">{ALL}：该列各值合计 · all values of the column together；'
                 f'{UNKNOWN}：报告未载明 · the reports do not say</p>')
    if n_dup:
        copies = q("SELECT COUNT(*) FROM reports WHERE counted = 0").fetchone()[0]
        parts.append(f'<p class="muted">{_e(_copies(copies))}（见下方「同一机关同一年度的多份报告」· see the duplicate '
                     f'agency-years below）</p>')

    # the worst reports, each linked to its own page
    parts.append(f"<h2>风险最高的 {top} 份报告 / The {top} riskiest reports</h2>")
    os.makedirs(folder, exist_ok=True)
    ranked = []
    for rank, rid, agency, year, level, source, errors, warnings, blanks, unsettled, not_found in q(
            "SELECT rank, report_id, agency, year, level, source, errors, warnings, blanks, unsettled, not_found "
            "FROM risk_ranking WHERE rank <= ? ORDER BY rank", (top,)):
        name = f"{rank:03d}-report-{rid}.html"
        report = store.report(rid)
        page = render(report, "html", findings=store.findings_of(rid), registry=store.registry)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(page)
        written.append(os.path.join(folder, name))
        link = f'{_e(os.path.basename(folder))}/{_e(name)}'
        ranked.append((rank, f'<a href="{link}">{_e(agency or "（未署名）")}</a>', _e(year), _e(_level(level)),
                       errors, warnings, blanks, unsettled, not_found, _e(printable(source or ""))))
    parts.append(_table(["#", "机关 / agency", "年度 / year", "层级 / level", "错误 / errors", "警告 / warnings",
                         "空白格 / blanks", "未能拆分 / unsettled", "未找到 / not found", "来源 / source"], ranked,
                        numeric=(0, 4, 5, 6, 7, 8)))
    parts.append('<p class="muted">空白格：原文该格未填或填“/”“—”；未能拆分：原文印有数字，但无法唯一拆分到各格；'
                 '未找到：解析时没有找到该格所在的表或行（摘录、截断的页面、印成图片的表），不知原文是否填写。'
                 '后两者都不算机关漏填，不参与排名 · blanks: the report printed the cell empty, "/" or "—"; unsettled: '
                 'it printed digits the parser could not split into the cells; not found: the parser did not find '
                 'the cell\'s table or row (an excerpt, a truncated page, a table printed as an image), so what the '
                 'report printed there is unknown. Neither of the last two is the agency\'s blank, nor ranks a '
                 'report</p>')

    parts.append("<h2>无法读取的输入 / Failed inputs</h2>")
    parts.append(_table(["文件 / file", "代码 / code", "原因 / reason"],
                        [(_e(printable(p)), _e(c), _e(z) + "<br>" + _e(e)) for p, c, z, e in q(
                            "SELECT path, error_code, error_zh, error_en FROM failed_inputs ORDER BY path")]))
    parts.append("<h2>同一机关同一年度的多份报告 / Duplicate agency-years (all kept, summed once)</h2>")
    parts.append('<p class="muted">每个机关年度只有一份计入指标与漏斗的合计：空白、未能拆分与未找到的单元格'
                 '最少的一份，其次按来源路径排序 · one report of each agency-year is summed in the metrics and the '
                 'funnel: the one with the fewest blank, unsettled or not-found cells, then the first by source '
                 'path</p>')
    parts.append(_table(["机关 / agency", "年度 / year", "来源 / source", "计入合计 / summed"],
                        [(_e(a), _e(y), _e(printable(s or "")), "✓" if c else "") for a, y, s, c in q(
                            "SELECT agency, year, source, counted FROM duplicates "
                            "ORDER BY agency_key, year, counted DESC, source")]))
    parts += _republications(store)
    parts.append(f'<p class="muted">store: {_e(os.path.basename(store.path))}</p></body></html>')
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(parts))
    return written


def _republications(store: Store) -> list[str]:
    """The probable republications: names that nest in a chain with identical cells (one line each chain), those
    with few counts, then names that match several that do not nest in each other."""
    found = store.republications()
    out = ["<h2>可能的重复发布 / Probable republications</h2>"]
    out.append(f'<p class="muted">同一年度、名称相互包含（一个以另一个结尾，'
               f'如“青川市白河县人民政府”与“白河县人民政府”，或逐级包含：省、市、县门户都发布县的报告）'
               f'且单元格完全相同（非零的数至少 {REPUBLISHED_COUNTS} 个，合计不算：零星几个数偶然相同并不少见）的报告：'
               f'可能是同一份报告以不同名称发布。不自动合并（同名的区县不止一个）；'
               f'若是同一机关，请用 --agencies 对照 · reports of one year whose names nest '
               f'(one ends with the other, or each with the next: province, city and county portals) and whose cells '
               f'are identical ({REPUBLISHED_COUNTS} non-zero counts at least, totals aside: a few small counts agree '
               f'by chance): one report published under several names? Not merged (names repeat across the '
               f'country); if they are one agency, map them with --agencies</p>')
    out.append(_names(found.pairs))
    if found.few:
        out.append(f'<p class="muted">同上，但非零的数不足 {REPUBLISHED_COUNTS} 个（数少，可能偶然相同）：'
                   f'请先核对 · the same with fewer than {REPUBLISHED_COUNTS} non-zero counts (few counts: check, '
                   f'small counts agree by chance)</p>')
        out.append(_names(found.few))
    if found.groups:
        out.append('<p class="muted">一个名称与几个互不包含的名称单元格完全相同（如“教育局”与“白河县教育局”、'
                   '“青川县教育局”）：多为模板照抄或署名有误，未必是同一机关；请先核对，勿直接对照（那会把它们并为一个机关）'
                   ' · one name with the same cells as several others that do not nest in each other: more likely a '
                   'template copied or a report under the wrong name than one agency; check before mapping (that '
                   'would make them all one agency)</p>')
        out.append(_table(["年度 / year", "名称与来源 / names and sources"],
                          [(_e(y), "<br>".join(f"{_e(a)} ({_e(printable(src))})" for a, src in members))
                           for y, members in found.groups]))
    if found.left_out:
        out.append(f'<p class="muted">另有 {found.left_out} 份报告如上一名称与几个名称相同，但非零的数不足 '
                   f'{REPUBLISHED_COUNTS} 个（常见的乡镇名，多为偶然相同）：未列出，均计入合计 · {found.left_out} more '
                   f'reports like these with fewer than {REPUBLISHED_COUNTS} non-zero counts (a common town name: '
                   f'chance, most likely): not listed, all summed</p>')
    return out


def _names(rows: list[tuple[int, str, str, str, str]]) -> str:
    """One row a republished report: its names (and sources), the longest first."""
    return _table(["年度 / year", "机关 / agency", "来源 / source", "另一名称 / other names", "来源 / source"],
                  [(_e(y), _e(a), _e(printable(s)), "<br>".join(_e(b) for b, _ in rest),
                    "<br>".join(_e(printable(t)) for _, t in rest)) for y, ((a, s), *rest) in chains(rows)])


def _copies(n: int) -> str:
    return (f"含同一机关同一年度的重复报告 {n} 份，合计只计其中一份 · {n} further report{'' if n == 1 else 's'} of an "
            f"agency-year already counted: summed once")


def _fmt(value: Any, ratio: bool) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.1f}%" if ratio else f"{value:g}"
