"""Canonical JSON data to the model and back, with located load errors.

A report is built by code generated once per format (:mod:`.build`); data it does not take as it is
goes through the cattrs converter, which makes the same report of it or says what is wrong where."""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import itertools
import operator
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import attrs

from ..errors import LoadError, ScalarError, problem, quote
from ..findings import Finding
from ..formats.spec import CellKind, FormatSpec, Label, escape_pointer, unescape_pointer
from ..io.fastjson import alike
from ..io.limits import LIMITS
from . import DOC, CellProvenance, Report, report_class
from .base import field_types
from .build import data_builder, values_builder
from .native import NATIVE, tables_json
from .scalars import (
    LEVEL_LABELS,
    MAX_COUNT,
    SCALARS,
    Amount,
    Count,
    IsoDate,
    Level,
    Scalar,
    Signed,
    Text,
    Year,
    amount_text,
    level_id,
    refused_character,
)

if TYPE_CHECKING:
    import cattrs

    from ..registry import Registry

__all__ = ["BLANK_HINT", "from_canonical", "from_data", "from_values", "plain_report", "to_data"]

MISSING = Label("缺少此字段（空白单元格请写 null）", "this field is missing (write null for a blank cell)")
UNKNOWN = Label("未知字段：本格式未声明", "unknown field: not declared by this format")
OBJECT = Label("对象（JSON object）", "an object (JSON object)")


#: the cells' types, on which cattrs dispatches
_OPTIONAL_COUNT, _OPTIONAL_SIGNED, _OPTIONAL_AMOUNT = Count | None, Signed | None, Amount | None


def _is_provenance(tp: Any) -> bool:
    return bool(tp == dict[str, CellProvenance])


def _written_apart(_provenance: Any) -> None:
    return None


def _make_converter(detailed: bool, plain_counts: bool = False) -> cattrs.Converter:
    """``plain_counts``: a cell of counts is written as it is (no call each, :func:`plain_data`)."""
    import cattrs
    from cattrs.fns import identity
    from cattrs.gen import make_dict_structure_fn

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    if plain_counts:  # cattrs writes a field whose hook is identity as a plain attribute read
        conv.register_unstructure_hook(_OPTIONAL_COUNT, identity)
        conv.register_unstructure_hook(_OPTIONAL_SIGNED, identity)
        # the provenance is written apart (:func:`_to_data`): not copied out of the report to be left out
        conv.register_unstructure_hook_func(_is_provenance, _written_apart)
    for tp, scalar in SCALARS.items():
        conv.register_structure_hook(tp, functools.partial(_convert, scalar))
    # the ~200 cells: one call each for the common value, the scalar's check for anything else
    conv.register_structure_hook(_OPTIONAL_COUNT, _optional_count)
    conv.register_structure_hook(_OPTIONAL_SIGNED, _optional_signed)
    conv.register_structure_hook(_OPTIONAL_AMOUNT, functools.partial(_convert_optional, SCALARS[Amount]))
    conv.register_unstructure_hook(Decimal, amount_text)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)

    def attrs_factory(cls: type) -> Callable[[Any, Any], Any]:
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

        def structure(obj: Any, tp: Any) -> Any:
            if type(obj) is not dict and not isinstance(obj, Mapping):
                raise _Expected(OBJECT, obj)
            return inner(obj, tp)
        return structure

    if detailed:  # the fast converter needs no check: any failure sends the input to this one
        conv.register_structure_hook_factory(attrs.has, attrs_factory)
    else:
        conv.register_structure_hook_factory(_is_count_row, _count_row_factory)
    return conv


def _is_count_row(cls: Any) -> bool:
    return attrs.has(cls) and all(f.type == _OPTIONAL_COUNT for f in attrs.fields(cls))


def _count_row_factory(cls: type) -> Callable[[Any, Any], Any]:
    """A whole row of counts checked in one pass (most of a report's cells are in such rows)."""
    names = frozenset(f.name for f in attrs.fields(cls))

    def structure(obj: Any, _tp: Any) -> Any:
        if type(obj) is dict and obj.keys() == names and all(
                v is None or (type(v) is int and 0 <= v <= MAX_COUNT) for v in obj.values()):
            return cls(**obj)
        raise ValueError("not a row of counts")  # the detailed converter says where and why
    return structure


def _convert(scalar: Scalar, value: Any, _tp: Any) -> Any:
    try:
        return scalar.convert(value)
    except ScalarError:
        raise _refused(scalar, value) from None


def _convert_optional(scalar: Scalar, value: Any, _tp: Any) -> Any:
    if value is None:
        return None
    try:
        return scalar.convert(value)
    except ScalarError:
        raise _refused(scalar, value) from None


def _refused(scalar: Scalar, value: Any) -> _Expected:
    """What was expected; for a text, the character at fault and its place (a quote of the text's
    start may not reach it)."""
    at = refused_character(value)
    if at is None:
        return _Expected(scalar.expected, value)
    char = value[at]
    said = f"{char!r}（U+{ord(char):04X}）"
    expected = Label(f"{scalar.expected.zh}；第 {at + 1} 个字符为 {said}",
                     f"{scalar.expected.en}; character {at + 1} is {char!r} (U+{ord(char):04X})")
    return _Expected(expected, value[max(0, at - 20):at + 20])


def _optional_count(value: Any, tp: Any) -> Any:
    if value is None or (type(value) is int and 0 <= value <= MAX_COUNT):
        return value
    return _convert_optional(SCALARS[Count], value, tp)


def _optional_signed(value: Any, tp: Any) -> Any:
    if value is None or (type(value) is int and -MAX_COUNT <= value <= MAX_COUNT):
        return value
    return _convert_optional(SCALARS[Signed], value, tp)


class _AsWritten(str):
    """A number quoted in a message as written (10000000000000001.0, not Decimal('10000000000000001.0'))."""

    def __repr__(self) -> str:
        return str.__str__(self)


class _Expected(ValueError):
    def __init__(self, expected: Label, got: Any) -> None:
        super().__init__(expected.en)
        self.expected, self.got = expected, got


#: the converters, made when first needed (cattrs' import was ~10 ms of a start that needs none: the builders
#: make a parsed or loaded report, and :func:`plain_data` writes one): ``CONVERTER``, which collects every problem
#: with its place, used when ``_FAST`` fails; ``_PLAIN_COUNTS``, writing a cell of counts as it is
_CONVERTERS = {"CONVERTER": (True, False), "_FAST": (False, False), "_PLAIN_COUNTS": (False, True)}


_MADE: dict[str, cattrs.Converter] = {}


def _converter(name: str) -> cattrs.Converter:
    made = _MADE.get(name)
    if made is None:
        made = _MADE[name] = _make_converter(*_CONVERTERS[name])
    return made


def __getattr__(name: str) -> Any:
    if name in _CONVERTERS:
        return _converter(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _problems(exc: BaseException, pointer: str, out: list[Finding]) -> None:
    import cattrs
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, cattrs.BaseValidationError):
        for sub in exc.exceptions:
            _problems(sub, _sub_pointer(sub, pointer), out)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            out.append(problem("GD-LOAD-UNKNOWN", f"{pointer}/{escape_pointer(key)}", UNKNOWN))
    elif isinstance(exc, KeyError):
        out.append(problem("GD-LOAD-MISSING", pointer, MISSING))
    elif isinstance(exc, _Expected):
        out.append(_type_problem(exc, pointer))
    else:  # a cattrs internal failure on a malformed container: still say where
        words = quote(str(exc), 80)
        out.append(problem("GD-LOAD-TYPE", pointer, Label(f"合法的值（{words}）", f"a valid value ({words})")))


def _sub_pointer(sub: BaseException, pointer: str) -> str:
    """The pointer of a nested failure, from the note cattrs attaches (a field's name or a list's index)."""
    for note in getattr(sub, "__notes__", ()):
        name, index = getattr(note, "name", None), getattr(note, "index", None)
        if name is not None:
            pointer = f"{pointer}/{escape_pointer(str(name))}"
        elif index is not None:
            pointer = f"{pointer}/{escape_pointer(str(index))}"
    return pointer


def _type_problem(exc: _Expected, pointer: str) -> Finding:
    got = exc.got
    if isinstance(got, Decimal):
        got = _AsWritten(got)  # 10000000000000001.0, not Decimal('10000000000000001.0')
    elif isinstance(got, str) and type(got) is not str:
        got = _AsWritten(repr(got))  # a reader's stand-in for a number too long to convert: its own words
    found = problem("GD-LOAD-TYPE", pointer, exc.expected, got=got)
    hint = _hint(exc.expected, exc.got)
    return found if hint is None else _with_hint(found, hint)


BLANK_HINT = Label("空白请写 null，没有请写 0", "write null for a blank, 0 for none")
#: what people write in a count cell for "nothing" or "not applicable"
_BLANK_WORDS = frozenset({"", "无", "/", "／", "-", "－", "—", "——", "空", "null", "none", "None", "N/A", "n/a", "NA",
                          "不适用", "暂无", "未发生"})
#: a number, then perhaps a unit or words (12件, 1,200 元); these two compiled by ``re`` when a hint first needs them
_NUMBER_IN_WORDS = r"^\s*([+-]?[0-9][0-9,，]*(?:\.[0-9]+)?)\s*([^\x00-\x7f].*)?$"
_NUMBER_THEN_HASH = r"^\s*([+-]?[0-9]+(?:\.[0-9]+)?)#"


def _hint(expected: Label, got: Any) -> Label | None:
    """A hint for a value people often write in a cell: a word for "none", a quoted number, a number with its unit;
    a level written by its name."""
    if type(got) is str and expected == SCALARS[Level].expected:
        key = level_id(got)
        return None if key is None else Label(f"机关层级写代码：{key}（即“{LEVEL_LABELS[key].zh}”）",
                                              f"write the level's id: {key} ({LEVEL_LABELS[key].en})")
    if type(got) is not str or expected not in _HINTED or len(got) > LIMITS.number_chars:
        return None
    text = got.strip()
    if text in _BLANK_WORDS:
        return BLANK_HINT
    narrow = unicodedata.normalize("NFKC", text)
    if narrow != text and re.match(_NUMBER_IN_WORDS, narrow):  # ５ or １，０００ typed with the IME in full width
        return Label(f"数字请用半角：{narrow.replace(',', '')}", f"write the digits in half width: "
                                                              f"{narrow.replace(',', '')}")
    comment = re.match(_NUMBER_THEN_HASH, text)
    if comment:  # YAML's comment needs a space before "#": "5# 自然人" is text
        return Label(f"“#”前须有空格（“ #”后为注释）：{comment.group(1)}",
                     f"put a space before '#' (a comment starts at ' #'): {comment.group(1)}")
    m = re.match(_NUMBER_IN_WORDS, text)
    if m is None:
        return None
    digits = m.group(1).replace(",", "").replace("，", "")
    if expected == SCALARS[Amount].expected:
        return Label(f'只写数字（金额写成字符串）："{digits}"', f'write the number alone (as a string): "{digits}"')
    if m.group(2):
        return Label(f"只写数字，不带单位或说明：{digits}", f"write the number alone, no unit or words: {digits}")
    if digits != m.group(1):
        return Label(f"数字不加千位分隔符：{digits}", f"write the number without thousands separators: {digits}")
    return Label(f"数字不加引号：{digits}", f"write the number without quotes: {digits}")


_HINTED = (SCALARS[Count].expected, SCALARS[Signed].expected, SCALARS[Amount].expected, SCALARS[Year].expected)


def _with_hint(finding: Finding, hint: Label) -> Finding:
    return attrs.evolve(finding, message=Label(f"{finding.message.zh}；{hint.zh}", f"{finding.message.en}; {hint.en}"),
                        params={**finding.params, "hint": hint.zh})


def _hints_of(cls: type) -> dict[str, Any]:
    return field_types(cls)


def _attrs_class(tp: Any) -> Any:
    """The attrs class of a field's type (``Agency | None`` -> ``Agency``), or None."""
    for t in (tp, *typing.get_args(tp)):
        if attrs.has(t):
            return t
    return None


def _describe(cls: type, spec: FormatSpec, pointer: str) -> tuple[Label | None, tuple[str, ...]]:
    """The official label (or the field's description) of what ``pointer`` names, and the keys its
    parent object takes (for "did you mean")."""
    keys = [unescape_pointer(k) for k in pointer.split("/")[1:]]
    if keys[:1] == ["provenance"]:  # /provenance/<a cell's pointer>/<field>
        cell = keys[1] if len(keys) > 1 else ""
        label = spec.label_at(cell)
        known = tuple(c.pointer for c in spec.cells()) if len(keys) == 2 else tuple(
            f.name for f in attrs.fields(CellProvenance))
        return label, known
    label = spec.label_at(pointer)
    tp: Any = cls
    for depth, key in enumerate(keys):
        fields = {f.name: f for f in attrs.fields(tp)}
        if depth == len(keys) - 1:
            field = fields.get(key)
            if label is None and field is not None and DOC in field.metadata:
                label = field.metadata[DOC]
            return label, tuple(fields)
        if key not in fields:
            return label, ()
        tp = _attrs_class(_hints_of(tp)[key])
        if tp is None:
            return label, ()
    return label, ()


def _explained(found: Finding, cls: type, spec: FormatSpec) -> Finding:
    """A load problem with the official label of its place, a hint, and the nearest known name for an unknown one."""
    label, known = _describe(cls, spec, found.pointer) if found.pointer else (None, ())
    if label is not None and not found.labels:
        found = attrs.evolve(found, labels=(label.zh,))
    if found.code == "GD-LOAD-UNKNOWN" and known:
        name = unescape_pointer(found.pointer.rsplit("/", 1)[-1])
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if near:
            found = attrs.evolve(found, message=Label(f"{found.message.zh}；是否应为 {near[0]}？",
                                                      f"{found.message.en}; did you mean {near[0]}?"),
                                 params={**found.params, "suggestion": near[0]})
    return found


def _capped(problems: list[Finding], limit: int) -> list[Finding]:
    """At most ``limit`` problems, then one saying how many more there are (a hostile file may hold millions)."""
    if len(problems) <= limit:
        return problems
    more = len(problems) - limit
    words = Label(f"另有 {more} 处问题未列出（只列出前 {limit} 处）",
                  f"{more} more problems not listed (the first {limit} are)")
    return [*problems[:limit], problem("GD-LOAD-LIMIT", "", words, more=more)]


def _check_text_size(data: Any, spec: FormatSpec) -> None:
    """Refuse a report whose text is over the limit: every format of ours must carry every report read.

    Called once the data is structured, so the tables hold numbers only (an amount's few digits are
    not text): they are not walked, which is most of a report's nodes.  (The builders count the same
    characters as they go: :func:`_check_text_total`.)"""
    tables = _table_keys(spec)
    total, stack = 0, [v for k, v in data.items() if k not in tables]
    while stack:  # no recursion: Python data may nest deeper than a reader allows
        node = stack.pop()
        if isinstance(node, str):
            total += len(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    _check_text_total(total)


def _check_text_total(total: int) -> None:
    if total > LIMITS.text_chars:
        raise LoadError([problem("GD-LOAD-LIMIT", "", Label(
            # (a parsed report's cells keep what was printed for them: a run of digits once per cell it was offered to)
            f"报告的文字（各部分，以及各单元格来源记录的原文）共 {total:,} 个字符，超过 {LIMITS.text_chars:,} 的上限",
            f"the report's text (its parts, and what its cells' provenance records as printed) is {total:,} "
            f"characters, over the limit of {LIMITS.text_chars:,}"))])


_EMPTY_PROVENANCE = CellProvenance()


@functools.cache
def _table_keys(spec: FormatSpec) -> frozenset[str]:
    return frozenset(t.id for t in spec.tables)


@functools.cache
def _provenance_keys(spec: FormatSpec) -> frozenset[str]:
    return frozenset(c.pointer for c in spec.cells())


def from_canonical(data: Any, *, source: str = "<data>", registry: Registry) -> Report:
    """A report from canonical JSON data (a dict, as json.md describes): its format version and variant
    checked against the registry, then every field; every problem a located :class:`LoadError`."""
    def fail(code: str, pointer: str, zh: str, en: str, got: Any = None) -> LoadError:
        return LoadError([problem(code, pointer, Label(zh, en), got=got)], source)

    if not isinstance(data, dict):
        raise fail("GD-LOAD-TYPE", "", "报告对象（JSON object）", "a report object (JSON object)", got=data)
    spec = _plain_format(data, registry) or _format_of(data, source, registry)
    try:
        return from_data(data, spec)
    except LoadError as exc:
        raise exc.with_file(source) from None


def plain_report(data: Any, registry: Registry) -> Report | None:
    """The report :func:`from_canonical` makes of ``data`` when the builder takes it as it is (the format
    and every value plain, the text within its limit), else None (:func:`from_canonical` says why).
    The builder takes only the objects the model declares, holding numbers and strings: data it takes
    nests no deeper than the model."""
    spec = _plain_format(data, registry) if type(data) is dict else None
    if spec is None:
        return None
    try:
        report, chars = data_builder(spec)(data)
    except Exception:  # noqa: BLE001 - not plain: the caller's way says what is wrong
        return None
    return report if chars <= LIMITS.text_chars else None


def _plain_format(data: dict[str, Any], registry: Registry) -> FormatSpec | None:
    """The official format ``format_version`` names when it is a known one and ``variant`` is null (the
    common case, checked in one test), else None."""
    version = data.get("format_version")
    if isinstance(version, str) and version in registry.formats and data.get("variant") is None:
        return registry.format(version, None)
    return None


def _format_of(data: dict[str, Any], source: str, registry: Registry) -> FormatSpec:
    """The format ``format_version`` and ``variant`` name, or the located problem with them."""
    def fail(code: str, pointer: str, zh: str, en: str, got: Any = None) -> LoadError:
        return LoadError([problem(code, pointer, Label(zh, en), got=got)], source)

    versions = ", ".join(f'"{v}"' for v in registry.formats)
    if "format_version" not in data:
        raise LoadError([problem("GD-LOAD-FORMAT", "/format_version",
                                 Label(f"format_version 字段（{versions}）", f"a format_version field ({versions})"))],
                        source)
    version = data["format_version"]
    if not isinstance(version, str) or version not in registry.formats:
        raise fail("GD-LOAD-FORMAT", "/format_version", f"格式版本之一：{versions}", f"one of {versions}", got=version)
    variant = data.get("variant")
    if variant is not None:
        known = [v.id for v in registry.variants.values() if v.extends == version]
        if not isinstance(variant, str) or variant not in known:
            raise fail("GD-LOAD-VARIANT", "/variant",
                       f"null 或已安装的 {version} 格式地区变体（{'、'.join(known) or '无'}）",
                       f"null or an installed variant of the {version} format ({', '.join(known) or 'none'})",
                       got=variant)
    return registry.format(version, variant)


#: the envelope's keys that name the format (checked before the rest is structured)
_FORMAT_KEYS = ("format_version", "variant")


def from_data(data: Any, spec: FormatSpec) -> Report:
    """Structure canonical data (``format_version`` and ``variant`` already checked)."""
    try:
        report, chars = data_builder(spec)(data)
    except Exception:  # noqa: BLE001 - anything the builder does not take as it is: the converter's way
        return _structured(data, {k: v for k, v in data.items() if k not in _FORMAT_KEYS}, spec)
    _check_text_total(chars)
    return report


def _structured(data: Any, body: dict[str, Any], spec: FormatSpec) -> Report:
    """:func:`from_data` by the converter, which says what is wrong where."""
    cls = report_class(spec)
    try:
        report = _converter("_FAST").structure(body, cls)
    except Exception:  # noqa: BLE001 - any failure of the fast converter: structure again, slowly, to say where
        try:
            report = _converter("CONVERTER").structure(body, cls)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a located problem
            problems: list[Finding] = []
            _problems(exc, "", problems)
            # an unknown key usually explains the missing ones beside it (a 2021 row in a 2019
            # report): say it first
            problems.sort(key=lambda p: p.code != "GD-LOAD-UNKNOWN")
            problems = _capped(problems, LIMITS.problems)
            raise LoadError([_explained(p, cls, spec) for p in problems]) from None
    _check_text_size(data, spec)
    _check_provenance(report, spec)
    return report


def _check_provenance(report: Report, spec: FormatSpec) -> None:
    """Every provenance entry says something and names a cell of the format."""
    empty = [k for k, p in report.provenance.items() if p == _EMPTY_PROVENANCE]
    if empty:
        raise LoadError([
            problem("GD-LOAD-TYPE", "/provenance/" + escape_pointer(k),
                    Label("至少含一项（raw、unit、source、line、column、page）的对象",
                          "an object with at least one of raw, unit, source, line, column, page"), got={})
            for k in empty
        ])
    bad = [k for k in report.provenance if k not in _provenance_keys(spec)]
    if bad:
        raise LoadError([
            problem("GD-LOAD-UNKNOWN", "/provenance/" + escape_pointer(k),
                    Label("单元格的 JSON 指针（本格式中不存在此单元格）",
                          "the JSON pointer of a cell (no such cell in this format)"))
            for k in bad
        ])


def from_values(envelope: dict[str, Any], values: tuple[Any, ...], spec: FormatSpec,
                tables: Callable[[tuple[Any, ...]], dict[str, Any]], source: str | None = None, *,
                normalised: bool = False) -> Report:
    """The report :func:`from_data` makes of ``envelope`` (canonical data without the tables) and the
    tables ``tables(values)`` spells, built directly (:func:`.build.values_builder`): the cells' values
    and the provenance checked as the converter checks them.  ``source``, if given, is the source of
    every provenance entry.  Where a value is not plain, the data goes through :func:`from_data`, which
    locates the problem (the parser's reports are plain).  ``normalised``: every text (the source too) is
    known to hold no character a text may not hold, as the parser's are: not searched for one again."""
    try:
        report, chars = values_builder(spec, normalised)(envelope, values, source)
    except Exception:  # noqa: BLE001 - anything unusual: the converter's way, which says where
        return from_data({**_with_source(envelope, source), **tables(values)}, spec)
    _check_text_total(chars)
    return report


def _with_source(envelope: dict[str, Any], source: str | None) -> dict[str, Any]:
    """The envelope with ``source`` in each provenance entry (as :func:`from_values` reads it)."""
    entries = envelope.get("provenance")
    if source is None or not isinstance(entries, Mapping):
        return envelope
    return {**envelope, "provenance": {p: {**e, "source": source} if isinstance(e, Mapping) else e
                                       for p, e in entries.items()}}


#: a provenance entry's fields, in order (every one a plain scalar: written as it is)
_PROVENANCE_FIELDS = tuple(f.name for f in attrs.fields(CellProvenance))


def to_data(report: Report) -> dict[str, Any]:
    """The canonical JSON data of a report, keys in the order of json.md."""
    return _to_data(report, _converter("CONVERTER"))[0]


def plain_data(report: Report) -> tuple[dict[str, Any], frozenset[str]]:
    """:func:`to_data`, and its keys known to hold no float (a float is written otherwise by orjson than by the
    standard library: the writer must look for one elsewhere). When every cell of counts holds an int or a blank
    (a parsed or loaded report's always do), they are read straight (the ~200 cells' calls through cattrs were a
    third of writing a report), and only an amount cell could hold a float; the provenance is known plain when
    each field it writes holds a text or an int."""
    values = report.values()
    counts = _count_cells(report.spec)(values)
    if not _PLAIN_CELLS.issuperset(map(type, counts)):
        data, provenance_plain = _to_data(report, _converter("CONVERTER"))
        return data, _PROVENANCE_KEY if provenance_plain else frozenset()
    envelope, tables_of = _PLAIN_WRITERS.get(type(report)) or _plain_writers(type(report))
    data = _head(report, envelope(report))
    data.update(tables_of(report))
    provenance_plain = True
    if report.provenance:
        data["provenance"], provenance_plain = _provenance_data(report.provenance)
    tables = _table_keys(report.spec) if float not in map(type, _amount_cells(report.spec)(values)) else frozenset()
    return data, (tables | _PROVENANCE_KEY) if provenance_plain else tables


def orjson_data(report: Report) -> dict[str, Any] | None:
    """:func:`plain_data`'s data as orjson (the ``[fast]`` extra) writes it indented by 2, each table given as its
    text (an ``orjson.Fragment``): a template made once per report class (:func:`_json_tables`), filled with the
    cells' values by one loop (:func:`.native.tables_json`, native code in the compiled build), where the tables' ~60
    objects were made, walked and written one by one (a third of writing a report).  None where orjson would not
    write plain_data's data as the standard library does (:func:`.io.fastjson.alike`), or this way is not known to
    write it as orjson writes plain_data's: a cell of counts not an int or a blank, an amount not a Decimal or a
    blank, a provenance field not a text or an int; the caller then writes :func:`plain_data`'s data."""
    if not NATIVE:  # pure Python: the plain way's C-speed writing (the loop, interpreted, is not faster)
        return None
    cls = type(report)
    template = _JSON_TABLES.get(cls)
    if template is None:
        template = _JSON_TABLES[cls] = _json_tables(cls)
    if template is False:
        return None
    fragment, keys, tables, amounts = template
    texts = tables_json(report.values(), tables, amounts)
    if texts is None:
        return None
    envelope, _ = _PLAIN_WRITERS.get(cls) or _plain_writers(cls)
    data = _head(report, envelope(report))
    if not alike(data, most=MOST_CONTAINERS):
        return None
    for key, text in zip(keys, texts, strict=True):
        data[key] = fragment(text)
    if report.provenance:
        data["provenance"], plain = _provenance_data(report.provenance)
        if not plain:
            return None
    return data


#: containers :func:`.io.fastjson.alike` walks at most in a report's data before orjson writes it (here and in the
#: API's writer; a report has a few hundred)
MOST_CONTAINERS = 1_000_000

#: :func:`_json_tables`' templates, by report class
_JSON_TABLES: dict[type[Report], Any] = {}
#: a cell's mark in the probe's JSON (:func:`_json_tables`): a text of its index, or an amount's digits
_MARK = re.compile(r'"(?:@[0-9]+@|1[0-9]{12})"')


def _json_tables(cls: type[Report]) -> Any:
    """:func:`orjson_data`'s template of a report class: ``orjson.Fragment``, the tables' keys, each table's template
    for :func:`.native.tables_json` (its text as orjson writes it at a report's key, in pieces with an empty place
    for each cell, and the cells' places among the values in the order of the text), and which values are amounts.
    Made by writing a probe whose cells each hold a mark (:data:`_MARK`) with the tables' writer itself; False without
    orjson, or when the tables' leaves are not each one cell's mark (a field that is no cell: :func:`plain_data`'s
    way then)."""
    try:
        import orjson
    except ImportError:
        return False
    if not hasattr(orjson, "Fragment"):  # (orjson 3.9 on has it)
        return False
    probe = types.SimpleNamespace()
    marks: dict[str, int] = {}
    amounts: list[bool] = []
    for i, cell in enumerate(cls.spec.cells()):
        *path, leaf = cell.attr_path.split(".")
        node = probe
        for name in path:
            node = node.__dict__.setdefault(name, types.SimpleNamespace())
        amounts.append(cell.column.kind is CellKind.AMOUNT)
        mark: Any = Decimal(10**12 + i) if amounts[-1] else f"@{i}@"
        marks[orjson.dumps(amount_text(mark) if amounts[-1] else mark).decode()] = i
        setattr(node, leaf, mark)
    try:
        data = (_PLAIN_WRITERS.get(cls) or _plain_writers(cls))[1](cast(Report, probe))  # read as a report is
    except (AttributeError, TypeError):  # a field of the tables that is no cell
        return False
    keys: list[str] = []
    tables: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
    seen: list[int] = []
    leaves = 0
    for table in cls.spec.tables:
        stack = [data[table.id]]
        while stack:
            node = stack.pop()
            if type(node) is dict:
                stack.extend(node.values())
            else:
                leaves += 1
        text = orjson.dumps(data[table.id], option=orjson.OPT_INDENT_2).decode().replace("\n", "\n  ")
        order = tuple(marks[m] for m in _MARK.findall(text))
        pieces = _MARK.split(text)
        keys.append(table.id)
        tables.append((tuple(sum((["", p] for p in pieces[1:]), pieces[:1])), order))  # a cell's place left empty
        seen += order
    if sorted(seen) != list(range(len(marks))) or leaves != len(marks):
        return False
    return orjson.Fragment, tuple(keys), tuple(tables), tuple(amounts)


#: :func:`_plain_writers`' functions, by report class
_PLAIN_WRITERS: dict[type[Report], tuple[Callable[[Report], dict[str, Any]], Callable[[Report], dict[str, Any]]]] = {}


def _plain_writers(cls: type[Report]) -> tuple[Callable[[Report], dict[str, Any]], Callable[[Report], dict[str, Any]]]:
    """:func:`plain_data`'s writers of a report class (made once per class): the converter's writing of the envelope
    (tables and provenance left out), and the tables' data as the converter writes them (:func:`_tables_writer`)."""
    envelope = [f.name for f in attrs.fields(cls) if f.name not in _table_keys(cls.spec) and f.name != "provenance"]
    writers = _PLAIN_WRITERS[cls] = _writer(cls, "envelope", envelope), _tables_writer(cls)
    return writers


def _tables_writer(cls: type[Report]) -> Callable[[Report], dict[str, Any]]:
    """A function writing a report's tables as ``_PLAIN_COUNTS`` writes them (:func:`_writer`)."""
    tables: Callable[[Report], dict[str, Any]] = _writer(cls, "tables", [t.id for t in cls.spec.tables])
    return tables


#: how ``_PLAIN_COUNTS`` writes a value of each scalar type of the model (its hook): as it is (None), or by this
#: function (the one the converter registers for its base type: a date's, a Decimal's)
_LEAF_WRITERS: dict[Any, Callable[[Any], Any] | None] = {
    Count: None, Signed: None, Year: None, Text: None, Level: None, IsoDate: _dt.date.isoformat, Amount: amount_text}


_UNKNOWN = object()


def _leaf(tp: Any, expr: str, namespace: dict[str, Any]) -> str:
    """A scalar's value as code, written as the converter writes one of its type (:data:`_LEAF_WRITERS`)."""
    leaf = _LEAF_WRITERS.get(tp, _UNKNOWN)
    if leaf is _UNKNOWN:
        raise TypeError(f"{tp}: not a type whose writing by the converter is known here")
    if leaf is None:
        return expr
    namespace[f"h{len(namespace)}"] = leaf
    return f"h{len(namespace) - 1}({expr})"


def _writer(cls: type[Report], name: str, keys: list[str]) -> Callable[[Report], dict[str, Any]]:
    """A function writing these fields of a report as ``_PLAIN_COUNTS`` writes them, without cattrs (its import
    and its generated functions were ~15 ms of a one-file parse): straight-line, one nested dict literal of the
    objects' attributes, each object's fields in its class's order, a value written by the hook the converter
    has for its type (:data:`_LEAF_WRITERS`), ``X | None`` as cattrs writes it (None, else as an ``X``); cattrs'
    generated functions call one function an object, ~60 a report, and one a leaf of the envelope.  A TypeError at
    generation for a type the converter would write otherwise (tests/test_model_fast.py compares the two)."""
    namespace: dict[str, Any] = {}
    lines: list[str] = []
    names = itertools.count()

    def local(stem: str) -> str:
        return f"{stem}{next(names)}"

    def value(tp: Any, expr: str, hoist: bool = True) -> str:
        args = typing.get_args(tp)
        inner = next((a for a in args if a is not type(None)), None) if type(None) in args and len(args) == 2 else None
        if inner is not None and _LEAF_WRITERS.get(inner, _UNKNOWN) is None:  # None or the value: as it is
            return expr
        if inner is not None:  # cattrs' Optional: None as it is, else the value as its type's
            x = local("x")
            return f"(None if ({x} := {expr}) is None else {value(inner, x, False)})"
        return node(tp, expr, hoist) if attrs.has(tp) else _leaf(tp, expr, namespace)

    def node(owner: type, expr: str, hoist: bool) -> str:
        """``hoist``: the object read once, before the dict literal (not where it is read only if not None)."""
        fields = attrs.fields(owner)
        if any(not f.init or f.alias != f.name for f in fields):
            raise TypeError(f"{owner.__name__}: not written by cattrs' generated function of its fields")
        o = expr
        if hoist:
            o = local("o")
            lines.append(f"    {o} = {expr}")
        hints = _hints_of(owner)
        return "{" + ", ".join(f"{f.name!r}: {value(hints[f.name], f'{o}.{f.name}', hoist)}" for f in fields) + "}"

    hints = _hints_of(cls)
    items = [f"{key!r}: {value(hints[key], f'r.{key}')}" for key in keys]
    exec(f"def {name}(r):\n" + "\n".join(lines) + f"\n    return {{{', '.join(items)}}}\n", namespace)
    out: Callable[[Report], dict[str, Any]] = namespace[name]
    return out


_PROVENANCE_KEY = frozenset({"provenance"})


#: the types a cell of counts holds when it is what its class says (a bool is not a count: the converter's way)
_PLAIN_CELLS = frozenset({int, type(None)})


@functools.cache
def _count_cells(spec: FormatSpec) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """The values of the cells of counts (signed too) among a report's values (:meth:`Report.values`)."""
    return _picker([i for i, c in enumerate(spec.cells()) if c.column.kind is not CellKind.AMOUNT])


@functools.cache
def _amount_cells(spec: FormatSpec) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    return _picker([i for i, c in enumerate(spec.cells()) if c.column.kind is CellKind.AMOUNT])


def _picker(indexes: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function picking these items of a tuple, as a tuple (``itemgetter`` gives one item bare, none an error)."""
    if len(indexes) > 1:
        return operator.itemgetter(*indexes)
    return lambda values: tuple(values[i] for i in indexes)


def _to_data(report: Report, converter: cattrs.Converter) -> tuple[dict[str, Any], bool]:
    """The report's data, and whether its provenance (if any) holds only texts and ints."""
    # provenance (~190 entries of a parsed report) is written without the converter: it was two thirds
    # of the cost of a report's data
    raw = converter.unstructure(attrs.evolve(report, provenance={})
                                if report.provenance and converter is not _MADE.get("_PLAIN_COUNTS") else report)
    out = _head(report, raw)
    for table in report.spec.tables:
        out[table.id] = raw[table.id]
    if not report.provenance:
        return out, True
    out["provenance"], plain = _provenance_data(report.provenance)
    return out, plain


def _head(report: Report, raw: dict[str, Any]) -> dict[str, Any]:
    """The data before the tables, from the converter's writing of the report: which keys, in which order, and
    which only when known."""
    out: dict[str, Any] = {"format_version": report.format_version}
    for key in ("year", "title", "agency", "published_on"):
        out[key] = raw[key]
    out["variant"] = report.variant
    for optional in ("period", "notice", "stated"):  # written only when known
        if raw[optional] is not None:
            out[optional] = raw[optional] if optional != "stated" else {
                k: v for k, v in raw[optional].items() if v is not None}
    # the text around a table is written only where a report prints some (documents of 0.1 stay as they were)
    around = _around_tables(report.spec)
    out["parts"] = {k: v for k, v in raw["parts"].items() if v is not None or k not in around}
    return out


def envelope_data(report: Report) -> dict[str, Any]:
    """:func:`to_data` less the tables and the provenance, written without them (the audit's store keeps those
    apart: the tables' ~200 cells, unstructured to be dropped, were two thirds of its flattening a report)."""
    write = _ENVELOPE_WRITERS.get(type(report)) or _envelope_writer(type(report))
    return _head(report, write(report))


#: :func:`_envelope_writer`'s functions, by report class
_ENVELOPE_WRITERS: dict[type[Report], Callable[[Report], dict[str, Any]]] = {}


def _envelope_writer(cls: type[Report]) -> Callable[[Report], dict[str, Any]]:
    """The converter's writing of a report class, its tables and provenance left out (made once per class)."""
    from cattrs.gen import make_dict_unstructure_fn, override

    left_out: dict[str, Any] = {name: override(omit=True) for name in ("provenance", *(t.id for t in cls.spec.tables))}
    write: Callable[[Report], dict[str, Any]] = make_dict_unstructure_fn(cls, _converter("CONVERTER"), **left_out)
    _ENVELOPE_WRITERS[cls] = write
    return write


def provenance_data(entries: Mapping[str, CellProvenance]) -> dict[str, dict[str, Any]]:
    """The provenance's data, as :func:`to_data` writes it."""
    return _provenance_data(entries)[0]


@functools.cache
def _around_tables(spec: FormatSpec) -> frozenset[str]:
    """The parts that are tables (their prose written only where a report prints some)."""
    return frozenset(p.id for p in spec.parts if p.is_table)


def _provenance_writer() -> Callable[[Mapping[str, CellProvenance]], tuple[dict[str, dict[str, Any]], bool]]:
    """A function writing the provenance's data: each entry's fields that say something, in the class's order (as
    ``{f: getattr(p, f) for f in fields if ...}``, straight-line: a comprehension and nine getattr an entry were
    a third of a parsed report's dump), and whether each value written is a text or an int (then no float is
    looked for in it: that walk was as costly as the writing)."""
    body = "".join(f"        v = p.{name}\n        if v is not None:\n            d[{name!r}] = v\n"
                   f"            if type(v) not in plain:\n                odd = True\n"
                   for name in _PROVENANCE_FIELDS)
    namespace: dict[str, Any] = {"plain": frozenset({str, int})}
    exec(f"def write(entries):\n    out = {{}}\n    odd = False\n    for k, p in entries.items():\n        d = {{}}\n"
         f"{body}        out[k] = d\n    return out, not odd\n", namespace)  # field names only
    out: Callable[[Mapping[str, CellProvenance]], tuple[dict[str, dict[str, Any]], bool]] = namespace["write"]
    return out


_provenance_data = _provenance_writer()
