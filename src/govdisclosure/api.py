"""The public functions: read and load, validate, render, new reports and their totals.

Every function takes ``registry=``: the plugins to use (None: :meth:`Registry.default`).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from . import ingest
from .errors import (
    GovDisclosureError,
    LoadError,
    PluginError,
    RenderError,
    UnknownFormatError,
    UnknownRuleError,
    problem,
    quote,
    undecodable,
)
from .findings import Finding
from .formats.spec import CellKind, escape_pointer
from .io import Loader, LoadResult
from .io.fastjson import alike
from .io.source import blank, names_a_file, suffix, unicode_text
from .labels import Label
from .model import Agency, Report, empty_report
from .model.convert import MOST_CONTAINERS as _MOST_CONTAINERS
from .model.convert import from_canonical, orjson_data, plain_data, to_data
from .model.scalars import LEVEL_LABELS, Level, Text, level_id
from .registry import Registry, matches_code, resolve_registry
from .rules import engine
from .rules.types import Scope

__all__ = ["dump", "fill_totals", "from_data", "load", "loads", "new_report", "parse", "read", "reads", "render",
           "render_bytes", "schema", "to_data", "validate", "validate_batch"]

#: how much of an input sniffing looks at
SNIFF_CHARS = 8192


def _fail(code: str, zh: str, en: str, source: str) -> LoadError:
    return LoadError([problem(code, "", Label(zh, en))], source)


def _read_file(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    from .io.source import read_source

    return read_source(path)  # within the size limit; every failure one line in both languages


def read(path: str | os.PathLike[str], *, loader: str | None = None, previous: Report | None = None,
         registry: Registry | None = None) -> LoadResult:
    """Read a report from a file: the report with what reading it found (the parser's findings
    for a published page, text or PDF; none for canonical JSON).

    Raises :class:`~govdisclosure.errors.LoadError` — for a file that cannot be read (missing, a
    folder, a link loop, over the size limit) or is not a report — naming the file, the place and
    what was expected; a report that is read but wrong is not an error here: :func:`validate` judges it.
    """
    data, source = _read_file(path)
    return reads(data, source=source, loader=loader, previous=previous, registry=registry)


def load(path: str | os.PathLike[str], *, loader: str | None = None, registry: Registry | None = None) -> Report:
    """Read a report from a file (canonical JSON or YAML, our own renders, published text, pages,
    PDF, or any format a loader plugin reads).  :func:`read` also gives what reading found."""
    return read(path, loader=loader, registry=registry).report


def loads(text: str | bytes, *, source: str = "<string>", loader: str | None = None,
          registry: Registry | None = None) -> Report:
    """Read a report from text or bytes; ``source`` names it in messages."""
    return reads(text, source=source, loader=loader, registry=registry).report


def _choose(reg: Registry, head: str, source: str, loader: str | None) -> Loader:
    if loader is not None:
        chosen = reg.loaders.get(loader)
        if chosen is None:
            raise _fail("GD-LOAD-INPUT", f"没有名为 {loader} 的读取器（已安装：{'、'.join(reg.loaders)}）",
                        f"no loader named {loader!r} (installed: {', '.join(reg.loaders)})", source)
        return chosen
    by_suffix = _by_suffix(source, reg)
    if by_suffix is not None:
        return by_suffix
    for ld in sorted(reg.loaders.values(), key=lambda ld: -ld.priority):
        if ld.sniff is not None and ld.sniff(head):
            return ld
    names = ", ".join(reg.loaders)
    raise _fail("GD-LOAD-INPUT", f"无法识别的输入：应为以下格式之一的报告：{names}",
                f"unrecognised input: expected a report in one of: {names}", source)


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:SNIFF_CHARS]:
        raise _fail("GD-LOAD-BINARY", "二进制文件，不是文本报告", "a binary file: not a text report", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([undecodable(exc)], source) from None


def reads(data: str | bytes, *, source: str = "<string>", loader: str | None = None,
          previous: Report | None = None, registry: Registry | None = None) -> LoadResult:
    """Read a report from text or bytes, with what reading it found (see :func:`read`)."""
    reg = resolve_registry(registry)
    chosen, payload = _prepared(data, source, loader, reg)
    try:
        out = chosen.load(payload, source, reg)
    except LoadError as exc:
        raise exc.with_file(source) from None
    except (GovDisclosureError, MemoryError):
        raise
    except Exception as exc:  # a loader's bug: named with its plugin and the file, never a bare KeyError
        plugin = reg.origin.get(("loaders", chosen.name), "?")
        raise PluginError(f"插件 {plugin!r} 的读取器 {chosen.name!r} 读取 {source} 时出错 / plugin {plugin!r}: loader "
                          f"{chosen.name!r} failed on {source}: {type(exc).__name__}: {exc}") from exc
    return _read(out, chosen, source, reg)


def _prepared(data: str | bytes, source: str, loader: str | None, reg: Registry) -> tuple[Loader, str | bytes]:
    """The loader that reads ``data`` and what it is given (a LoadError for an empty or undecodable input)."""
    if isinstance(data, bytes):
        data = unicode_text(data, source)  # a file saved as UTF-16 ("Unicode" in Notepad) or UTF-32
    if blank(data):
        raise _fail("GD-LOAD-EMPTY", "输入为空，不是报告", "the input is empty: not a report", source)
    head = data[:SNIFF_CHARS].decode("utf-8", "replace") if isinstance(data, bytes) else data[:SNIFF_CHARS]
    chosen = _choose(reg, head, source, loader)
    payload: str | bytes = data
    if not chosen.binary and isinstance(data, bytes):
        payload = _decode(data, source)
    return chosen, payload


def _reads_each(items: Sequence[tuple[bytes, str]], registry: Registry, spent: list[float] | None = None
                ) -> list[LoadResult | LoadError | None]:
    """:func:`reads` of each ``(data, source)`` the parser reads (published text and pages): their stages run over
    all of them in turn (a stage's code and tables stay in the caches: less time a report, the same results); None
    for an input another loader reads (read it with ``reads``), or that a loader fails on other than with a
    LoadError.  ``spent`` adds each input's seconds in the stages."""
    from .ingest import run_each

    staged = _staged()
    out: list[LoadResult | LoadError | None] = [None] * len(items)
    states: list[Any] = []
    where: list[tuple[int, Loader, str]] = []
    for i, (data, source) in enumerate(items):
        try:
            chosen, payload = _prepared(data, source, None, registry)
            begin = staged.get(chosen.load)
            state = begin(payload, source, registry) if begin is not None else None
        except LoadError as exc:
            out[i] = exc.with_file(source)
            continue
        except Exception:  # noqa: BLE001 - reads() says it, naming the loader
            continue
        if state is not None:
            states.append(state)
            where.append((i, chosen, source))
    took = [0.0] * len(states)
    for k, ((i, chosen, source), result) in enumerate(zip(where, run_each(states, None, took), strict=True)):
        out[i] = result.with_file(source) if isinstance(result, LoadError) else _read(result, chosen, source,
                                                                                         registry)
        if spent is not None:
            spent[i] += took[k]
    return out


def _may_read_together(name: str, registry: Registry) -> bool:
    """Whether :func:`_reads_each` may take a file so named: no loader but the parser's takes its suffix (a PDF, our
    JSON or YAML, a plugin's Word file is read by itself: known before its bytes are read)."""
    by_suffix = _by_suffix(name, registry)
    return by_suffix is None or by_suffix.load in _staged()


@functools.cache
def _staged() -> dict[Callable[..., Any], Callable[..., Any]]:
    """The parser's loaders, each with the function that starts its state (:func:`_reads_each`)."""
    from .ingest.loaders import begin_text, load_text
    from .io.html import begin_html, read_html

    return {load_text: begin_text, read_html: begin_html}


def _read(out: Any, chosen: Loader, source: str, reg: Registry) -> LoadResult:
    """What a loader gave, as a LoadResult naming ``source`` in each finding."""
    if isinstance(out, LoadResult):
        return ingest.load_result(out.report, tuple(f if f.file else _in(f, source) for f in out.findings), source,
                            chosen.name)
    report = out if isinstance(out, Report) else from_data(out, source=source, registry=reg)
    return ingest.load_result(report, (), source, chosen.name)



def _in(finding: Finding, source: str) -> Finding:
    return attrs.evolve(finding, file=source)


#: the loaders that are the parser of published reports: ``parse`` runs the parser for them itself
_PARSERS = frozenset({"text", "html", "pdf", "markdown"})


def parse(source: str | bytes | os.PathLike[str], *, from_: str = "auto", previous: Report | None = None,
          registry: Registry | None = None) -> LoadResult:
    """Parse a published report from a path, bytes or text.

    ``from_``: ``auto`` (by the file's extension, then its content), ``text``, ``html``, ``pdf``,
    ``markdown``, or the name of any installed loader (a plugin's ``docx``, ``xlsx``): a file whose
    extension belongs to such a loader is read by it.  The result's findings are the parser's
    doubts (``GD-PARSE-…``): digits that could not be split uniquely, numbers that fit no row,
    headings printed otherwise.
    """
    reg = resolve_registry(registry)
    if from_ == "auto" and (isinstance(source, bytes) or (isinstance(source, str) and not names_a_file(source))):
        # given as data (standard input), it has no file name: our own formats are known by their marks
        marked = _marked(source, reg)
        if marked in _PARSERS:
            from_ = marked  # our own Markdown: the parser is told what it is, as a file's extension would
        elif marked is not None:
            return reads(source, source="<input>", loader=marked, previous=previous, registry=reg)
    other = _other_loader(source, from_, reg)
    if other is not None:
        if isinstance(source, (bytes, str)) and not (isinstance(source, str) and names_a_file(source)):
            return reads(source, source="<input>", loader=other, previous=previous, registry=reg)
        return read(os.fspath(source), loader=other, previous=previous, registry=reg)
    return ingest.parse(source, from_=from_, previous=previous, registry=reg)


def _other_loader(source: str | bytes | os.PathLike[str], from_: str, reg: Registry) -> str | None:
    """The loader that is not the parser to read ``source`` with, if any."""
    if from_ not in ("auto", *_PARSERS):
        if from_ not in reg.loaders:
            raise _fail("GD-LOAD-INPUT", f"没有名为 {from_} 的读取器（已安装：{'、'.join(reg.loaders)}）",
                        f"no loader named {from_!r} (installed: {', '.join(reg.loaders)})", str(from_))
        return from_
    if from_ != "auto" or isinstance(source, bytes) or (isinstance(source, str) and not names_a_file(source)):
        return None
    found = _by_suffix(os.fspath(source), reg)
    return None if found is None or found.name in _PARSERS else found.name


def _by_suffix(name: str, reg: Registry) -> Loader | None:
    """The loader that takes files of ``name``'s suffix, if any (the first registered)."""
    ending = suffix(name).lower()
    if ending:  # (a loop, not a generator made for each input of a batch, twice)
        for ld in reg.loaders.values():
            if ending in ld.extensions:
                return ld
    return None


def _marked(data: str | bytes, reg: Registry) -> str | None:
    """The loader whose mark ``data`` bears, if any: our canonical JSON's ``{``, YAML's ``format_version:``, our
    Markdown's marker line, a plugin's; not the parser's text, pages and PDF (it tells those apart itself)."""
    head = data[:SNIFF_CHARS].decode("utf-8", "replace") if isinstance(data, bytes) else data[:SNIFF_CHARS]
    head = head.lstrip("\ufeff")
    for ld in sorted(reg.loaders.values(), key=lambda ld: -ld.priority):
        if (ld.name not in _PARSERS or ld.name in _MARKED_PARSERS) and ld.sniff is not None and ld.sniff(head):
            return ld.name
    return None


#: the parser's kinds whose loader knows our own format by its mark (the marker line our Markdown starts with)
_MARKED_PARSERS = frozenset({"markdown"})


def from_data(data: Any, *, source: str = "<data>", registry: Registry | None = None) -> Report:
    """Make a report from canonical JSON data (a dict, as json.md describes)."""
    return from_canonical(data, source=source, registry=resolve_registry(registry))


def dump(report: Report, *, indent: int | None = 2) -> str:
    """The report as canonical JSON text.

    Raises :class:`RenderError`, naming the JSON pointer, for a value JSON cannot hold (a ``Decimal`` a caller
    put in a cell, say: the model keeps what it is given)."""
    fast = _fast_utf8(report) if indent == 2 else None
    if fast is not None:
        return fast.decode("utf-8") + "\n"
    data, float_free = plain_data(report)  # and its keys known to hold no float (not walked)
    return _json_text(data, indent=indent, float_free=float_free) + "\n"


def _dump_utf8(report: Report) -> bytes:
    """:func:`dump`'s text as UTF-8, as a file holds it: orjson's bytes written as they are (``parse -o``, in a
    worker under ``--jobs``: its text was decoded there, pickled to the parent and encoded again to be written)."""
    fast = _fast_utf8(report)
    if fast is not None:
        return fast + b"\n"
    data, float_free = plain_data(report)  # and its keys known to hold no float (not walked)
    fast = _orjson_utf8(data, 2, float_free)
    return (fast if fast is not None else _stdlib_json(data, 2).encode("utf-8")) + b"\n"


def _fast_utf8(report: Report) -> bytes | None:
    """The report's canonical JSON by orjson, its tables written from a template (:func:`.model.convert.orjson_data`),
    or None: then :func:`plain_data`'s data is written (by orjson or by the standard library), the same text."""
    # (not a report, a caller's mistake: the plain way's error, as before)
    data = orjson_data(report) if _orjson is not None and isinstance(report, Report) else None
    if data is None:
        return None
    try:
        return _orjson.dumps(data, option=_orjson.OPT_INDENT_2)
    except TypeError:  # a lone surrogate in a text: the standard library's way says so as it does
        return None


try:  # the [fast] extra: the same text, written ~30x faster than the standard library's indented form
    import orjson as _orjson
except ImportError:  # pragma: no cover - the standard library alone
    _orjson = None  # type: ignore[assignment]


def _json_text(data: Any, *, indent: int | None = 2, float_free: Collection[str] = ()) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=indent)``, byte for byte, by orjson where it is
    installed and writes ``data`` the same (:func:`.io.fastjson.alike`: it refuses integers past 64 bits and
    lone surrogates, and writes floats, enums, dates otherwise: those go to the standard library, which writes
    them or refuses them, with or without the extra).  ``float_free``: keys of ``data`` known to hold only what
    orjson writes alike (not walked)."""
    fast = _orjson_utf8(data, indent, float_free)
    return fast.decode("utf-8") if fast is not None else _stdlib_json(data, indent)


def _orjson_utf8(data: Any, indent: int | None, float_free: Collection[str]) -> bytes | None:
    """:func:`_json_text`'s text as UTF-8 when orjson writes it, else None (the standard library's way)."""
    if indent == 2 and _orjson is not None and alike(
            {k: v for k, v in data.items() if k not in float_free} if float_free else data, most=_MOST_CONTAINERS):
        try:
            return _orjson.dumps(data, option=_orjson.OPT_INDENT_2)
        except TypeError:  # orjson.JSONEncodeError is one
            pass
    return None


#: what JSON holds (a dict's keys: ``json`` also writes int, float, bool and None keys, as text)
_JSON_SCALARS = (str, int, float, bool, type(None))



def _stdlib_json(data: Any, indent: int | None) -> str:
    """The standard library's text; a value it cannot write (a Decimal or a Fraction a caller put in a cell, say)
    is a :class:`RenderError` naming the value's place, not ``json``'s bare TypeError."""
    try:
        return json.dumps(data, ensure_ascii=False, indent=indent)
    except (TypeError, ValueError) as exc:  # ValueError: a container holding itself
        raise _unwritable_error(data, "JSON") from exc


def _unwritable_error(data: Any, form: str) -> RenderError:
    """The error for canonical data holding a value ``form`` (JSON, YAML) cannot write, naming its place."""
    pointer, value, itself = _unwritable(data)
    where, kind = pointer or "/", type(value).__name__
    if itself:
        return RenderError(f"{where}: 值包含其自身，不能写成 {form} / the value holds itself: it cannot be "
                           f"written as {form}")
    return RenderError(f"{where}: 值 {quote(value)}（{kind}）不能写成 {form}：只能写文本、数、true/false、"
                       f"null、数组和对象（表格单元格为整数或 null） / the value {quote(value)} ({kind}) cannot be "
                       f"written as {form}: only text, numbers, true/false, null, arrays and objects can (a table's "
                       f"cell is an integer or null)")


def _unwritable(data: Any) -> tuple[str, Any, bool]:
    """The JSON pointer of the first value ``json`` cannot write, the value, and whether it is a container met
    again inside itself."""
    stack: list[tuple[str, Any, tuple[int, ...]]] = [("", data, ())]
    while stack:
        pointer, value, seen = stack.pop()
        if isinstance(value, (dict, list, tuple)):
            if id(value) in seen:
                return pointer, value, True
            items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
            for key, _ in items:
                if not isinstance(key, _JSON_SCALARS):
                    return pointer, key, False
            inner = (*seen, id(value))
            stack.extend((f"{pointer}/{escape_pointer(str(key))}", item, inner)
                         for key, item in reversed(items))
        elif not isinstance(value, _JSON_SCALARS) or (type(value) is int and not _as_text(value)):
            return pointer, value, False
    return "", data, False


def _as_text(value: int) -> bool:
    """Whether Python writes ``value`` as text (not past ``sys.get_int_max_str_digits``)."""
    try:
        str(value)
    except ValueError:
        return False
    return True


def _unpack(item: Report | LoadResult) -> tuple[Report, tuple[Finding, ...]]:
    return (item.report, item.findings) if isinstance(item, LoadResult) else (item, ())


def _codes(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value) if not isinstance(value, str) else (value,)


def validate(report: Report | LoadResult, previous: Report | LoadResult | None = None, *,
             select: Iterable[str] | None = None, ignore: Iterable[str] = (),
             config: Mapping[str, Mapping[str, Any]] | None = None, registry: Registry | None = None
             ) -> list[Finding]:
    """Check a report against every installed rule.

    - ``report``: a :class:`Report`, or a :class:`LoadResult` whose findings (the parser's) are
      returned with the rules' and seen by the rules (``ctx.load_findings``); the rules' findings
      then name its ``source`` as their ``file``;
    - ``previous``: the same agency's report of the year before, for the cross-year rules;
    - ``select`` / ``ignore``: rule codes or prefixes (``"GD-M-"``) to run only / to skip; a ``select`` that
      names no installed rule raises :class:`UnknownRuleError` (it would select nothing);
    - ``config``: options per rule code, overriding the rules' own (thresholds, word lists); checked as
      ``--rules-config`` is: an unknown code or option, or a value of the wrong kind, raises a
      :class:`LoadError` naming each (``/GD-M-OLD-OUTLINE/min_markers``).

    Findings are sorted by severity (worst first), then code; within a code, in the order of
    the report (cells in document order).
    """
    reg = resolve_registry(registry)
    _selectable(select, reg)
    return _validate(report, previous, select, ignore, _checked(config, reg), reg)


def _selectable(select: Iterable[str] | None, reg: Registry) -> None:
    """An UnknownRuleError for a ``select`` that names no installed rule (a typo selected nothing: a clean result)."""
    patterns = _codes(select)
    if not patterns:
        return
    unknown = reg._unknown_codes(patterns)
    if unknown:
        import difflib

        codes = list(reg.rules)
        close = [c for p in unknown for c in difflib.get_close_matches(p.rstrip("-"), codes, n=3, cutoff=0.7)]
        hint_zh = f"（是否想输入：{'、'.join(close)}？）" if close else ""
        hint_en = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UnknownRuleError(f"没有代码为或以 {'、'.join(unknown)} 开头的规则{hint_zh} / no installed rule's code is "
                               f"or starts with {', '.join(unknown)}{hint_en}")


def _checked(config: Mapping[str, Mapping[str, Any]] | None, reg: Registry
             ) -> Mapping[str, Mapping[str, Any]] | None:
    """``config`` as plain data (a tuple a list, a Mapping a dict, a Decimal a float: as ``--rules-config`` reads a
    file), if every option in it is one its rule declares, of the kind declared (else a LoadError)."""
    if not config:
        return config
    from .rules.options import check_options, plain_options

    plain: dict[str, Mapping[str, Any]] = plain_options(config)
    problems = check_options(plain, reg)
    if problems:
        raise LoadError(problems, "config")
    return plain


def _validate(report: Report | LoadResult, previous: Report | LoadResult | None, select: Iterable[str] | None,
              ignore: Iterable[str], config: Mapping[str, Mapping[str, Any]] | None, reg: Registry) -> list[Finding]:
    rep, loaded = _unpack(report)
    prev = _unpack(previous)[0] if previous is not None else None
    sel, ign = _codes(select), _codes(ignore) or ()
    rules = reg.runnable(rep.spec, scopes=_SERIES if prev is not None else _REPORT, select=sel, ignore=ign)
    # every finding names the file, as the CLI's: made naming it (ctx.finding), or named after
    source = report.source if isinstance(report, LoadResult) and report.source != "<string>" else None
    found = engine.evaluate_file(rep, rules, prev, config=config, load_findings=loaded, registry=reg, file=source)
    if source is not None:
        found = [f if f.file else _in(f, source) for f in found]
    if matches_code(engine.UNCHECKED, ign):  # said by the engine for any balance: ignored when asked (review 14 #7)
        found = [f for f in found if f.code != engine.UNCHECKED]
    if loaded:
        # asked once per code (a parser may say the same thing of many cells)
        shown = {code: (sel is None or matches_code(code, sel)) and not matches_code(code, ign)
                 for code in {f.code for f in loaded}}
        found = sorted([*(f for f in engine.unrestated(loaded, found) if shown[f.code]), *found],
                       key=engine.worst_first)
    return found


#: the scopes of the rules run on a report alone, and with the year before
_REPORT: frozenset[Scope] = frozenset({"report"})
_SERIES: frozenset[Scope] = frozenset({"report", "series"})


def validate_batch(items: Sequence[Report | LoadResult], *,
                   previous: Mapping[int, Report | LoadResult] | None = None,
                   select: Iterable[str] | None = None, ignore: Iterable[str] = (),
                   config: Mapping[str, Mapping[str, Any]] | None = None, registry: Registry | None = None
                   ) -> list[list[Finding]]:
    """Check several reports at once: each as :func:`validate` does (``previous`` maps an item's
    index to its agency's report of the year before), plus the rules that compare the reports
    of one run with each other (``scope="batch"``). One list of findings per item."""
    reg = resolve_registry(registry)
    _selectable(select, reg)
    config = _checked(config, reg)
    out = [_validate(item, (previous or {}).get(i), select, ignore, config, reg) for i, item in enumerate(items)]
    unpacked = [_unpack(item) for item in items]
    sel, ign = _codes(select), _codes(ignore) or ()
    batch_rules = {r.code: r for item, _ in unpacked
                   for r in reg.runnable(item.spec, scopes=frozenset({"batch"}), select=sel, ignore=ign)}
    if batch_rules:
        extra = engine.evaluate_batch([r for r, _ in unpacked], batch_rules.values(), config=config,
                                      load_findings=[f for _, f in unpacked], registry=reg)
        for found, more in zip(out, extra, strict=True):
            if more:
                found.extend(more)
                found.sort(key=engine.worst_first)
    return out


def _renderer(report: Report, to: str, reg: Registry) -> Any:
    renderer = reg.renderers.get(to)
    if renderer is None:
        raise RenderError(f"no renderer {to!r}; installed: {', '.join(reg.renderers)}")
    if not renderer.can_render(report):
        raise RenderError(f"renderer {to!r} cannot render a {report.format_version} report (variant {report.variant})")
    return renderer


def render(report: Report, to: str = "json", *, registry: Registry | None = None, **options: Any) -> str:
    """The report as text in an output format a renderer plugin provides.

    Core's: ``json``; ``yaml`` (each key followed by its name on the official form as a comment;
    ``comments=False`` for the bare data); ``html`` (options ``fragment=True`` for the ``<article>`` alone
    with its own scoped styles, ``findings=True`` or a list of findings to mark the failing
    cells and list the findings, ``lang="en"`` for their words); ``markdown``; ``csv`` and
    ``csv-wide`` (option ``bom=True`` for Excel).  Binary formats (a spreadsheet,
    a Word file) are :func:`render_bytes`'s.
    """
    reg = resolve_registry(registry)
    renderer = _renderer(report, to, reg)
    if renderer.binary:
        raise RenderError(f"{to!r} is a binary format: use govdisclosure.render_bytes()")
    out = _call(renderer, report, reg, options)
    return out.decode("utf-8") if isinstance(out, bytes) else out


def render_bytes(report: Report, to: str = "json", *, registry: Registry | None = None, **options: Any) -> bytes:
    """The report in any output format, as the bytes of a file (text formats in UTF-8)."""
    reg = resolve_registry(registry)
    out = _call(_renderer(report, to, reg), report, reg, options)
    return out if isinstance(out, bytes) else out.encode("utf-8")


def _call(renderer: Any, report: Report, reg: Registry, options: dict[str, Any]) -> str | bytes:
    """A renderer's output; whatever a plugin's renderer raises is reported naming it."""
    try:
        out: str | bytes = renderer.render(report, registry=reg, **_findings(report, options, reg))
    except GovDisclosureError:
        raise
    except Exception as exc:
        plugin = reg.origin.get(("renderers", renderer.name), "?")
        raise PluginError(f"插件 {plugin!r} 的输出格式 {renderer.name!r} 出错 / plugin {plugin!r}: renderer "
                          f"{renderer.name!r} failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(out, (str, bytes)):
        raise PluginError(f"输出格式 {renderer.name!r} 返回了 {type(out).__name__}，应为 str 或 bytes / renderer "
                          f"{renderer.name!r} returned {type(out).__name__}, expected str or bytes")
    return out


def _findings(report: Report, options: dict[str, Any], reg: Registry) -> dict[str, Any]:
    """``findings=True``: the report's own findings (``validate``), marked in the output."""
    if options.get("findings") is True:
        return {**options, "findings": validate(report, registry=reg)}
    return options


def new_report(year: int, *, agency: str | None = None, level: str | None = None, region: str | None = None,
               format_version: str | None = None, variant: str | None = None, zeros: bool = False,
               registry: Registry | None = None) -> Report:
    """A blank report in the format for ``year`` (or the one given): every cell ``None``.

    ``level`` is an ``agency.level`` id or its name (``county_department`` or ``县级政府部门``).
    ``zeros=True``: every cell 0 but the totals the balances determine, which stay blank for
    :func:`fill_totals` — a start for an agency with few requests, which types only what it had."""
    if not isinstance(zeros, bool):  # "no" would be true
        raise TypeError(f"zeros= takes True or False, got {zeros!r}")
    reg = resolve_registry(registry)
    version = format_version or reg.format_for_year(year).version
    spec = reg.format(version, variant)
    level_key = None if level is None else level_id(level)
    if level is not None and level_key is None:
        raise UnknownFormatError(f"no agency level {level!r}; one of: " + ", ".join(
            f"{key} ({label.zh})" for key, label in LEVEL_LABELS.items()))
    report = empty_report(spec, year=year, agency=Agency(name=Text(agency) if agency is not None else None,
                                                         level=Level(level_key) if level_key else None,
                                                         region=Text(region) if region is not None else None))
    if not zeros:
        return report
    totals = engine.blank_totals(report, reg.runnable(spec))
    return report.with_cells({c.pointer: Decimal(0) if c.column.kind is CellKind.AMOUNT else 0
                              for c in spec.cells() if c.pointer not in totals})


def fill_totals(report: Report, *, registry: Registry | None = None) -> tuple[Report, list[str]]:
    """Fill the blank totals that the summation rules determine; returns the report and the
    pointers filled.  Published (non-blank) cells are never changed."""
    reg = resolve_registry(registry)
    return engine.fill_totals(report, reg.rules.values())


def schema(format_version: str, variant: str | None = None, *, registry: Registry | None = None) -> dict[str, Any]:
    """The JSON Schema of a format version (and variant), as a dict."""
    from .schemas import generate_schema

    return generate_schema(resolve_registry(registry).format(format_version, variant))

