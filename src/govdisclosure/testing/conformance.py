"""Conformance checks a plugin's own tests call (needs the ``[test]`` extra: hypothesis).

Each ``check_*`` function raises :class:`ConformanceError` (an ``AssertionError``, so pytest
shows it as a failed assertion) listing every way the plugin falls short, and returns nothing
when it conforms::

    from govdisclosure.testing import conformance, use_plugins
    import my_plugin

    def test_conformance():
        with use_plugins(my_plugin) as registry:
            conformance.check_plugin(my_plugin, registry=registry, prefix="MY-")

- renderers: :func:`check_round_trip` (where a loader reads the renderer's output back),
  :func:`check_round_trip_property` (the same for hypothesis-generated reports),
  :func:`check_provenance` (a parsed report's provenance, keyed by JSON pointers, read back whole),
  :func:`check_hostile_text` (HTML/script, Markdown syntax and spreadsheet formulas in every
  text field neither inject markup nor become a formula, and read back exactly),
  :func:`check_blanks` (a blank cell stays distinct from 0);
- loaders: :func:`check_loader` (:data:`BAD_INPUTS`, plus your own, give a located
  ``LoadError`` and never another exception);
- rules: :func:`check_rule` / :func:`check_rules` (a stable code, a severity, both languages).

本模块供插件作者在自己的测试中调用：输出格式能否读回、是否中和恶意文本（HTML/脚本、Markdown、
电子表格公式）、空白是否保持为空白；读取器对坏输入是否给出带位置的错误；规则代码、严重程度与中英文是否齐备。
"""

from __future__ import annotations

import csv
import io
import random
import re
import string
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

import govdisclosure as gd

from ..errors import LoadError, PluginError
from ..findings import Severity
from ..formats.spec import CellKind, FormatSpec, Label
from ..io import Loader, Renderer
from ..io.envelope import meta_fields, part_fields, put
from ..model import Report
from ..model.convert import to_data
from ..model.scalars import Text
from ..registry import Registry, resolve_registry
from ..rules.types import CODE, Rule
from . import balanced_data, reports

__all__ = [
    "BAD_INPUTS",
    "HOSTILE_TEXTS",
    "ConformanceError",
    "check_blanks",
    "check_hostile_text",
    "check_loader",
    "check_plugin",
    "check_provenance",
    "check_round_trip",
    "check_round_trip_property",
    "check_rule",
    "check_rules",
    "hostile_report",
    "provenance_report",
]


class ConformanceError(AssertionError):
    """A plugin does not conform; the message lists every problem found."""

    def __init__(self, what: str, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{what}:\n" + "\n".join(f"  - {p}" for p in self.problems))


def _fail_if(what: str, problems: list[str]) -> None:
    if problems:
        raise ConformanceError(what, problems)


def _registry(registry: Registry | None) -> Registry:
    return resolve_registry(registry)


# ----------------------------------------------------------------------------- rendering and loading

def _renderer(name: str, registry: Registry) -> Renderer:
    try:
        return registry.renderers[name]
    except KeyError:
        raise ConformanceError(f"renderer {name!r}", [f"not registered; installed: {', '.join(registry.renderers)}"]
                               ) from None


def _render(report: Report, name: str, registry: Registry, **options: Any) -> bytes:
    """The renderer's output as bytes (text renderers' output as UTF-8)."""
    return gd.render_bytes(report, name, registry=registry, **options)


def _loader_for(renderer: Renderer, registry: Registry, loader: str | None) -> Loader | None:
    if loader is not None:
        return registry.loaders[loader]
    # only a loader of the renderer's own name reads it back: a renderer of a summary (or of csv-wide) whose
    # extension another loader takes is one-way, and is not checked for a round trip
    named = registry.loaders.get(renderer.name)
    return named if named is not None and renderer.extension in named.extensions else None


def _load(data: bytes, loader: Loader, extension: str, registry: Registry) -> Report | str:
    """The report read back, or why it could not be (a LoadError's summary, or the exception)."""
    try:
        return gd.loads(data, source=f"conformance{extension}", loader=loader.name, registry=registry)
    except LoadError as exc:
        return exc.summary("en")
    except Exception as exc:  # noqa: BLE001 - the kit reports whatever a plugin raises, as a problem
        return f"raised {type(exc).__name__}: {exc}"[:300]


def _diff(expected: Report, got: Report, limit: int = 10) -> list[str]:
    """Where two reports differ, as JSON pointers with both values."""
    out: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in dict.fromkeys([*a, *b]):
                walk(a.get(key), b.get(key), f"{path}/{key}")
        elif a != b:
            out.append(f"{path or '/'}: expected {a!r}, read back {b!r}")

    walk(to_data(expected), to_data(got), "")
    if type(expected) is not type(got):
        out.append(f"report class: expected {type(expected).__name__}, read back {type(got).__name__}")
    return out or ["the reports differ in a field to_data does not show"]


def check_round_trip(renderer: str, report: Report, *, loader: str | None = None,
                     registry: Registry | None = None) -> None:
    """``load(render(report)) == report`` through ``renderer`` and the loader that reads its output
    (``loader``, or the one registered under the same name, or the first taking its extension)."""
    reg = _registry(registry)
    rend = _renderer(renderer, reg)
    ld = _loader_for(rend, reg, loader)
    if ld is None:
        raise ConformanceError(f"renderer {renderer!r}", [f"no loader reads {rend.extension} files back"])
    back = _load(_render(report, renderer, reg), ld, rend.extension, reg)
    if isinstance(back, str):
        raise ConformanceError(f"renderer {renderer!r}: its output does not load back", [back])
    if back != report:
        raise ConformanceError(f"renderer {renderer!r}: the report read back differs", _diff(report, back))


def check_round_trip_property(renderer: str, *, loader: str | None = None, registry: Registry | None = None,
                              spec: FormatSpec | None = None, blanks: bool = True, max_examples: int = 25) -> None:
    """:func:`check_round_trip` for hypothesis-generated balanced reports of ``spec`` (default:
    every registered official format), some cells blank when ``blanks``."""
    from hypothesis import HealthCheck, given, settings

    reg = _registry(registry)

    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(reports(spec, blanks=blanks))
    def round_trip(report: Report) -> None:
        check_round_trip(renderer, report, loader=loader, registry=reg)

    round_trip()


def provenance_report(spec: FormatSpec, *, registry: Registry | None = None) -> Report:
    """A balanced report of ``spec`` whose cells carry provenance as a parsed report's do: a value printed with its
    unit and where (the file's name holding ``/`` and ``~``), a blank printed as a dash, digits run together left
    blank with their candidates.  Its keys are JSON pointers (``/`` in a key)."""
    data = balanced_data(spec, random.Random(1).randint)
    cells = [c for c in spec.cells() if c.column.kind == CellKind.COUNT]
    printed, dash, doubt = cells[0], cells[len(cells) // 2], cells[-1]
    for cell in (dash, doubt):
        put(data, tuple(cell.pointer[1:].split("/")), None)
    value = data
    for key in printed.pointer[1:].split("/"):
        value = value[key]
    data["provenance"] = {
        printed.pointer: {"raw": f"{value}件", "source": "某县/局~2024年报告.txt", "line": 7, "column": 3},
        dash.pointer: {"raw": "—", "line": 40, "page": 2},
        doubt.pointer: {"raw": "6233440", "note": "数字连写，有多种拆分 / digits run together; several splits fit",
                        "candidates": "3|33|334|3344", "line": 41},
    }
    return gd.from_data(data, registry=_registry(registry))


def check_provenance(renderer: str, *, loader: str | None = None, registry: Registry | None = None,
                     spec: FormatSpec | None = None) -> None:
    """:func:`check_round_trip` of :func:`provenance_report` (default: of every registered official format): a
    report read from a published page keeps what each cell showed, keyed by JSON pointers, which a format writing
    its keys into paths must escape (``~1``, ``~0``)."""
    reg = _registry(registry)
    for each in [spec] if spec is not None else [reg.format(v) for v in reg.formats]:
        check_round_trip(renderer, provenance_report(each, registry=reg), loader=loader, registry=reg)


# ----------------------------------------------------------------------------- hostile text

#: texts that must come out of every renderer as plain text (each is a valid ``Text``)
HOSTILE_TEXTS: Mapping[str, str] = {
    "html": '<script>alert("gd")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>&amp;',
    "markdown": "# 标题\n* 列表 [链接](javascript:alert(1)) **粗体** _斜体_ `代码`\n| 表 | 格 |\n---\n> 引用",
    "formula-equals": '=HYPERLINK("http://example.invalid/?x="&A1,"点击")',
    "formula-plus": "+1+cmd|' /C calc'!A0",
    "formula-minus": "-2+3",
    "formula-at": "@SUM(1,1)",
    "excel-escape": "_x0041_ 与 _x005F_ 原样保留",
    "whitespace": "  前后空格\t制表符\r\n换行  ",
}

_FORMULA_START = ("=", "+", "-", "@")


def _text_fields(spec: FormatSpec) -> list[tuple[str, ...]]:
    return [f.path for f in (*meta_fields(), *part_fields(spec)) if f.type is Text]


def hostile_report(spec: FormatSpec, text: str, *, registry: Registry | None = None, seed: int = 0) -> Report:
    """A balanced report of ``spec`` with ``text`` in every text field (title, agency, parts, …)."""
    data = balanced_data(spec, random.Random(seed).randint)
    for path in _text_fields(spec):
        put(data, path, text)
    return gd.from_data(data, registry=_registry(registry))


class _Elements(HTMLParser):
    """The elements and attributes of an HTML document (what injected markup would add to)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[tag] += 1
        for name, value in attrs:
            self.found[f"{tag}@{name}"] += 1
            if value and value.strip().lower().startswith("javascript:"):
                self.found[f"{tag}@{name}=javascript:"] += 1


def _elements(html_text: str) -> Counter[str]:
    parser = _Elements()
    parser.feed(html_text)
    parser.close()
    return parser.found


def _markup_added(hostile: str, benign: str) -> list[str]:
    added = _elements(hostile) - _elements(benign)
    return [f"{name} ×{n}" for name, n in sorted(added.items())]


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    html_text: str = MarkdownIt("commonmark").enable("table").render(text)
    return html_text


def _ooxml_problems(data: bytes, texts: Iterable[str]) -> list[str]:
    """Formulas (xlsx) and field codes (docx) must not carry any of ``texts``."""
    bodies = [t.lstrip("".join(_FORMULA_START)) for t in texts]
    bodies = [b for b in bodies if len(b) > 2]
    out: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["the output is not an OOXML (zip) file"]
    for name in archive.namelist():
        if not name.endswith(".xml"):
            continue
        root = ElementTree.fromstring(archive.read(name))
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            code = None
            if tag in ("f", "instrText"):
                code = el.text or ""
            elif tag == "fldSimple":
                code = next((v for k, v in el.attrib.items() if k.endswith("instr")), "")
            if code and any(b in code for b in bodies):
                out.append(f"{name}: a text became a {tag} element: {code[:60]!r}")
    return out


def _csv_problems(text: str, texts: Iterable[str]) -> list[str]:
    wanted = [t for t in texts if t.startswith(_FORMULA_START)]
    out = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        for field in row:
            if field.startswith(_FORMULA_START) and any(field == t or field.startswith(t[:8]) for t in wanted):
                out.append(f"line {number}: a field starts with a formula character: {field[:40]!r}")
    return out


def _output_problems(data: bytes, text: str, media_type: str, spec: FormatSpec, renderer: str,
                     registry: Registry) -> list[str]:
    """What a hostile text did to the output, judged by its media type: markup it added (HTML, and
    Markdown rendered to HTML, against the same report with harmless text of the same shape), or a
    field or cell it turned into a formula (CSV, OOXML)."""
    media = media_type.lower()
    if "html" in media or "markdown" in media:
        benign = hostile_report(spec, re.sub(r"[^\n]", "文", text), registry=registry)
        pair = data.decode("utf-8"), _render(benign, renderer, registry).decode("utf-8")
        if "markdown" in media:
            pair = _markdown_html(pair[0]), _markdown_html(pair[1])
        return [f"the text added markup: {m}" for m in _markup_added(*pair)]
    if "csv" in media:
        return _csv_problems(data.decode("utf-8-sig"), [text])
    if "openxmlformats" in media or data[:2] == b"PK":
        return _ooxml_problems(data, [text])
    return []


def _read_back_problems(report: Report, data: bytes, loader: Loader, extension: str,
                        registry: Registry) -> list[str]:
    """How the output, read back, differs from the report it was rendered from."""
    back = _load(data, loader, extension, registry)
    if isinstance(back, str):
        return [f"the output does not load back: {back}"]
    if back != report:
        return _diff(report, back, limit=3)
    return []


def check_hostile_text(renderer: str, *, registry: Registry | None = None, spec: FormatSpec | None = None,
                       texts: Mapping[str, str] = HOSTILE_TEXTS, round_trip: bool | None = None) -> None:
    """Every text of :data:`HOSTILE_TEXTS`, put in every text field, is rendered as plain text.

    By the renderer's media type: HTML gains no element or attribute over the same report with
    harmless text of the same shape; Markdown, rendered to HTML, gains none either; in CSV no
    field holding one starts with = + - @; in OOXML (xlsx, docx) none becomes a formula or a
    field code.  Where a loader reads the output back (``round_trip`` None: when there is one),
    every text reads back exactly.
    """
    reg = _registry(registry)
    rend = _renderer(renderer, reg)
    specs = [spec] if spec is not None else [reg.format(v) for v in reg.formats]
    ld = _loader_for(rend, reg, None) if round_trip is not False else None
    if round_trip and ld is None:
        raise ConformanceError(f"renderer {renderer!r}", [f"no loader reads {rend.extension} files back"])
    problems: list[str] = []
    for sp in specs:
        for name, text in texts.items():
            report = hostile_report(sp, text, registry=reg)
            where = f"format {sp.version}, text {name!r}"
            data = _render(report, renderer, reg)
            problems += [f"{where}: {p}" for p in _output_problems(data, text, rend.media_type, sp, renderer, reg)]
            if ld is not None:
                problems += [f"{where}: {p}" for p in _read_back_problems(report, data, ld, rend.extension, reg)]
    _fail_if(f"renderer {renderer!r} does not neutralise hostile text", problems)


# ----------------------------------------------------------------------------- blanks

def _zero(kind: CellKind) -> Any:
    return Decimal("0") if kind is CellKind.AMOUNT else 0


def check_blanks(renderer: str, *, registry: Registry | None = None, spec: FormatSpec | None = None) -> None:
    """A blank cell is not 0: in each table, a blank cell and a 0 render differently, and (where a
    loader reads the output back) read back as ``None`` and ``0``.  Blank cells are chosen both
    among the addends of a total (the total left as published) and among the totals."""
    reg = _registry(registry)
    rend = _renderer(renderer, reg)
    ld = _loader_for(rend, reg, None)
    specs = [spec] if spec is not None else [reg.format(v) for v in reg.formats]
    problems: list[str] = []
    for sp in specs:
        base = gd.from_data(balanced_data(sp, random.Random(1).randint), registry=reg)
        chosen = [cells[i].pointer for t in sp.tables
                  for cells in [[c for c in sp.cells() if c.table.id == t.id]] for i in (0, -1)]
        blank = base.with_cells({p: None for p in chosen})
        zero = base.with_cells({p: _zero(sp.cell(p).column.kind) for p in chosen})
        outputs = _render(blank, renderer, reg), _render(zero, renderer, reg)
        if ld is None:
            if _render(blank, renderer, reg) != outputs[0]:
                problems.append(f"format {sp.version}: the output is not deterministic and no loader reads it "
                                f"back, so blanks cannot be checked")
            elif outputs[0] == outputs[1]:
                problems.append(f"format {sp.version}: blank cells {chosen} render exactly as 0")
            continue
        for report, data, label in ((blank, outputs[0], "blank"), (zero, outputs[1], "0")):
            back = _load(data, ld, rend.extension, reg)
            if isinstance(back, str):
                problems.append(f"format {sp.version}, cells {label}: does not load back: {back}")
                continue
            for p in chosen:
                if back.cell(p) != report.cell(p) or (report.cell(p) is None) != (back.cell(p) is None):
                    problems.append(f"format {sp.version}: {p} was {report.cell(p)!r}, read back {back.cell(p)!r}")
    _fail_if(f"renderer {renderer!r} does not keep blank cells blank", problems)


# ----------------------------------------------------------------------------- loaders

def _zip(members: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


_CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  b"</Types>")

#: inputs that are not reports: every loader must refuse them with a located ``LoadError``
#: (or, if it reads them at all, return a report), never raise anything else
BAD_INPUTS: Mapping[str, bytes] = {
    "empty": b"",
    "whitespace": b" \n\t\r\n",
    "nul-bytes": b"\x00" * 64,
    "binary-noise": bytes(random.Random(7).getrandbits(8) for _ in range(2048)),
    "gb18030-text": "二〇二四年政府信息公开工作年度报告".encode("gb18030"),
    "plain-text": "这不是一份报告。This is not a report.\n".encode(),
    "json-array": b"[1, 2, 3]",
    "json-unknown-format": b'{"format_version": "1999", "year": 2024}',
    "html-page": b"<!doctype html><html><body><p>hello</p></body></html>",
    "pdf-header-only": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj garbage",
    "long-line": b"9" * 200_000,
    "zip-empty": _zip({}),
    "zip-unrelated": _zip({"readme.txt": b"not an office document"}),
    "zip-truncated": _zip({"[Content_Types].xml": _CONTENT_TYPES, "data.xml": b"<a>" + b"x" * 4000 + b"</a>"})[:900],
    "ooxml-without-parts": _zip({"[Content_Types].xml": _CONTENT_TYPES}),
    "ooxml-broken-xml": _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook"}),
}


def _load_error_problems(name: str, exc: LoadError, source: str) -> list[str]:
    out = []
    findings = exc.findings
    if not findings:
        out.append(f"{name}: LoadError without findings")
    for f in findings:
        if f.file != source:
            out.append(f"{name}: finding {f.code} does not name the file ({f.file!r} instead of {source!r})")
        if not CODE.match(f.code):
            out.append(f"{name}: finding code {f.code!r} does not match {CODE.pattern}")
        if not f.message.zh.strip() or not f.message.en.strip():
            out.append(f"{name}: finding {f.code} lacks a message in both languages")
    return out


def check_loader(loader: str, *, registry: Registry | None = None,
                 bad_inputs: Mapping[str, bytes] = BAD_INPUTS, extension: str | None = None) -> None:
    """Every input of ``bad_inputs`` (default :data:`BAD_INPUTS`; pass ``{**BAD_INPUTS, **yours}``)
    read by ``loader`` through :func:`govdisclosure.loads` ends in a report or in a ``LoadError``
    whose findings name the file, carry a valid code and a message in Chinese and English —
    never in another exception."""
    reg = _registry(registry)
    try:
        ld = reg.loaders[loader]
    except KeyError:
        raise ConformanceError(f"loader {loader!r}", [f"not registered; installed: {', '.join(reg.loaders)}"]
                               ) from None
    ext = extension if extension is not None else (ld.extensions[0] if ld.extensions else "")
    problems: list[str] = []
    for name, data in bad_inputs.items():
        source = f"bad-{name}{ext}"
        try:
            gd.loads(data, source=source, loader=loader, registry=reg)
        except LoadError as exc:
            problems += _load_error_problems(name, exc, source)
        except Exception as exc:  # noqa: BLE001 - a loader that raises anything else is what this check finds
            raised = exc.__cause__ if isinstance(exc, PluginError) and exc.__cause__ is not None else exc  # its own
            problems.append(f"{name}: raised {type(raised).__name__}: {raised}"[:300])
    _fail_if(f"loader {loader!r} does not survive bad input", problems)


# ----------------------------------------------------------------------------- rules

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_rule(rule: Rule, *, prefix: str | None = None) -> None:
    """A rule has a code of the stable pattern (``PREFIX-WORD-…``, with ``prefix`` if given), a
    :class:`~govdisclosure.findings.Severity`, and a description in Chinese and English, and a
    message whose two templates use the same parameters."""
    problems = [*_code_problems(rule.code, prefix), *_severity_problems(rule.severity)]
    for what in ("description", "message"):
        problems += _text_problems(what, getattr(rule, what))
    _fail_if(f"rule {getattr(rule, 'code', rule)!r}", problems)


def _code_problems(code: object, prefix: str | None) -> list[str]:
    # ``object``: a plugin's rule is checked as it is, whatever its annotations promise
    if not isinstance(code, str) or not CODE.match(code):
        return [f"code {code!r} does not match {CODE.pattern}"]
    if prefix is not None and not code.startswith(prefix):
        return [f"code {code!r} does not start with {prefix!r}"]
    return []


def _severity_problems(severity: object) -> list[str]:
    if not isinstance(severity, Severity):
        return [f"severity {severity!r} is not one of {', '.join(s.value for s in Severity)}"]
    return []


def _text_problems(what: str, label: object) -> list[str]:
    if not isinstance(label, Label) or not label.zh.strip() or not label.en.strip():
        return [f"{what} must be a Label with Chinese and English text"]
    if what == "description":
        return _description_problems(label)
    return _message_problems(label)


def _description_problems(label: Label) -> list[str]:
    problems = []
    if not _CJK.search(label.zh):
        problems.append(f"description.zh has no Chinese: {label.zh!r}")
    if not _LATIN.search(label.en):
        problems.append(f"description.en has no English: {label.en!r}")
    return problems


def _message_problems(label: Label) -> list[str]:
    try:
        zh, en = _placeholders(label.zh), _placeholders(label.en)
    except ValueError as exc:
        return [f"message is not a valid template: {exc}"]
    if zh != en:
        return [f"message templates use different parameters: zh {sorted(zh)}, en {sorted(en)}"]
    return []


def check_rules(rules: Iterable[Rule], *, prefix: str | None = None) -> None:
    """:func:`check_rule` for each rule, all problems reported at once."""
    problems: list[str] = []
    for rule in rules:
        try:
            check_rule(rule, prefix=prefix)
        except ConformanceError as exc:
            problems += [f"{rule.code}: {p}" for p in exc.problems]
    _fail_if("rules do not conform", problems)


# ----------------------------------------------------------------------------- a whole plugin

def _hook(plugin: Any, name: str) -> list[Any]:
    fn = getattr(plugin, name, None)
    return list(fn() or []) if callable(fn) else []


def check_plugin(plugin: Any, *, registry: Registry | None = None, prefix: str | None = None,
                 bad_inputs: Mapping[str, bytes] = BAD_INPUTS, max_examples: int = 10) -> None:
    """Every check above for what ``plugin`` (a module or object with hook implementations)
    registers: its rules, loaders and renderers.  ``registry`` must include the plugin
    (:func:`govdisclosure.testing.use_plugins` yields one)."""
    reg = _registry(registry)
    problems: list[str] = []

    def run(check: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        try:
            check(*args, **kwargs)
        except ConformanceError as exc:
            problems.append(str(exc))

    rules = _hook(plugin, "register_rules")
    if rules:
        run(check_rules, rules, prefix=prefix)
    for ld in _hook(plugin, "register_loaders"):
        run(check_loader, ld.name, registry=reg, bad_inputs=bad_inputs)
    for rend in _hook(plugin, "register_renderers"):
        run(check_hostile_text, rend.name, registry=reg)
        run(check_blanks, rend.name, registry=reg)
        if _loader_for(rend, reg, None) is not None:
            run(check_round_trip_property, rend.name, registry=reg, max_examples=max_examples)
            run(check_provenance, rend.name, registry=reg)
    _fail_if(f"plugin {getattr(plugin, '__name__', plugin)!r}", problems)


