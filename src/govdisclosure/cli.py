"""The ``govdisclosure`` command line.

Exit codes: 0 no error-severity finding; 1 at least one error; 2 an input could not be read
(or a plugin failed).  Messages are in Chinese by default, ``--lang en`` for English.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click

from . import api
from ._click import Command, Context, bilingual_help
from ._collector import for_many
from .config import rules_config
from .errors import GovDisclosureError, LoadError, PluginError, UnknownFormatError
from .findings import Finding, Severity, path_text, printable
from .formats.spec import FormatSpec, iter_rows
from .io import LoadResult
from .io.source import os_reason, read_source
from .model.scalars import LEVEL_LABELS, level_id
from .output import OutputError, into_folder, write_atomic
from .registry import Registry, distribution_version
from .rules.engine import blank_totals
from .schemas import findings_schema, generate_schema

T = TypeVar("T")

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="消息语言 / language of messages")
OUTPUT = click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="输出格式 / output format")


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a plugin failure, an unknown name or an unwritable output into one line and exit 2,
    never a traceback."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PluginError as exc:
            click.echo(f"govdisclosure: 插件错误 / plugin error: {exc}", err=True)
            sys.exit(2)
        except LoadError as exc:
            _echo_problems(exc, _lang(kwargs))
            sys.exit(2)
        except GovDisclosureError as exc:
            click.echo(f"govdisclosure: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:  # Ctrl-C: 130 as a shell says it (1 would say "errors found"); what was written
            _quiet_stdout()  # is whole (each output file is written whole or not at all)
            with contextlib.suppress(OSError):
                click.echo("govdisclosure: 已中断 / interrupted", err=True)
            sys.exit(130)
        except OSError as exc:  # writing to standard output or error (a full disk, a closed pipe)
            _quiet_stdout()
            if not isinstance(exc, BrokenPipeError):  # a reader that stopped early (| head) is no error of ours
                reason = os_reason(exc)
                with contextlib.suppress(OSError):
                    click.echo(f"govdisclosure: 无法写出 / cannot write: {reason.zh} / {reason.en}", err=True)
            sys.exit(2)
        except Exception as exc:  # a bug of ours: exit 2 (exit 1 would say "errors found"), traceback on request
            if os.environ.get("GOVDISCLOSURE_DEBUG"):
                raise
            click.echo(f"govdisclosure: 内部错误 / internal error: {type(exc).__name__}: {exc} (GOVDISCLOSURE_DEBUG=1 "
                       f"显示详情 / shows the traceback; please report it)", err=True)
            sys.exit(2)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _quiet_stdout() -> None:
    """Standard output to nothing: the interpreter's last flush must not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _lang(kwargs: dict[str, Any]) -> str:
    return str(kwargs.get("lang") or "zh")


def _registry() -> Registry:
    return Registry.default()


#: click's own usage errors, said in Chinese before its English (click words them in English only): patterns
#: compiled when a usage error is met (re's cache), not at every command's start
_USAGE_WORDS: tuple[tuple[str, str], ...] = (
    (r"No such option:? '?(?P<x>[^'.]+)'?", "没有选项 {x}"),
    (r"No such command '(?P<x>[^']+)'", "没有命令 {x}"),
    (r"Missing argument '(?P<x>[^']+)'", "缺少参数 {x}"),
    (r"Missing option '(?P<x>[^']+)'", "缺少选项 {x}"),
    (r"Option '(?P<x>[^']+)' requires an argument", "选项 {x} 需要一个值"),
    (r"Option '(?P<x>[^']+)' does not take a value", "选项 {x} 不带值"),
    (r"Got unexpected extra arguments? \((?P<x>.*)\)", "多余的参数：{x}"),
    (r"Invalid value for '(?P<x>[^']+)'", "选项 {x} 的值无效"),
)


class _Usage(click.UsageError):
    """A usage error whose frame (Usage, Try … for help, Error) is said in both languages too."""

    def show(self, file: Any = None) -> None:
        file = file or sys.stderr
        if self.ctx is not None:
            usage = self.ctx.get_usage()  # our commands' formatter says it in both languages; another's, not
            if not usage.startswith("用法 / "):
                usage = usage.replace("Usage:", "用法 / Usage:", 1)
            path = self.ctx.command_path
            click.echo(f"{usage}\n帮助 / help: {path} --help\n", file=file, color=self.ctx.color)
        click.echo(f"错误 / Error: {self.format_message()}", file=file)


#: click's suggestion after a misspelt option or command ("Did you mean '--jobs'?", "(Did you mean one of: 'compare',
#: 'parse'?)"): the names it suggests, said in Chinese too
_SUGGESTION = r"Did you mean(?: one of:)? (?P<names>'[^\n]*')\?"


def _bilingual_usage(exc: click.UsageError) -> click.UsageError:
    english = exc.format_message()  # the whole sentence ("Invalid value for '--year': …")
    zh = next((zh.format(**m.groupdict()) for pattern, zh in _USAGE_WORDS if (m := re.match(pattern, english))),
              "用法错误")
    suggested = re.search(_SUGGESTION, english)
    if suggested:
        names = re.findall(r"'([^']+)'", suggested.group("names"))
        zh += f"（是否想输入：{'、'.join(names)}？）"
    return _Usage(f"{zh} / {english}", ctx=exc.ctx)


#: the commands of govdisclosure.audit.cli, imported when one of them is asked for (or listed): the audit's
#: modules and SQLite are no part of a clerk's validate or parse
_AUDIT_COMMANDS = ("aggregate", "audit", "compare")


class _Group(click.Group):
    """Click's usage errors and help in both languages, like every other message of the CLI; the audit's
    commands imported when asked for."""

    command_class = Command
    context_class = Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return bilingual_help(super().get_help_option(ctx))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_AUDIT_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and not set(_AUDIT_COMMANDS) <= self.commands.keys():
            # asked for, or a name no command has: click's "Did you mean" then looks among them all
            from .audit import cli as audit_cli

            for name in _AUDIT_COMMANDS:
                self.add_command(getattr(audit_cli, name))
            found = super().get_command(ctx, cmd_name)
        return found

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _bilingual_usage(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _bilingual_usage(exc) from None


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: looked up when asked (reading the installed distributions costs every start ~20 ms)."""
    if value and not ctx.resilient_parsing:
        click.echo(f"govdisclosure, version {distribution_version()}")
        ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="显示版本并退出 / Show the version and exit.")
def cli() -> None:
    """政府信息公开工作年度报告：校验、生成、导出。

    Government-information-disclosure annual reports: check, create and export them.
    """


# ----------------------------------------------------------------------------- validate


def _read(path: str) -> LoadResult:
    if path == "-":  # closed, or endless: a one-line error (read_source)
        data, name = read_source("-")
        return api.reads(data, source=name, registry=_registry())
    return api.read(path, registry=_registry())


def _stdin_once(files: Sequence[str], lang: str) -> None:
    """Standard input is read once: "-" named twice is refused (validate read nothing the second time and called
    it empty; parse wrote the same report twice)."""
    given = list(files).count("-")
    if given > 1:
        click.echo(_say(lang, f"标准输入只能读一次：“-”给出了 {given} 次", f"standard input is read once: '-' is given "
                        f"{given} times"), err=True)
        sys.exit(2)


def _read_or_exit(path: str, lang: str) -> Any:
    try:
        return _read(path).report
    except LoadError as exc:
        _echo_problems(exc, lang)
        sys.exit(2)


def _echo_problems(exc: LoadError, lang: str) -> None:
    """Every problem of the input (the loaders list at most a sane number), each with its place and labels."""
    for line in exc.lines(lang):
        click.echo(line, err=True)


def _series_previous(reports: list[tuple[str, Any]], previous: Any) -> dict[int, Any]:
    """For each input (by index), the report to use as last year's: --previous, or an input of
    the same agency and the year before."""
    out: dict[int, Any] = {}
    by_key = {(r.agency.name, r.year): r for _, r in reports if r.agency.name}
    for i, (_, r) in enumerate(reports):
        if previous is not None:
            out[i] = previous
        elif r.agency.name and r.year is not None and (r.agency.name, r.year - 1) in by_key:
            out[i] = by_key[(r.agency.name, r.year - 1)]
    return out


def _print_finding(f: Finding, lang: str) -> None:
    labels = ""
    if f.labels:
        shown = "；".join(f.labels[:3])
        if len(f.labels) > 3:
            shown += _say(lang, f" …（共 {len(f.labels)} 格）", f" … ({len(f.labels)} cells)")
        labels = f" [{shown}]"
    where = f.where(lang) if f.line is not None else (f.pointer or "/")
    click.echo(f"{printable(f.file or '')}: {f.severity.label.get(lang)} {f.code} {where}{labels}: {f.text(lang)}")


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--previous", "previous_file", metavar="FILE",
              help="同一机关上一年度的报告，用于跨年核对 / the same agency's report of the year before")
@click.option("--select", "select", multiple=True, metavar="CODE",
              help="只运行这些规则（代码或前缀，如 GD-M-）/ run only these rules (codes or prefixes such as GD-M-)")
@click.option("--ignore", "ignore", multiple=True, metavar="CODE",
              help="不运行这些规则（代码或前缀）/ skip these rules (codes or prefixes)")
@click.option("--rules-config", "rules_config_file", metavar="FILE",
              help="规则选项（阈值、词表），按规则代码分表；TOML，扩展名 .yaml/.yml/.json 时为 YAML/JSON / rule "
                   "options (thresholds, word lists), one table per rule code; TOML, or YAML/JSON by the extension")
@LANG
@OUTPUT
@_guard
def validate(files: Sequence[str], previous_file: str | None, select: Sequence[str], ignore: Sequence[str],
             rules_config_file: str | None, lang: str, output: str) -> None:
    """校验报告（任何已安装读取器能读的文件；“-”为标准输入）。

    Check reports (any file an installed loader reads; "-" reads standard input). Several
    reports of one agency are also checked across years, and the reports of one run against
    each other.  Exit 0: no error; 1: errors found; 2: an input could not be read.
    """
    config = rules_config(rules_config_file, _registry()) if rules_config_file else None
    _stdin_once(files, lang)
    fatal: list[Finding] = []
    loaded = _read_all(files, fatal, lang if output == "text" else None)
    previous = None
    if previous_file:
        before = _read_all([previous_file], fatal, lang if output == "text" else None)
        previous = before[0][1].report if before else None
    pairs = _series_previous([(p, r.report) for p, r in loaded], previous)
    found = api.validate_batch([r for _, r in loaded], previous=pairs, select=select or None, ignore=ignore,
                               config=config, registry=_registry())
    findings: list[Finding] = []
    for (path, _), each in zip(loaded, found, strict=True):
        findings.extend(attrs.evolve(f, file="<stdin>" if path == "-" else path) for f in each)
    if output == "json":
        # the name itself, a newline in it too (JSON holds any text); only bytes that are not UTF-8 written \xNN
        click.echo(json.dumps([{**d, "file": path_text(d["file"])} if d.get("file") else d
                               for d in (f.to_dict() for f in [*fatal, *findings])], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            _print_finding(f, lang)
        click.echo(_summary(findings, len(loaded), len({f.file for f in fatal}), lang))
    if fatal:
        sys.exit(2)
    sys.exit(1 if any(f.severity in (Severity.ERROR, Severity.FATAL) for f in findings) else 0)


def _read_all(paths: Sequence[str], fatal: list[Finding], lang: str | None) -> list[tuple[str, LoadResult]]:
    """Every input that reads; the others' problems go to ``fatal`` (and, given a language, to stderr)."""
    loaded = []
    for path in paths:
        try:
            loaded.append((path, _read(path)))
        except LoadError as exc:
            fatal.extend(exc.findings)
            if lang is not None:
                _echo_problems(exc, lang)
    return loaded


def _summary(findings: list[Finding], checked: int, unreadable: int, lang: str) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    return _say(
        lang,
        f"{checked} 份报告已校验，{unreadable} 份无法读取："
        f"{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，{counts[Severity.INFO]} 个提示",
        f"{_counted(checked, 'report')} checked, {unreadable} unreadable: {_counted(counts[Severity.ERROR], 'error')}, "
        f"{_counted(counts[Severity.WARNING], 'warning')}, {_counted(counts[Severity.INFO], 'info')}")


def _counted(n: int, word: str) -> str:
    """'1 error', '2 errors' (the summary said '1 errors', '1 report(s)')."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# ----------------------------------------------------------------------------- rules, schema, plugins


@cli.command()
@LANG
@click.option("--output", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="输出格式 / output format")
@_guard
def rules(lang: str, output: str) -> None:
    """列出全部规则（含插件规则）/ List every rule, plugins' included."""
    reg = _registry()
    rows: list[dict[str, Any]] = []
    for rule in reg.rules.values():
        rows.append({
            "code": rule.code, "severity": rule.severity.value, "scope": rule.scope,
            "formats": sorted(rule.formats) if rule.formats else None,
            "variants": sorted(rule.variants) if rule.variants else None,
            "kind": type(rule).__name__.lower(),
            "plugin": reg.origin[("rules", rule.code)],
            "description": {"zh": rule.description.zh, "en": rule.description.en},
            "options": json.loads(json.dumps(dict(rule.options), ensure_ascii=False, default=str)),
        })
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if output == "markdown":
        click.echo(_rules_markdown(rows))
        return
    for row in rows:
        fmt = (",".join(row["formats"]) if row["formats"] else _say(lang, "全部", "all")) + (
            "+" + ",".join(row["variants"]) if row["variants"] else "")
        click.echo(f"{row['code']:<22} {row['severity']:<8} {fmt:<5} {row['description'][lang]}")


def _rules_markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["# 规则 / Rules", "",
             "Generated by `govdisclosure rules --output markdown` from the installed rules; do not edit.", "",
             "| code | severity | formats | scope | kind | 说明 | description |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        fmt = (", ".join(r["formats"]) if r["formats"] else "all") + (
            " (" + ", ".join(r["variants"]) + ")" if r["variants"] else "")
        lines.append(f"| `{r['code']}` | {r['severity']} | {fmt} | {r['scope']} | {r['kind']} | "
                     f"{r['description']['zh']} | {r['description']['en']} |")
    return "\n".join(lines)


@cli.command()
@click.option("--format-version", "version", default=None, metavar="VERSION",
              help="格式版本（2019 或 2021）/ format version (2019 or 2021)")
@click.option("--variant", default=None, help="地区变体 / regional variant")
@click.option("--findings", "findings", is_flag=True,
              help="校验结果（validate --output json）的 JSON Schema / the JSON Schema of validate --output json")
@_guard
def schema(version: str | None, variant: str | None, findings: bool) -> None:
    """输出报告（或校验结果）的 JSON Schema / Print the JSON Schema of a report (or of the findings)."""
    if findings:
        click.echo(json.dumps(findings_schema(), ensure_ascii=False, indent=2))
        return
    reg = _registry()
    version = version or (_variant_format(reg, variant) if variant else None)
    if version is None:
        raise click.UsageError("需要 --format-version（或 --variant、--findings）/ --format-version (or --variant, "
                               "--findings) is required")
    click.echo(json.dumps(generate_schema(reg.format(version, variant)), ensure_ascii=False, indent=2))


def _variant_format(reg: Registry, variant: str) -> str:
    """The format a variant belongs to (a variant extends one format)."""
    known = reg.variants.get(variant)
    if known is None:
        raise UnknownFormatError(f"没有地区变体 {variant} / no variant {variant!r}; 已安装 / installed: "
                                 f"{', '.join(reg.variants) or '-'}")
    return known.extends


@cli.command()
@click.option("--format-version", "version", default=None, help="只列此版本 / only this version")
@click.option("--variant", default=None, help="地区变体 / regional variant")
@click.option("--output", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="输出格式 / output format")
@_guard
def formats(version: str | None, variant: str | None, output: str) -> None:
    """列出格式的全部表格、行、列及官方标签 / List every table, row, column and official label."""
    reg = _registry()
    if variant is not None and version is None:  # a variant belongs to one format: that one
        version = _variant_format(reg, variant)
    specs = [reg.format(v, variant) for v in ([version] if version else reg.formats)]
    if output == "json":
        click.echo(json.dumps([_format_data(spec) for spec in specs], ensure_ascii=False, indent=2))
        return
    md = output == "markdown"
    if md:
        click.echo("# 格式 / Formats\n\nGenerated by `govdisclosure formats --output markdown` from the "
                   "declaration; do not edit.\n")
    for spec in specs:
        _echo_format(spec, md)


def _format_data(spec: FormatSpec) -> dict[str, Any]:
    return {
        "format_version": spec.version, "variant": spec.variant, "notice": spec.notice,
        "years": [spec.first_year, spec.last_year],
        "cells": [{"table": c.table.id, "row": c.row_id, "column": c.column.id, "pointer": c.pointer,
                   "kind": c.column.kind.value, "row_label": c.row.label.zh, "column_label": c.column.label.zh,
                   "groups": [g.zh for g in c.group_labels]} for c in spec.cells()],
    }


def _echo_format(spec: FormatSpec, md: bool) -> None:
    years = f"{spec.first_year}–{spec.last_year or ''}"
    click.echo(f"{'## ' if md else ''}{spec.version}{' ' + spec.variant if spec.variant else ''}: "
               f"{spec.label.zh} ({spec.notice}; reports {years})\n")
    for table in spec.tables:
        click.echo(f"{'### ' if md else '  '}{table.id}: {table.label.zh} / {table.label.en}\n")
        if md:
            click.echo("| row | 行 | column | 列 | kind |\n|---|---|---|---|---|")
        for block in table.blocks:
            for path, row, groups in iter_rows(block.rows):
                for col in block.columns:
                    row_label = " › ".join([*(g.zh for g in groups), row.label.zh])
                    if md:
                        click.echo(f"| `{'.'.join(path)}` | {row_label} | `{col.id}` | {col.label.zh} | "
                                   f"{col.kind.value} |")
                    else:
                        click.echo(f"    {'.'.join(path)}.{col.id}  {row_label} · {col.label.zh}")
        click.echo("")


@cli.command()
@OUTPUT
@_guard
def plugins(output: str) -> None:
    """列出已安装的插件及其提供的内容 / List installed plugins and what each provides."""
    infos = _registry().plugins()
    if output == "json":
        click.echo(json.dumps([i.to_dict() for i in infos], ensure_ascii=False, indent=2))
        return
    for info in infos:
        dist = f"{info.distribution} {info.version}" if info.distribution else "(not installed as a distribution)"
        click.echo(f"{info.name}  [{dist}]")
        for kind, keys in info.provides.items():
            click.echo(f"    {kind}: {', '.join(keys)}")


# ----------------------------------------------------------------------------- new, fill, render


def _output(metavar: str, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o``: a file or a folder; standard output when left out (or ``-``), never by an empty name."""
    def not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise click.BadParameter("不能为空：写到标准输出请省略 -o 或写 -o - / must not be empty: for standard "
                                     "output leave -o out or give -o -", ctx, param)
        return value
    return click.option("-o", "--output", "out", default=None, metavar=metavar, callback=not_empty, help=help)


def _write(data: str | bytes, out: str | None, source: str | None = None, extension: str = ".json", *,
           replace: bool = True, durable: bool = True) -> None:
    """To a file (whole or not at all), into a folder (``-o DIR/``, or an existing folder: named after
    ``source``), or to standard output.  ``replace=False``: an existing file is refused, not replaced;
    ``durable=False``: not flushed to the disk one by one (one output per input of a batch)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out and out != "-":
        if out.endswith(("/", os.sep)) or Path(out).is_dir():  # a folder, said by its slash or by being one
            out = str(into_folder(out, [source or "report"], extension)[0])
        if not replace and Path(out).is_file():
            raise OutputError(f"{out}: 文件已存在，空白报告会替换其中已填写的内容；确要替换请加 --force / the file "
                              f"exists: a blank report would replace what was filled in; add --force to replace it")
        write_atomic(out, raw, durable=durable)
        return
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # standard output closed (>&-)
        raise OutputError("<stdout>: 标准输出已关闭 / standard output is closed")
    try:
        stream.write(raw)
        sys.stdout.flush()
    except BrokenPipeError:  # a reader that stopped early (| head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # and no second error at exit
    except OSError as exc:
        reason = os_reason(exc)
        raise OutputError(f"<stdout>: 无法写出 / cannot write: {reason.zh} / {reason.en}") from None


def _renderer_for(out: str | None) -> str:
    """The renderer an output file's extension names (report.yaml -> yaml), else json.  Where several write
    that extension (csv and csv-wide: .csv), the one named by it (csv: the one ``load`` reads back); where none
    is, the output is not guessed: the user is asked to say ``--to`` (JSON in a .csv file was written before)."""
    suffix = Path(out).suffix.lower() if out and out != "-" else ""
    found = [r.name for r in _registry().renderers.values() if suffix and r.extension == suffix]
    if len(found) > 1:
        named = [name for name in found if name == suffix[1:]]
        if named:
            return named[0]
        click.echo(f"govdisclosure: {printable(out or '')}: 扩展名 {suffix} 可对应多种输出格式（{', '.join(found)}），"
                   f"请用 --to 指定 / several output formats write {suffix} files ({', '.join(found)}): say which "
                   "with --to", err=True)
        sys.exit(2)
    aliases = {".yml": "yaml", ".htm": "html", ".markdown": "markdown"}
    return found[0] if found else aliases.get(suffix, "json")


class LevelType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """An agency level by its id or its name in either language (县级政府部门, county_department)."""

    name = "level"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        found = level_id(str(value))
        if found is None:
            self.fail(f"{value!r}: 应为机关层级之一 / one of: " + "; ".join(
                f"{key} ({label.zh})" for key, label in LEVEL_LABELS.items()), param, ctx)
        return found


def _renderer_or_exit(to: str) -> Any:
    renderers = _registry().renderers
    if to not in renderers:
        click.echo(f"govdisclosure: 未知输出格式 / unknown output format {to!r}; installed: {', '.join(renderers)}",
                   err=True)
        sys.exit(2)
    return renderers[to]


@cli.command()
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="报告年度 / report year")
@click.option("--agency", required=True, help="机关名称 / agency name")
@click.option("--level", type=LevelType(), required=True,
              help="机关层级（代码或名称）/ agency level (id or name): " + "; ".join(
                  f"{key} {label.zh}" for key, label in LEVEL_LABELS.items()))
@click.option("--region", default=None, help="所在地区 / region")
@click.option("--format-version", "version", default=None, help="格式版本（默认按年度）/ format (default: by year)")
@click.option("--variant", default=None, help="地区变体 / regional variant")
@click.option("--to", "to", default=None,
              help="输出格式（任何已安装的输出格式，如 json、yaml、xlsx；默认按 -o 的扩展名，否则 json）/ "
                   "output format (any "
                   "installed one, e.g. json, yaml, xlsx; default: by -o's extension, else json)")
@click.option("--no-comments", is_flag=True,
              help="YAML：不在每个键后注明表格中的正式名称 / YAML: no comment naming each key's row on the form")
@click.option("--zeros", is_flag=True,
              help="合计以外的单元格填 0，只改有数的格，合计用 fill 计算 / every cell 0 but the totals "
                   "(type only what you had; fill computes the totals)")
@_output("OUT", "输出文件，或目录（其中的 report.<扩展名>）/ output file, or a folder (report.<extension> in it)")
@click.option("--force", is_flag=True, help="替换已存在的输出文件 / replace an existing output file")
@_guard
def new(year: int, agency: str, level: str, region: str | None, version: str | None, variant: str | None,
        to: str | None, no_comments: bool, zeros: bool, out: str | None, force: bool) -> None:
    """生成空白报告（所有单元格为 null）/ A blank report of the right format for the year."""
    to = to or _renderer_for(out)
    _renderer_or_exit(to)
    report = api.new_report(year, agency=agency, level=level, region=region, format_version=version,
                            variant=variant, zeros=zeros, registry=_registry())
    _write(api.render_bytes(report, to, registry=_registry(), form=True, comments=not no_comments), out, None,
           _registry().renderers[to].extension, replace=force)
    if not report.spec.serves(year):  # made as asked (a clerk may mean it), but said: validate will call it an error
        try:
            due = _registry().format_for_year(year).version
        except UnknownFormatError:  # a year no format serves (2018): made as asked all the same (review 13b #5)
            click.echo(f"govdisclosure: 注意：没有适用于 {year} 年度的格式，按 --format-version 生成了 "
                       f"{report.format_version} 格式的空白报告 / note: no installed format serves the year {year}; "
                       f"this blank is on the {report.format_version} format as --format-version asked", err=True)
            return
        click.echo(f"govdisclosure: 注意：{year} 年度应使用 {due} 格式，按 --format-version 生成了 "
                   f"{report.format_version} 格式的空白报告（validate 会报 GD-M-FORMAT 错误） / note: a {year} report "
                   f"is on the {due} format; this blank is on the {report.format_version} format as --format-version "
                   f"asked (validate will report GD-M-FORMAT, an error)", err=True)


@cli.command()
@click.argument("file")
@click.option("--to", "to", default=None,
              help="输出格式（默认按 -o 的扩展名，否则 json）/ output format (default: by -o's extension, else json)")
@_output("OUT", "输出文件，或目录（按输入命名）/ output file, or a folder (named after the input)")
@LANG
@_guard
def fill(file: str, to: str | None, out: str | None, lang: str) -> None:
    """填写可推导的合计（总计列、（七）总计、表四总计），不改动已填单元格。

    Fill the totals that follow from the parts (the total column, (7) total, table 4 totals);
    cells already filled are never changed.  Says which totals stay blank, and the blank cells
    they wait for (a blank is not 0: write 0 for none).
    """
    to = to or _renderer_for(out)
    _renderer_or_exit(to)
    reg = _registry()
    report, filled = api.fill_totals(_read_or_exit(file, lang), registry=reg)
    _write(api.render_bytes(report, to, registry=reg), out, file, reg.renderers[to].extension)
    click.echo(_say(lang, f"已填写 {len(filled)} 个合计单元格", f"filled {len(filled)} total cells"), err=True)
    waiting = blank_totals(report, reg.rules.values())
    for total, blanks in list(waiting.items())[:FILL_SHOWN]:
        names = "；".join(_cell_name(report, p, lang) for p in blanks[:3]) + ("…" if len(blanks) > 3 else "")
        name = _cell_name(report, total, lang)
        click.echo(_say(lang, f"  {name}：未计算，以下单元格空白（空白不等于 0，没有请填 0）：{names}",
                        f"  {name}: not computed, these cells are blank (blank is not 0; write 0 for none): {names}"),
                   err=True)
    more = len(waiting) - FILL_SHOWN
    if more > 0:
        click.echo(_say(lang, f"  另有 {more} 个合计未计算", f"  and {more} more"), err=True)


#: how many totals ``fill`` names that it could not compute
FILL_SHOWN = 10


def _cell_name(report: Any, pointer: str, lang: str) -> str:
    label = report.spec.label_at(pointer)
    return label.get(lang) if label is not None else pointer


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--to", "to", default=None,
              help="输出格式，由已安装的插件提供（govdisclosure plugins 列出；默认按 -o 的扩展名，否则 json）/ output "
                   "format, from the installed plugins (listed by govdisclosure plugins; default: by -o's extension, "
                   "else json): json, yaml, html, markdown, csv, csv-wide, …")
@_output("OUT", "输出文件，或目录；多个输入时为目录（csv-wide 则为一个文件）/ output file, or a folder; a folder "
                "for several inputs (one file for csv-wide)")
@click.option("--fragment", is_flag=True, help="HTML：只输出 <article>，便于粘贴到网站后台 / HTML: the <article> only")
@click.option("--findings", is_flag=True, help="标出校验发现的问题单元格并列出问题 / mark and list the findings")
@click.option("--bom", is_flag=True, help="CSV：加 BOM，便于 Excel 识别中文 / CSV: start with a BOM for Excel")
@click.option("--no-comments", is_flag=True,
              help="YAML：不在每个键后注明表格中的正式名称 / YAML: no comment naming each key's row on the form")
@LANG
@_guard
def render(files: Sequence[str], to: str | None, out: str | None, fragment: bool, findings: bool, bom: bool,
           no_comments: bool, lang: str) -> None:
    """按插件提供的格式输出报告 / Write reports in an output format a plugin provides."""
    _stdin_once(files, lang)
    to = to or _renderer_for(out if len(files) == 1 else None)
    renderer = _renderer_or_exit(to)
    reg = _registry()
    loaded: list[tuple[str, LoadResult]] = []
    failed = False
    for path in files:
        try:
            loaded.append((path, _read(path)))
        except LoadError as exc:
            _echo_problems(exc, lang)
            failed = True
    options: dict[str, Any] = {"fragment": fragment, "bom": bom, "comments": not no_comments, "lang": lang}

    def one(result: LoadResult) -> bytes:
        extra = {"findings": api.validate(result, registry=reg)} if findings else {}
        return api.render_bytes(result.report, to, registry=reg, **options, **extra)

    if renderer.render_many is not None and len(loaded) > 1:
        many = renderer.render_many([r.report for _, r in loaded], registry=reg, **options)
        _write(many, out)
    elif len(files) == 1 and loaded:
        _write(one(loaded[0][1]), out, loaded[0][0], renderer.extension)
    elif loaded:
        if out in (None, "-"):
            click.echo(_say(lang, "多个输入时请用 -o 指定输出目录", "several inputs: give -o FOLDER"), err=True)
            sys.exit(2)
        targets = into_folder(out, [p for p, _ in loaded], renderer.extension)
        for (_, result), target in zip(loaded, targets, strict=True):
            _write(one(result), str(target), durable=False)
    sys.exit(2 if failed else 0)


def _dumped(path: str, lang: str, result: LoadResult) -> tuple[str, bytes | None]:
    """A parsed input's findings' lines and canonical JSON, as a file holds it."""
    return _findings_text(path, result.findings, lang), api._dump_utf8(result.report)


def _written(target: str, path: str, lang: str, result: LoadResult) -> tuple[str, bytes | None]:
    """A parsed input's findings' lines, its canonical JSON written to ``target`` (in the worker under
    ``--jobs``: the parent, which shares the cores with the workers, then only prints the lines)."""
    _write(api._dump_utf8(result.report), target, path, durable=False)
    return _findings_text(path, result.findings, lang), None


def _parsed(files: Sequence[str], from_: str, previous: Any, jobs: int, stdin: bytes | None,
            then: Sequence[Callable[[LoadResult], T]]) -> Generator[tuple[str, T | LoadError], None, None]:
    """Each input's ``then`` (or its LoadError), in order: the parser for published inputs (in ``jobs``
    processes), an installed loader when ``--from`` names one."""
    from .ingest.batch import KINDS, parse_many

    if from_ in ("auto", *KINDS):
        yield from parse_many(list(files), registry=_registry, from_=from_, previous=previous, jobs=jobs, stdin=stdin,
                              then=then)
        return
    for path, each in zip(files, then, strict=True):
        try:
            if path == "-":
                yield path, each(api.reads(stdin or b"", source="-", loader=from_, previous=previous,
                                           registry=_registry()))
            else:
                yield path, each(api.read(path, loader=from_, previous=previous, registry=_registry()))
        except LoadError as exc:
            yield path, exc


def _findings_text(path: str, findings: Sequence[Finding], lang: str) -> str:
    """The lines that say an input's findings ("" for none)."""
    shown = printable(path)
    lines = []
    for finding in findings:
        where = finding.where(lang) + (f" {finding.pointer}" if finding.line is not None and finding.pointer else "")
        lines.append(f"{shown}: {where}: {finding.text(lang)} [{finding.code}]")
    return "\n".join(lines)


def _input_kind(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``parse --from``: a kind of published input, or any installed loader's name (known at run time)."""
    from .ingest.batch import KINDS

    kinds = ("auto", *KINDS, *(name for name in _registry().loaders if name not in KINDS))
    if value not in kinds:
        raise click.BadParameter(f"{value!r}: 应为以下之一 / one of: {', '.join(kinds)}")
    return value


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--from", "from_", default="auto", show_default=True, metavar="KIND", callback=_input_kind,
              help="输入的种类：auto、text、html、pdf、markdown，或任一已安装读取器的名称（govdisclosure plugins）"
                   " / what the input is: auto, text, html, pdf, markdown, or any installed loader's name")
@_output("OUT", "输出的规范 JSON 文件，或目录；多个输入时为目录 / canonical JSON out: a file, or a folder; a folder "
                "for several inputs")
@click.option("--previous", "previous_file", metavar="FILE",
              help="上一年度的报告，作为拆分数字的又一约束 / last year's report, a further constraint on splits")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="并行解析的进程数 / worker processes parsing in parallel")
@LANG
@_guard
def parse(files: Sequence[str], from_: str, out: str | None, previous_file: str | None, jobs: int, lang: str) -> None:
    """把发布的报告（网页、文本、PDF）解析为规范 JSON，并列出存疑之处。

    Parse published reports (web pages, text, PDF) into canonical JSON and list every doubt
    (ambiguous splits with their candidates, numbers that fit no row) on standard error.
    """
    _stdin_once(files, lang)
    previous = _read_or_exit(previous_file, lang) if previous_file else None
    if len(files) > 1 and out in (None, "-"):
        click.echo(_say(lang, "多个输入时请用 -o 指定输出目录", "several inputs: give -o FOLDER"), err=True)
        sys.exit(2)
    targets = into_folder(out or ".", list(files), ".json") if len(files) > 1 else []
    stdin = read_source("-")[0] if "-" in files else None  # closed or endless: a one-line error
    # several inputs: each written where it is parsed (in a worker under --jobs); one: here, maybe to stdout
    then = [functools.partial(_written, str(target), path, lang) if targets else functools.partial(_dumped, path, lang)
            for path, target in zip(files, targets or files, strict=True)]
    failed = False
    # closed on an error here too: the workers then stop at once, the inputs not yet begun left alone
    with contextlib.closing(_parsed(files, from_, previous, jobs, stdin, then)) as outcomes:
        for path, outcome in outcomes:
            if isinstance(outcome, LoadError):
                _echo_problems(outcome.with_file(path) if outcome.file is None else outcome, lang)
                failed = True
                continue
            lines, canonical = outcome
            if lines:
                click.echo(lines, err=True)  # one write per input (a batch prints thousands)
            if canonical is not None:
                _write(canonical, out, path)
    sys.exit(2 if failed else 0)


def main() -> None:
    # what the imports made lives until the command exits: out of the collector's passes, as a worker's is
    for_many()
    cli(prog_name="govdisclosure")


if __name__ == "__main__":
    main()
