"""One input in, one picklable record out: the pure step of an audit that may run anywhere.

:func:`examine` reads an input's bytes, loads them with whatever loader the registry has (canonical
JSON or YAML, our own renders, published text, web pages, PDF, plugins' formats), validates the report
with every report-scope rule and flattens the result into plain tuples: no model object crosses a
process boundary, so the same function runs in the audit's own worker processes and on Dask.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import os
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from types import ModuleType
from typing import Any, Final, Union

import attrs

from .. import api
from ..errors import LoadError
from ..findings import Finding, path_text
from ..formats.spec import FormatSpec, cell_tree
from ..io import LoadResult
from ..io.fastjson import alike as _alike
from ..io.fastjson import texts as _all_texts
from ..io.source import read_source
from ..model import Report
from ..model.build import maker
from ..model.convert import _provenance_data, envelope_data, provenance_data
from ..registry import Registry, resolve_registry
from ..rules.engine import UNCHECKED

__all__ = ["Examined", "Failed", "FindingRow", "Outcome", "content_hash", "examine", "examine_bytes", "finding_row",
           "flatten", "rebuild", "row_params"]

#: a finding as stored: (code, severity, pointer, pointers JSON, labels JSON, params JSON, message zh, message en);
#: GD-UNCHECKED's params without its ``blank_cells``, which are its pointers (:func:`finding_row`, :func:`row_params`)
FindingRow = tuple[str, str, str, str, str, str, str, str]


def content_hash(data: bytes) -> str:
    """The key an input's report is stored under: the same bytes are one report, wherever they lie."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: the store's JSON texts are compact (no spaces after ',' and ':'): written by orjson (the [fast] extra) where it
#: writes the same text as the standard library, else by these encoders, made once (``dumps`` with an option makes
#: one at each call)
_SEPARATORS: Final = (",", ":")
_JSON: Final = json.JSONEncoder(ensure_ascii=False, separators=_SEPARATORS)
#: a finding's params: amounts (Decimal) and anything else not JSON by nature written as their text
_PARAMS_JSON: Final = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str, separators=_SEPARATORS)


def _amount_text(value: Any) -> str:
    """An amount (Decimal) as flatten writes it: its text (anything else not JSON by nature: the encoder's error)."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


#: a report's values (:meth:`Report.values`) as ``json.dumps(flatten(report)[1], ensure_ascii=False)`` writes them
_VALUES_JSON: Final = json.JSONEncoder(ensure_ascii=False, default=_amount_text, separators=_SEPARATORS)
#: how the encoders above write a string (the C encoder's own function when ``ensure_ascii`` is off)
_JSON_STRING: Final = json.encoder.encode_basestring

try:
    import orjson

    _orjson: ModuleType | None = orjson
except ImportError:  # pragma: no cover - the standard library alone
    _orjson = None


def _fast_bytes(data: Any, option: int = 0, default: Callable[[Any], Any] | None = None) -> bytes | None:
    """orjson's compact UTF-8 text of ``data`` (which the caller knows orjson writes as json does), or None: not
    installed, or a text orjson refuses (an integer past 64 bits, a lone surrogate: the standard library's then)."""
    if _orjson is None:
        return None
    try:
        text: bytes = _orjson.dumps(data, option=option, default=default)
    except TypeError:  # orjson.JSONEncodeError is one
        return None
    return text


def _utf8(text: str) -> bytes:
    """JSON text as UTF-8: UnicodeEncodeError where it holds a lone surrogate, which no UTF-8 text (nor the store,
    nor the model read back from it) can hold: only a plugin's loader gives one, ours refuse them."""
    return text.encode("utf-8")


def _json_text(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` as UTF-8 (see :class:`Examined`)."""
    return (_fast_bytes(data) if _alike(data) else None) or _utf8(_JSON.encode(data))


def _values_text(values: Sequence[Any]) -> bytes:
    """A report's values as :data:`_VALUES_JSON` writes them, as UTF-8: by orjson where each is a value it writes
    alike (amounts, Decimal, as their text by the default given; tested natively, where a set of their types made
    by calling ``type`` on each cost five times as much)."""
    fast = _fast_bytes(values, default=_amount_text) if _alike(values, True) else None
    return fast or _utf8(_VALUES_JSON.encode(values))


def _provenance_text(report: Report) -> bytes:
    """The provenance's data (as :func:`provenance_data` gives it) as JSON, UTF-8: its writer says whether each value
    it wrote is a text or an integer, so that most reports' provenance (a line, a text) is not walked again."""
    data, plain = _provenance_data(report.provenance)
    return (_fast_bytes(data) if plain or _alike(data) else None) or _utf8(_JSON.encode(data))


def _texts_json(items: tuple[str, ...]) -> str:
    """``json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))`` of a finding's pointers or labels
    (strings, by their type): by orjson where it writes the same (a tuple of strings: one native call, where
    the encoder's own function a string cost ~1,300 instructions each), else each string as the encoder writes it,
    joined as it joins them; anything else through the encoder itself."""
    if not items:
        return "[]"
    # a tuple of strings, as a Finding holds them (orjson writes a float, an enum, … otherwise; a plugin's list, a
    # str subclass: the encoder's way)
    if _orjson is not None and _all_texts(items):
        try:
            text: bytes = _orjson.dumps(items)
            return text.decode("utf-8")
        except TypeError:  # a lone surrogate (orjson.JSONEncodeError): the encoder's way
            pass
    try:
        return f"[{','.join(map(_JSON_STRING, items))}]"
    except TypeError:  # not a string (a plugin's finding): the encoder says how, or that it cannot
        return _JSON.encode(list(items))


#: GD-UNCHECKED's params as the engine makes them: its ``blank_cells`` are its pointers again
_UNCHECKED_KEYS: Final = frozenset({"rule", "instances", "blank_cells"})
#: those the store keeps of them (:func:`finding_row`)
_UNCHECKED_KEPT: Final = _UNCHECKED_KEYS - {"blank_cells"}
#: what SQLite's JSON reads as an integer (past it, a real)
_JSON_INTEGERS: Final = range(-(2**63), 2**63)


def finding_row(f: Finding) -> FindingRow:
    """A finding as the store keeps it (:data:`FindingRow`): its lists and params as compact JSON (params' keys
    sorted).  GD-UNCHECKED's ``blank_cells`` are not written again in its params when they are its ``pointers``
    (half of a store's bytes were these lists twice): :data:`.store.FINDING_PARAMS` puts them back, first, where
    the sorted keys had them."""
    params = "{}"
    if f.params:
        data = f.params if type(f.params) is dict else dict(f.params)  # (a rule's params: a dict, not copied)
        if f.code == UNCHECKED and data.keys() == _UNCHECKED_KEYS and _blank_cells_repeat(data, f.pointers):
            data = {"instances": data["instances"], "rule": data["rule"]}
        params = _params_text(data) or _PARAMS_JSON.encode(data)
    pointers, labels = f.pointers, f.labels
    # (a finding's severity is a Severity, by its converter: its value read as the enum's ``value`` property
    # returns it, without that Python-level descriptor's call)
    return (f.code, f.severity._value_, f.pointer, _texts_json(pointers) if pointers else "[]",
            _texts_json(labels) if labels else "[]", params, f.message.zh, f.message.en)


def row_params(row: FindingRow) -> dict[str, Any]:
    """A finding row's params whole, as the store's ``report_findings`` reads them (:data:`.store.FINDING_PARAMS`):
    GD-UNCHECKED's ``blank_cells`` back from its pointers, where :func:`finding_row` left them out."""
    params: dict[str, Any] = json.loads(row[5])
    if row[0] == UNCHECKED and params.keys() == _UNCHECKED_KEPT and _unchecked_rest(params):
        return {"blank_cells": json.loads(row[3]), **params}
    return params


def _blank_cells_repeat(params: dict[str, Any], pointers: tuple[Any, ...]) -> bool:
    """Whether GD-UNCHECKED's params (the engine's keys) may leave out its blank cells: they are its pointers
    (texts), and the rest is what :data:`.store.FINDING_PARAMS` reads back."""
    cells = params["blank_cells"]
    return (type(cells) in (list, tuple) and tuple(cells) == pointers and _all_texts(pointers)
            and _unchecked_rest(params))


def _unchecked_rest(params: dict[str, Any]) -> bool:
    """Whether GD-UNCHECKED's other params are what the store reads as such: a count SQLite reads as an integer, and
    a rule's code."""
    n = params["instances"]
    return type(n) is int and n in _JSON_INTEGERS and type(params["rule"]) is str


def _params_text(data: dict[str, Any]) -> str | None:
    """A finding's params as :data:`_PARAMS_JSON` writes them, by orjson where it writes them alike (keys sorted,
    amounts as their text), else None: orjson called here, not through :func:`_fast_bytes` (a finding's row was
    six Python calls)."""
    if _orjson is None:
        return None
    if not _alike(data, True):
        return None
    try:
        text: bytes = _orjson.dumps(data, _amount_text, _orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError is one (an integer past 64 bits, a lone surrogate)
        return None
    return text.decode("utf-8")


@attrs.frozen
class Examined:
    """A report read from an input: its envelope, its cells in the format's order, its findings.

    Already serialised where the store wants JSON, as UTF-8 bytes (``json.loads`` reads them as they are), so
    that neither the worker nor the process writing the store decodes or encodes the texts again: the bytes
    cross the process boundary and go into SQLite as they are."""

    path: str
    digest: str
    size: int
    loader: str | None
    format_version: str
    variant: str | None
    agency: str | None
    level: str | None
    region: str | None
    year: int | None
    published_on: str | None
    title: str | None
    #: the canonical JSON minus the tables and provenance (agency, year, title, parts, …): compact JSON, UTF-8
    envelope: bytes
    #: every cell's value in ``spec.cells()`` order, as a JSON array (UTF-8): integers, decimal strings (amounts),
    #: null
    values: bytes
    #: pointer → what the published cell showed (canonical ``provenance``) as a JSON object (UTF-8); None when empty
    provenance: bytes | None
    findings: tuple[FindingRow, ...]
    seconds: float
    #: year pairs checked where both reports were loaded (see ``run.Examiner``): the previous
    #: report's content hash and the cross-year findings
    pairs: tuple[tuple[str, tuple[FindingRow, ...]], ...] = ()

    def __reduce__(self) -> tuple[type[Examined], tuple[Any, ...]]:
        # pickled as its fields in order, read back by __init__: attrs' way (a dict of them, set one by one by a loop
        # in Python) was a third of the parent's unpickling of a report
        return Examined, _examined_fields(self)


@attrs.frozen
class Failed:
    """An input that is not a report (or that a loader could not finish): why, in both languages."""

    path: str
    digest: str | None
    size: int | None
    code: str
    reason_zh: str
    reason_en: str
    seconds: float


#: an Examined's fields in order (what :meth:`Examined.__reduce__` pickles)
_examined_fields: Final = operator.attrgetter(*(f.name for f in attrs.fields(Examined)))


#: ``Examined(...)`` made straight-line (attrs' ``__init__`` was ~16,000 instructions a report)
_examined: Final = maker(Examined)

Outcome = Union[Examined, Failed]  # noqa: UP007 - a runtime alias, kept valid on Python 3.10


def flatten(report: Report) -> tuple[dict[str, Any], tuple[int | str | None, ...], dict[str, dict[str, Any]]]:
    """(envelope, values, provenance) of a report: what the store keeps, and :func:`rebuild` reverses."""
    values = tuple(str(v) if isinstance(v, Decimal) else v for v in report.values())
    return envelope_data(report), values, provenance_data(report.provenance) if report.provenance else {}


def rebuild(envelope: dict[str, Any], values: tuple[Any, ...] | list[Any], provenance: dict[str, Any] | None,
            registry: Registry | None = None) -> Report:
    """The report :func:`flatten` took apart (the store's rows back into the model)."""
    from ..api import from_data

    reg = resolve_registry(registry)
    spec = reg.format(envelope["format_version"], envelope.get("variant"))
    data = dict(envelope)
    data.update(_tables_builder(spec)(values))
    if provenance:
        data["provenance"] = provenance
    return from_data(data, source=str(envelope.get("title") or "<store>"), registry=reg)




@functools.cache
def _tables_builder(spec: FormatSpec) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """A function made once per format that nests a row of values (in ``spec.cells()`` order) into the
    canonical tables: one dict display, no per-cell lookups (the model makes its getters the same way)."""
    tree = cell_tree(spec)

    def source(node: Any) -> str:
        if isinstance(node, int):
            return f"v[{node}]"
        return "{" + ", ".join(f"{k!r}: {source(v)}" for k, v in node.items()) + "}"

    namespace: dict[str, Any] = {}
    exec(f"def build(v):\n    return {source(tree)}", namespace)
    build: Callable[[Sequence[Any]], dict[str, Any]] = namespace["build"]
    return build


def examine_bytes(data: bytes, source: str, *, registry: Registry | None = None) -> Outcome:
    """Load and validate one input given as bytes (see :func:`examine`)."""
    return examine_report(data, source, registry=registry)[0]


def examine_report(data: bytes, source: str, *, registry: Registry | None = None,
                   read: tuple[LoadResult | LoadError, float] | None = None) -> tuple[Outcome, Report | None]:
    """:func:`examine_bytes`, and the report itself (for a caller in the same process); ``read``: what
    ``reads`` gave for ``data`` already, and the seconds it took (:func:`read_paths` reads many at once)."""
    start = time.perf_counter() - (read[1] if read is not None else 0.0)
    reg = resolve_registry(registry)
    digest = content_hash(data)
    try:
        if read is None:
            result = api.reads(data, source=source, registry=reg)
        elif isinstance(read[0], LoadError):
            raise read[0]
        else:
            result = read[0]
    except LoadError as exc:
        return Failed(source, digest, len(data), *failure(exc), time.perf_counter() - start), None
    except Exception as exc:  # noqa: BLE001 - a loader's bug fails this input, never the batch
        return Failed(source, digest, len(data), "GD-AUDIT-CRASH",
                      f"读取器出错（{type(exc).__name__}: {exc}）", f"the loader failed ({type(exc).__name__}: {exc})",
                      time.perf_counter() - start), None
    try:
        found = api.validate(result, registry=reg)  # the loader's findings (parser doubts) come with the rules'
    except Exception as exc:  # noqa: BLE001 - a rule's bug (a plugin's) fails this input, never the batch
        return Failed(source, digest, len(data), "GD-AUDIT-CRASH",
                      f"校验规则出错（{type(exc).__name__}: {exc}）", f"a rule failed ({type(exc).__name__}: {exc})",
                      time.perf_counter() - start), None
    report = result.report
    values = report.values()
    agency = report.agency
    if not agency.name and report.year is None and all(v is None for v in values):
        # the blank form itself (an official template among the reports): nothing of it is a report's figure
        from .rules import BLANK_FORM, make

        said = make(BLANK_FORM, cells=len(values))
        return Failed(source, digest, len(data), BLANK_FORM.code, said.message.zh, said.message.en,
                      time.perf_counter() - start), None
    envelope = envelope_data(report)
    # what flatten gives, written as JSON straight from the report: the amounts (Decimal) as their text by the
    # encoder, the provenance's entries as to_data writes them
    try:
        texts = (_json_text(envelope), _values_text(values),
                 _provenance_text(report) if report.provenance else None)
    except UnicodeEncodeError as exc:  # a lone surrogate in a plugin's report: stored, it could not be read back
        odd = repr(exc.object[exc.start:exc.end])
        return Failed(source, digest, len(data), "GD-AUDIT-CRASH",
                      f"读取器给出的文字含孤立代理项 {odd}（U+D800–U+DFFF），无法存储",
                      f"the loader gave text holding a lone surrogate {odd} (U+D800–U+DFFF), which cannot be stored",
                      time.perf_counter() - start), None
    return _examined(source, digest, len(data), result.loader, report.format_version, report.variant, agency.name,
                    agency.level, agency.region, report.year, envelope.get("published_on"), report.title, *texts,
                    tuple(map(finding_row, found)), time.perf_counter() - start), report


def examine(path: str | bytes, *, registry: Registry | None = None) -> Outcome:
    """Read, load and validate the input at ``path`` (str or the raw bytes of a file name).

    A pure function of the file's bytes: the result depends on nothing else, and pickles.
    Unreadable files become :class:`Failed` records naming the reason.
    """
    return examine_path(path, registry=registry)[0]


def examine_path(path: str | bytes, *, registry: Registry | None = None,
                 read: tuple[bytes, tuple[LoadResult | LoadError, float]] | None = None
                 ) -> tuple[Outcome, Report | None]:
    """:func:`examine`, and the report itself (for a caller in the same process); ``read``: its bytes and what
    reading them gave, from :func:`read_paths`."""
    shown = path_text(path)  # what the store records: the name itself (a newline in it too), not its display
    if read is not None:
        return examine_report(read[0], shown, registry=registry, read=read[1])
    try:
        name = os.fsdecode(path)  # undecodable bytes kept as surrogates: the same file is opened
        data, _ = read_source(name if name != "-" else "./-")  # core's size limit and words for a read error
    except LoadError as exc:
        return Failed(shown, None, None, *failure(exc), 0.0), None
    return examine_report(data, shown, registry=registry)


def read_paths(paths: Sequence[str | bytes], *, registry: Registry | None = None
               ) -> dict[str | bytes, tuple[bytes, tuple[LoadResult | LoadError, float]]]:
    """The inputs among ``paths`` the parser reads (published text and pages), read at once, stage by stage
    (``api._reads_each``: less time a report): each one's bytes, what ``reads`` gives for them and the seconds it
    took, for :func:`examine_path` (``read=``).  Those it does not read (another loader's by their name, a large
    one, past the bytes read together in all: the limits of ``parse``'s batches; unreadable, or a loader's bug) are
    left out: examine reads those itself, and says what is wrong with them."""
    from ..api import _may_read_together, _reads_each
    from ..ingest.batch import ALONE_BYTES, TOGETHER_BYTES

    reg = resolve_registry(registry)
    items: list[tuple[str | bytes, bytes, str]] = []
    total = 0
    for path in paths:
        name = os.fsdecode(path)
        name = name if name != "-" else "./-"
        try:  # (by its name and size first: another loader's input, or a large one, is not read twice nor held)
            size = os.stat(name).st_size
            if not _may_read_together(name, reg) or size > ALONE_BYTES or total + size > TOGETHER_BYTES:
                continue
            data, _ = read_source(name)
        except (LoadError, OSError, ValueError):
            continue
        total += len(data)
        items.append((path, data, path_text(path)))
    spent = [0.0] * len(items)
    results = _reads_each([(data, shown) for _, data, shown in items], reg, spent)
    return {path: (data, (result, took)) for (path, data, _), result, took in zip(items, results, spent, strict=True)
            if result is not None}


def failure(exc: LoadError) -> tuple[str, str, str]:
    """(code, reason zh, reason en) of an input that is not a report, for a line that already names the file
    and shows the code: each problem's place and words, and a code only where it is not the first problem's."""
    if not exc.findings:
        return "GD-LOAD-INPUT", "不是报告", "not a report"
    code = exc.findings[0].code
    return code, "；".join(_problem(f, "zh", code) for f in exc.findings), "; ".join(
        _problem(f, "en", code) for f in exc.findings)


def _problem(f: Finding, lang: str, code: str) -> str:
    where = ""
    if f.line is not None:
        where = f.where(lang) + (f" {f.pointer}" if f.pointer else "")
    elif f.pointer:
        where = f.pointer
    labels = f" [{'；'.join(f.labels)}]" if f.labels else ""
    place = f"{where}{labels}: " if where or labels else ""
    return place + f.text(lang) + (f" [{f.code}]" if f.code != code else "")


