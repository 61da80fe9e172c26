"""The ``audit``, ``aggregate`` and ``compare`` commands (added to the ``govdisclosure`` group)."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

import click

from .._click import Command
from ..errors import LoadError
from ..io.source import os_reason
from ..labels import Label

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="消息语言 / language of messages")


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def total_registry() -> Any:
    from ..registry import Registry

    return Registry.default()


def _load(path: str, lang: str) -> Any:
    from ..api import load

    try:
        return load(path)
    except LoadError as exc:
        click.echo(exc.summary(lang), err=True)
        sys.exit(2)


@click.command(cls=Command)
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default="audit.sqlite", show_default=True, metavar="FILE",
              help="SQLite 存储文件（已有则更新、续跑）/ the SQLite store (updated and resumed if it exists)")
@click.option("--csv", "csv_out", default=None, metavar="FILE",
              help="每个输入一行的 CSV（状态、原因、问题数、指标）/ one line per input: status, reason, counts, "
                   "metrics")
@click.option("--html", "html_out", default=None, metavar="FILE",
              help="审核页面（自包含 HTML；问题最多的报告写在旁边的目录）/ the audit page (self-contained HTML; the "
                   "riskiest reports' pages are written in a folder beside it)")
@click.option("--top", default=50, show_default=True, type=click.IntRange(0, None),
              help="页面列出的风险最高报告数 / riskiest reports on the page")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(0, None),
              help="工作进程数（0：在本进程内）/ worker processes (0: in this process)")
@click.option("--agencies", default=None, metavar="MAP.csv",
              help="机关对照表：match,agency_id,name,level,region / the agency map (see docs/audit.md)")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0, None),
              help="每个输入的时限（秒，0 为不限）/ seconds allowed per input (0: no limit)")
@click.option("--exclude", multiple=True, metavar="GLOB", help="跳过这些文件名 / skip file names matching GLOB")
@click.option("--dask", "dask_scheduler", default=None, metavar="SCHEDULER",
              help="在 Dask 上运行：processes、threads、synchronous 或调度器地址 / run on Dask: processes, threads, "
                   "synchronous or a scheduler address (pip install 'govdisclosure[dask]')")
@click.option("--prune", is_flag=True,
              help="从库中删除给出的目录下本次未见的输入（已删除或移动的文件）/ drop from the store the inputs under "
                   "the folders given that this run did not find (files deleted or moved)")
@click.option("--refresh", is_flag=True,
              help="重新读取全部输入，包括已存且未改动的（如升级之后）/ read every input again, stored and unchanged "
                   "ones too (after an upgrade, say)")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="摘要的格式 / format of the summary")
@LANG
def audit(paths: Sequence[str], db: str, csv_out: str | None, html_out: str | None, top: int, jobs: int,
          agencies: str | None, timeout: float, exclude: Sequence[str], dask_scheduler: str | None, prune: bool,
          refresh: bool, output: str, lang: str) -> None:
    """批量审核：读取目录中的全部报告，校验，写入 SQLite 存储，并输出摘要、CSV 与审核页面。

    Audit many reports: read every report under PATHS (folders are walked; "-" reads a list of file
    names on standard input), check each with every installed rule and each agency's reports across
    years, store everything in SQLite, and print a summary.  Exit 0: done, no error found; 1: errors
    found; 2: some inputs could not be read; 130: interrupted (run again to resume).
    """
    from .run import audit as run_audit

    mapping = _agency_map(agencies, lang)
    executor = None
    if dask_scheduler:
        from .on_dask import dask_executor

        executor = dask_executor(dask_scheduler, limit=timeout or None)
    try:
        summary = run_audit(_given(paths), db, jobs=jobs, limit=timeout or None, agencies=mapping,
                            exclude=tuple(exclude), executor=executor, prune=prune,
                            refresh=refresh)
        errors = _write_outputs(db, csv_out, html_out, top, lang)
    except (sqlite3.Error, OSError) as exc:
        where = getattr(exc, "filename", None) or db
        reason = write_reason(exc)
        click.echo(_say(lang, f"govdisclosure: 无法写入 {where}：{reason.zh}",
                        f"govdisclosure: cannot write {where}: {reason.en}"), err=True)
        sys.exit(2)
    if output == "json":
        import attrs

        click.echo(json.dumps(attrs.asdict(summary), ensure_ascii=False, indent=2, default=str))
    else:
        for line in summary.lines(lang):
            click.echo(line)
        for what, path in (("CSV", csv_out), (_say(lang, "页面", "page"), html_out)):
            if path:
                click.echo(f"{what} → {path}")
    if summary.interrupted:
        sys.exit(130)
    sys.exit(2 if summary.failed or summary.kept else 1 if errors else 0)


#: SQLite's errors, in the words of both languages (by words of its message: its error codes need Python 3.11)
_SQLITE: tuple[tuple[str, Label], ...] = (
    ("database is locked", Label("数据库被另一进程锁定（另一个 audit 正在写入？）",
                                 "the database is locked by another process (another audit writing to it?)")),
    ("unable to open", Label("无法打开数据库文件", "unable to open the database file")),
    ("not a database", Label("不是 SQLite 数据库文件", "not an SQLite database file")),
    ("readonly", Label("数据库只读", "the database is read-only")),
    ("malformed", Label("数据库文件已损坏", "the database file is damaged")),
    ("full", os_reason(OSError(errno.ENOSPC, ""))),
    ("I/O error", os_reason(OSError(errno.EIO, ""))),
)


def write_reason(exc: sqlite3.Error | OSError) -> Label:
    """Why the store or an output could not be written, in the words core uses for the same condition."""
    if isinstance(exc, OSError):
        return os_reason(exc)
    from .store import StoreRefused  # (imported by the store's run already)

    if isinstance(exc, StoreRefused):
        return exc.reason
    text = str(exc)
    return next((said for words, said in _SQLITE if words in text), Label(f"SQLite 错误：{text}", f"SQLite: {text}"))


def _given(paths: Sequence[str]) -> list[str | bytes]:
    """The paths, with "-" replaced by the list of file names read on standard input."""
    from .inputs import read_list

    given: list[str | bytes] = []
    for p in paths:
        if p == "-":
            given.extend(read_list(sys.stdin.buffer))
        else:
            given.append(p)
    return given


def _agency_map(path: str | None, lang: str) -> Any:
    from .agencies import AgencyMap

    if not path:
        return None
    try:
        return AgencyMap.read(path)
    except LoadError as exc:
        click.echo(exc.summary(lang), err=True)
        sys.exit(2)


def _write_outputs(db: str, csv_out: str | None, html_out: str | None, top: int, lang: str) -> int:
    """Write the CSV and the page from the store; returns the number of error findings in it."""
    from .page import write_page
    from .run import export_csv
    from .store import Store

    with Store(db) as store:
        if csv_out:
            os.makedirs(os.path.dirname(os.path.abspath(csv_out)), exist_ok=True)
            export_csv(store, csv_out)
        if html_out:
            os.makedirs(os.path.dirname(os.path.abspath(html_out)), exist_ok=True)
            write_page(store, html_out, top=top, lang=lang)
        return int(store.db.execute("SELECT COUNT(*) FROM findings WHERE severity = 'error'").fetchone()[0])


@click.command(cls=Command)
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", "out", required=True, metavar="TOTAL",
              help="汇总报告（规范 JSON）/ the total (canonical JSON)")
@click.option("--agency", default=None, help="汇总报告的机关名称 / the total's agency name")
@click.option("--level", default=None, help="汇总报告的机关层级 / the total's agency level")
@click.option("--region", default=None, help="所在地区 / region")
@click.option("--title", default=None, help="标题 / title")
@LANG
def aggregate(files: Sequence[str], out: str, agency: str | None, level: str | None, region: str | None,
              title: str | None, lang: str) -> None:
    """把同一年度、同一格式的多份报告逐格相加（例如各部门汇总为全市）。

    Sum reports of one year and format cell by cell (a city's departments into a city total).  A cell
    blank in any input is blank in the total, and its provenance names those inputs.  Amounts in 元 and 万元
    are converted exactly and summed in one unit, kept in the total's provenance; an amount with no unit
    beside one with a unit leaves the total blank (单位不同 / units differ).
    """
    from ..api import dump, validate
    from ..output import OutputError, write_atomic
    from .aggregate import UNITS_DIFFER
    from .aggregate import aggregate as run

    reports = [(f, _load(f, lang)) for f in files]
    try:
        total = run(reports, agency=agency, level=level, region=region, title=title)
    except LoadError as exc:
        click.echo(exc.summary(lang), err=True)
        sys.exit(2)
    try:
        write_atomic(out, dump(total).encode("utf-8"))
    except OutputError as exc:
        click.echo(f"govdisclosure: {exc}", err=True)
        sys.exit(2)
    blanks = sum(1 for _, v in total.cells() if v is None)
    from ..rules.types import Equation

    # the total has no narrative of its own: only its balances are worth reporting here
    balances = {r.code for r in total_registry().rules.values() if isinstance(r, Equation)}
    errors = [f for f in validate(total) if f.severity.value == "error" and f.code in balances]
    # amounts left blank because an input gave no unit beside one that did
    units = sum(1 for p in total.provenance.values() if p.note and p.note.startswith(UNITS_DIFFER))
    of_zh, of_en = ((f"，其中单位不同 {units} 个", f", {units} of them amounts in different units") if units
                    else ("", ""))
    click.echo(_say(lang, f"{len(reports)} 份报告已汇总 → {out}（空白单元格 {blanks} 个{of_zh}，"
                          f"勾稽错误 {len(errors)} 个）",
                    f"{len(reports)} reports summed → {out} ({blanks} blank cells{of_en}, "
                    f"{len(errors)} balance errors)"))


@click.command(cls=Command)
@click.argument("old")
@click.argument("new")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
@LANG
def compare(old: str, new: str, output: str, lang: str) -> None:
    """比较两份报告：变化的单元格（两值及差），以及 NEW 逐字重复 OLD 的文字（句子占比并引用）。

    Compare two reports: the cells that changed (both values and the difference) and the narrative
    NEW repeats word for word from OLD (the share of sentences, the sentences quoted).
    """
    from .compare import compare as run

    before, after = _load(old, lang), _load(new, lang)
    result = run(before, after)
    if output == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(_say(lang, f"比较了 {result.cells} 个单元格，{len(result.changed)} 个不同：",
                    f"{result.cells} cells compared, {len(result.changed)} differ:"))
    _not_compared(result, before.spec, after.spec, lang)
    for c in result.changed:
        diff = "—" if c.difference is None else f"{c.difference:+}"
        old_v, new_v = _v(c.old) + (c.old_unit or ""), _v(c.new) + (c.new_unit or "")  # units shown where they differ
        click.echo(f"  {c.pointer}  {c.row_label} · {c.column_label}: {old_v} → {new_v} ({diff})")
    if result.narrative is None:
        click.echo(_say(lang, "文字重复：本安装没有句子比较模块（govdisclosure.text），未比较",
                        "copied narrative: not compared (govdisclosure.text is not installed)"))
        return
    share = result.copied_share or 0.0
    click.echo(_say(lang, f"文字重复：NEW 的句子有 {share:.0%} 与 OLD 逐字相同",
                    f"copied narrative: {share:.0%} of NEW's sentences repeat OLD word for word"))
    for p in result.narrative:
        click.echo(f"  [{p.part}] {len(p.repeated)}/{p.sentences} ({p.share:.0%})")
        for s in p.repeated:
            click.echo(f"    「{s}」")


def _not_compared(result: Any, old: Any, new: Any, lang: str) -> None:
    """The cells one report has and the other not (two formats: 规章's columns, 上一年项目数量, （六）其他处理's
    sub-rows…), by row: left out of the count, which says so (probe 13 #15)."""
    if not result.only_old and not result.only_new:
        return
    a, b = result.formats
    why = (_say(lang, f"两份报告格式不同（OLD 为 {a} 格式，NEW 为 {b} 格式）", f"the reports are on two formats "
                f"(OLD {a}, NEW {b})") if a != b else _say(lang, "两份报告的表格不同", "the reports' tables differ"))
    click.echo(_say(lang, f"未比较：{why}，以下 {len(result.only_old) + len(result.only_new)} 个单元格只有一方有",
                    f"not compared: {why}; these {len(result.only_old) + len(result.only_new)} cells are in one "
                    f"report only"))
    for side, spec, pointers in (("OLD", old, result.only_old), ("NEW", new, result.only_new)):
        if pointers:
            click.echo(_say(lang, f"  仅 {side}（{len(pointers)}）：", f"  {side} only ({len(pointers)}): ")
                       + _by_row(spec, pointers, lang))


def _by_row(spec: Any, pointers: tuple[str, ...], lang: str) -> str:
    """Cells named row by row: 规章（本年新制作数量、本年新公开数量）；（六）其他处理（自然人、…）."""
    rows: dict[str, list[str]] = {}
    for pointer in pointers:
        cell = spec.cell(pointer)
        row = " › ".join([*(g.get(lang) for g in cell.group_labels), cell.row.label.get(lang)])
        rows.setdefault(row, []).append(cell.column.label.get(lang))
    if lang == "zh":
        return "；".join(f"{row}（{'、'.join(columns)}）" for row, columns in rows.items())
    return "; ".join(f"{row} ({', '.join(columns)})" for row, columns in rows.items())


def _v(value: Any) -> str:
    return "空白/blank" if value is None else str(value)
