"""Straight-line builders of a report, generated once per format (as attrs and cattrs generate theirs).

Two builders per format make the report the converter (:mod:`.convert`) makes, holding every value to
the same check, without the converter:

- :func:`data_builder`: from canonical data (``loads``, ``load``, ``from_data``);
- :func:`values_builder`: from the envelope and the cells' values in document order (the parser's
  last stage).

Each is one generated function: the objects made in the order the data nests, each field set once,
no per-call introspection.  Why not the classes' own ``__init__``: a frozen attrs class sets each field
through ``object.__setattr__`` by name, a C call and a lookup a field (~40 rows and ~35 provenance
entries a report, ~250 fields).  A builder makes each object as an object of a subclass that adds
nothing but plain assignment (:func:`_building`), assigns its fields as any mutable slotted object's
are assigned, then gives it its class: Python lets an object change to a class of the same layout.
The object is then the one ``__init__`` would make (the classes have no validators, converters or
hooks: :func:`_building` checks), frozen like any other.  The building subclasses (``Report2021Building`` …) are made
once per class and never leave this module, but Python lists them among a class's ``__subclasses__()``:
a tool walking the model's classes that way should skip names ending in ``Building``.

A builder takes only data it can take as it is (plain ints, strings, dicts of the declared keys) and
raises :class:`NotPlain` for anything else: the caller then structures the data with the converter,
which makes the same report of it or says what is wrong where.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import operator
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import attrs

from ..errors import ScalarError
from ..formats.spec import FormatSpec, cell_tree
from . import native
from .base import CellProvenance, Report, field_types
from .native import NotPlain
from .scalars import FIRST_YEAR, LAST_YEAR, MAX_COUNT, SCALARS, Amount, Count, Signed, Text, Year, refused_character

__all__ = ["NotPlain", "data_builder", "maker", "plain_amount", "values_builder"]

#: a builder from canonical data: the report and the characters of its text (as the text limit counts them)
DataBuilder = Callable[[Any], tuple[Report, int]]
#: a builder from the envelope, the cells' values and the source every provenance entry names (or None)
ValuesBuilder = Callable[[Any, tuple[Any, ...], "str | None"], tuple[Report, int]]


_OPTIONAL_COUNT, _OPTIONAL_SIGNED, _OPTIONAL_AMOUNT = Count | None, Signed | None, Amount | None
#: the lowest value of each type of cell (the highest is the largest count)
_LOWEST = {Count: 0, Signed: -MAX_COUNT}
#: the values of each integer type of the envelope
_RANGES = {Count: (0, MAX_COUNT), Signed: (-MAX_COUNT, MAX_COUNT), Year: (FIRST_YEAR, LAST_YEAR)}
_INTEGER_TYPES = frozenset({int, type(None)})
#: the keys of canonical data that name its format (not fields of the report)
_FORMAT_KEYS = ("format_version", "variant")
#: a key of an object that may be left out: set apart from a null
_MISSING = object()
#: a field's default made by a factory (a class at run time; a function to a type checker)
_FACTORY: Any = attrs.Factory
#: provenance entries of more shapes (which fields, in which order) than this get no builder of their own
_MAX_SHAPES = 256


def _check_integers(values: Sequence[Any], lowest: int) -> None:
    """Every value blank or an int from ``lowest`` to the largest count, checked in bulk (most of a
    report's cells) at C speed."""
    if not set(map(type, values)) <= _INTEGER_TYPES:  # bool is no int here: type(True) is bool
        raise NotPlain
    present = [*filter(None, values)]  # zeros are in range whatever the lowest
    if present and (min(present) < lowest or max(present) > MAX_COUNT):
        raise NotPlain


def _text_size(texts: list[Any]) -> int:
    """The characters of these texts (each a string already), none of them a character a text may not hold."""
    joined = "".join(texts)
    if refused_character(joined) is not None:
        raise NotPlain
    return len(joined)


def _normalised_size(texts: list[Any]) -> int:
    """The characters of these texts (each a string already), known to hold no character a text may not hold."""
    return sum(map(len, texts))


def _scalar(convert: Callable[[Any], Any], value: Any) -> Any:
    """A scalar converted as the converter converts it."""
    try:
        return convert(value)
    except ScalarError:
        raise NotPlain from None


def plain_amount(value: Any) -> Any:
    """An amount of the parser's (a Decimal) as the converter takes the canonical text the parser writes
    (``str(value)``)."""
    return None if value is None else _scalar(SCALARS[Amount].convert, str(value))


def _data_amount(value: Any) -> Any:
    return None if value is None else _scalar(SCALARS[Amount].convert, value)


def _hints(cls: Any) -> dict[str, Any]:
    """A class's field types, resolved (the committed classes' annotations are strings)."""
    return field_types(cls)


def _attrs_class(tp: Any) -> Any:
    """The attrs class of a field's type (``Agency | None`` -> ``Agency``), or None."""
    return next((t for t in (tp, *typing.get_args(tp)) if attrs.has(t)), None)


def _optional(tp: Any) -> bool:
    return type(None) in typing.get_args(tp)


@functools.cache
def _building(cls: Any) -> type:
    """The class an object of ``cls`` is built as: ``cls`` with plain assignment, no slot of its own
    (so the object can be given ``cls`` once built).  A TypeError at generation, never at a call, for a
    class the builders cannot make as its ``__init__`` does."""
    fields = attrs.fields(cls) if attrs.has(cls) else ()
    if not fields or "__slots__" not in vars(cls) or hasattr(cls, "__attrs_post_init__") or any(
            f.validator is not None or f.converter is not None or not f.init or f.alias != f.name for f in fields):
        raise TypeError(f"{cls.__name__}: a builder makes only slotted attrs classes without checks or hooks")
    # both: a class's assignment is generic only if its deletion is too; made by calling it with no argument
    # (``object.__init__``): a call of the class costs less than ``object.__new__(cls)``'s
    return type(f"{cls.__name__}Building", (cls,), {
        "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
        "__init__": object.__init__, "__module__": __name__, "__qualname__": f"{cls.__qualname__}Building"})


def maker(cls: Any) -> Callable[..., Any]:
    """``cls(...)`` of its fields given in order (a field with a default may be left out), made as the builders make
    an object (:func:`_building`: each field set straight-line, then the object given ``cls``): for an object made
    once an input, where attrs' ``__init__`` (a bound ``object.__setattr__`` called a field) cost ~900 instructions
    a field.  A TypeError at once for a class :func:`_building` cannot make."""
    fields = attrs.fields(cls)
    namespace: dict[str, Any] = {"Building": _building(cls), "cls": cls}
    params = []
    for f in fields:
        if f.default is attrs.NOTHING:
            params.append(f.name)
        elif isinstance(f.default, _FACTORY):
            raise TypeError(f"{cls.__name__}.{f.name}: a maker gives no factory's default")
        else:
            namespace[f"default_{f.name}"] = f.default
            params.append(f"{f.name}=default_{f.name}")
    body = "".join(f"    o.{f.name} = {f.name}\n" for f in fields)
    exec(f"def make({', '.join(params)}):\n    o = Building()\n{body}    o.__class__ = cls\n    return o\n", namespace)
    made: Callable[..., Any] = namespace["make"]
    return made


@attrs.frozen
class _Source:
    """A function's source being written, and the objects its names stand for."""

    lines: list[str] = attrs.field(factory=list)
    namespace: dict[str, Any] = attrs.field(factory=lambda: {
        "NotPlain": NotPlain, "MISSING": _MISSING, "MAX": MAX_COUNT, "scalar": _scalar})
    names: dict[int, str] = attrs.field(factory=dict)
    counter: Iterator[int] = attrs.field(factory=itertools.count)

    def ref(self, obj: Any, stem: str) -> str:
        """A global name for ``obj`` (the same one each time)."""
        name = self.names.get(id(obj))
        if name is None:
            name = self.names[id(obj)] = f"{stem}_{len(self.names)}"
            self.namespace[name] = obj
        return name

    def local(self, stem: str) -> str:
        """A new local name."""
        return f"{stem}{next(self.counter)}"

    def emit(self, depth: int, *lines: str) -> None:
        self.lines.extend("    " * depth + line for line in lines)

    def start(self, depth: int, cls: type, obj: str) -> None:
        """``obj`` made, to be given its fields as an object of ``cls`` (then :meth:`finish`)."""
        self.emit(depth, f"{obj} = {self.ref(_building(cls), cls.__name__ + 'Building')}()")

    def assign(self, depth: int, obj: str, fields: list[tuple[str, str]]) -> None:
        self.emit(depth, *(f"{obj}.{name} = {value}" for name, value in fields))

    def finish(self, depth: int, cls: type, obj: str, fields: Iterable[str]) -> None:
        """``obj`` given its class, once every field of it is set (checked here, once)."""
        if sorted(fields) != sorted(attrs.fields_dict(cls)):
            raise TypeError(f"{cls.__name__}: the builder would not set each field once")
        self.emit(depth, f"{obj}.__class__ = {self.ref(cls, cls.__name__)}")

    def set(self, depth: int, cls: type, obj: str, fields: list[tuple[str, str]]) -> None:
        """``obj`` made as an object of ``cls`` with these fields (every field of the class)."""
        self.start(depth, cls, obj)
        self.assign(depth, obj, fields)
        self.finish(depth, cls, obj, [name for name, _ in fields])

    def text(self, head: str) -> str:
        """The function's source."""
        return "\n".join([head, *self.lines])

    def function(self, head: str, where: str, version: str | None = None) -> Any:
        """The function written (``head`` its first line), its globals this source's names: the code committed for
        an official format (``version``) where it is this very source (:func:`committed`), else compiled here."""
        text, name = self.text(head), head.split()[1].split("(")[0]
        code = committed(version).get(text) if version is not None else None
        if code is None:
            exec(compile(text, f"<builder of {where}>", "exec", dont_inherit=True), self.namespace)
            return self.namespace[name]
        made = self.namespace[name] = types.FunctionType(code, self.namespace, name)
        return made


@functools.cache
def committed(version: str) -> dict[str, types.CodeType]:
    """The code of the official format ``version``'s builders by their source (:mod:`.built2021` ..., written by
    ``python -m govdisclosure.model.build_gen``, which a test runs): a module's code is read from its cached
    bytecode, where compiling the source costs each process ~3 ms a builder.  Empty for another format."""
    try:
        module = importlib.import_module(f"{__package__}.built{version}")
    except ModuleNotFoundError:
        return {}
    code: dict[str, types.CodeType] = module.CODE
    return code


# ------------------------------------------------------------------ the envelope, from canonical data


def _value(src: _Source, tp: Any, expr: str, depth: int) -> str:
    """The lines that check and convert the value ``expr`` of type ``tp`` as the converter does; the
    name of the result.  Strings are counted (``chars``) and texts gathered (``texts``) on the way."""
    x = src.local("x")
    src.emit(depth, f"{x} = {expr}")
    if tp == dict[str, CellProvenance]:  # the provenance
        src.emit(depth, f"{x} = provenance({x}, known, source, texts)")
        return x
    inner = next(t for t in (*typing.get_args(tp), tp) if t is not type(None))
    cls = _attrs_class(tp)
    if cls is None and inner not in SCALARS:
        raise TypeError(f"no builder for a field of type {tp}")
    if _optional(tp):
        src.emit(depth, f"if {x} is not None:")
        depth += 1
    if cls is not None:
        src.emit(depth, f"{x} = {_object(src, cls, x, depth)}")
    elif inner is Text:
        src.emit(depth, f"if not isinstance({x}, str):", "    raise NotPlain", f"texts.append({x})")
    elif inner in _RANGES:  # a plain int in range as it is, anything else as the scalar converts it
        src.emit(depth, f"if not (type({x}) is int and {_RANGES[inner][0]} <= {x} <= {_RANGES[inner][1]}):",
                 f"    {x} = scalar({src.ref(SCALARS[inner].convert, 'convert')}, {x})")
    else:  # a date, a level, an amount: a string counts as text
        src.emit(depth, f"if isinstance({x}, str):", f"    chars += len({x})",
                 f"{x} = scalar({src.ref(SCALARS[inner].convert, 'convert')}, {x})")
    return x


def _field(src: _Source, field: attrs.Attribute, tp: Any, obj: str, depth: int) -> str:  # type: ignore[type-arg]
    """A field of the object ``obj`` names (a dict), its default where the key is left out."""
    key, default = repr(field.name), cast(Any, field.default)
    if default is attrs.NOTHING:
        return _value(src, tp, f"{obj}[{key}]", depth)
    if default is None and _optional(tp):  # left out or null: None either way
        return _value(src, tp, f"{obj}.get({key})", depth)
    if isinstance(default, _FACTORY) and not default.takes_self:
        x = src.local("x")
        factory = src.ref(default.factory, "factory")
        src.emit(depth, f"{x} = {obj}.get({key}, MISSING)", f"if {x} is MISSING:", f"    {x} = {factory}()", "else:")
        src.emit(depth + 1, f"{x} = {_value(src, tp, x, depth + 1)}")
        return x
    raise TypeError(f"no builder for the default of {field.name}")


def _object(src: _Source, cls: type, expr: str, depth: int) -> str:
    """An object of ``cls`` from the dict ``expr``: only its fields' keys, each field as the converter makes it."""
    d, o = src.local("d"), src.local("o")
    fields = attrs.fields(cls)
    keys = src.ref(frozenset(f.name for f in fields), "keys")
    test = (f"{d}.keys() != {keys}" if all(f.default is attrs.NOTHING for f in fields)
            else f"not {d}.keys() <= {keys}")
    src.emit(depth, f"{d} = {expr}", f"if type({d}) is not dict or {test}:", "    raise NotPlain")
    hints = _hints(cls)
    src.set(depth, cls, o, [(f.name, _field(src, f, hints[f.name], d, depth)) for f in fields])
    return o


def _envelope(src: _Source, spec: FormatSpec, keys: frozenset[str]) -> list[str]:
    """The lines that make ``report``, its envelope set from the dict ``d`` (whose keys may be only
    ``keys``); its tables are set by the lines that follow.  The fields set."""
    cls = _report_class(spec)
    tables = {t.id for t in spec.tables}
    src.namespace.update(known=frozenset(c.pointer for c in spec.cells()), check=_check_integers,
                         provenance=_provenance, texts_size=_text_size)
    src.emit(1, "texts = []", "chars = 0", f"if type(d) is not dict or not d.keys() <= {src.ref(keys, 'keys')}:",
             "    raise NotPlain")
    hints = _hints(cls)
    fields = [(f.name, _field(src, f, hints[f.name], "d", 1)) for f in attrs.fields(cls) if f.name not in tables]
    src.start(1, cls, "report")
    src.assign(1, "report", fields)
    return [name for name, _ in fields]


# ------------------------------------------------------------------ the tables


def _tables_from_data(src: _Source, spec: FormatSpec) -> list[str]:
    """The tables from canonical data (dicts of exactly the declared keys): the integers checked in
    bulk once every table is read, each amount as it is read.  The fields set."""
    integers: dict[Any, list[str]] = {tp: [] for tp in _LOWEST}

    def node(tree: dict[str, Any], cls: type, d: str) -> str:
        """An object from the dict ``d`` names: its keys exactly the tree's (as many keys, each found)."""
        o, names = src.local("o"), [src.local("x") for _ in tree]
        get = src.ref(operator.itemgetter(*tree), "get")  # one key: the value; more: a tuple of them
        src.emit(1, f"if type({d}) is not dict or len({d}) != {len(tree)}:", "    raise NotPlain",
                 f"{', '.join(names)} = {get}({d})")
        hints, values = _hints(cls), []
        for (key, child), x in zip(tree.items(), names, strict=True):
            if isinstance(child, dict):
                x = node(child, _attrs_class(hints[key]), x)
            elif hints[key] == _OPTIONAL_AMOUNT:
                src.emit(1, f"{x} = amount({x})")
            else:
                integers[_cell_type(hints[key])].append(x)
            values.append((key, x))
        src.set(1, cls, o, values)
        return o

    hints = _hints(_report_class(spec))
    tables = []
    for t, tree in cell_tree(spec).items():
        src.emit(1, f"{(d := src.local('d'))} = d[{t!r}]")
        tables.append((t, node(tree, _attrs_class(hints[t]), d)))
    for tp, names in integers.items():
        if names:
            src.emit(1, f"check(({', '.join(names)},), {_LOWEST[tp]})")
    src.assign(1, "report", tables)
    return [t for t, _ in tables]


def _tables_from_values(src: _Source, spec: FormatSpec) -> list[str]:
    """The tables from the cells' values in document order: the integers checked in bulk first.  The
    fields set."""
    integers: dict[Any, list[int]] = {tp: [] for tp in _LOWEST}

    def node(tree: dict[str, Any], cls: type) -> str:
        o = src.local("o")
        hints, fields = _hints(cls), []
        for key, child in tree.items():
            if isinstance(child, dict):
                fields.append((key, node(child, _attrs_class(hints[key]))))
            elif hints[key] == _OPTIONAL_AMOUNT:
                fields.append((key, f"amount(v[{child}])"))
            else:
                integers[_cell_type(hints[key])].append(child)
                fields.append((key, f"v[{child}]"))
        src.set(1, cls, o, fields)
        return o

    hints = _hints(_report_class(spec))
    mark = len(src.lines)
    tables = [(t, node(tree, _attrs_class(hints[t]))) for t, tree in cell_tree(spec).items()]
    # compiled: a native loop over the cells (no tuple of their values made, no set of their types); else at C speed
    src.namespace.update(check_cells=native.check_cells if native.NATIVE else _check_cells)
    checks = [f"check_cells(v, {src.ref(tuple(slots) if native.NATIVE else _getter(slots), 'cells')}, {_LOWEST[tp]})"
              for tp, slots in integers.items() if slots]
    src.lines[mark:mark] = ["    " + line for line in checks]
    src.assign(1, "report", tables)
    return [t for t, _ in tables]


def _check_cells(values: tuple[Any, ...], cells: Callable[[tuple[Any, ...]], Sequence[Any]], lowest: int) -> None:
    """The cells ``cells`` gets of the values checked in bulk (:func:`_check_integers`)."""
    _check_integers(cells(values), lowest)


def _cell_type(tp: Any) -> Any:
    """Count or Signed, for a cell's ``Count | None`` or ``Signed | None`` (a KeyError for another)."""
    return {_OPTIONAL_COUNT: Count, _OPTIONAL_SIGNED: Signed}[tp]


def _getter(slots: list[int]) -> Callable[[tuple[Any, ...]], Sequence[Any]]:
    """The values at these slots (at C speed)."""
    if len(slots) > 1:
        return operator.itemgetter(*slots)
    return lambda v: [v[s] for s in slots]


def _report_class(spec: FormatSpec) -> type[Report]:
    from . import report_class  # the package imports this module's users

    return report_class(spec)


# ------------------------------------------------------------------ the two builders


@functools.cache
def data_builder(spec: FormatSpec) -> DataBuilder:
    """The builder of a report of this format from canonical data (``format_version`` and ``variant``
    checked already: only counted as text)."""
    built: DataBuilder = _data_source(spec).function(DATA_HEAD, f"format {spec.key}", _official(spec))
    return built


def _data_source(spec: FormatSpec) -> _Source:
    src = _Source()
    src.namespace.update(amount=_data_amount, source=None)
    cls = _report_class(spec)
    fields = _envelope(src, spec, frozenset(attrs.fields_dict(cls)) | set(_FORMAT_KEYS))
    for key in _FORMAT_KEYS:
        src.emit(1, f"x = d.get({key!r})", "if x is not None:", "    if not isinstance(x, str):",
                 "        raise NotPlain", "    chars += len(x)")
    src.finish(1, cls, "report", [*fields, *_tables_from_data(src, spec)])
    src.emit(1, "return report, chars + texts_size(texts)")
    return src


@functools.cache
def values_builder(spec: FormatSpec, normalised: bool = False) -> ValuesBuilder:
    """The builder of a report of this format from its envelope (canonical data without the tables) and
    its cells' values in document order; a source given names the file in every provenance entry.
    ``normalised``: the texts are known to hold no character a text may not hold (not searched for one)."""
    built: ValuesBuilder = _values_source(spec, normalised).function(VALUES_HEAD, f"format {spec.key}",
                                                                     _official(spec))
    return built


def _values_source(spec: FormatSpec, normalised: bool) -> _Source:
    src = _Source()
    src.namespace.update(amount=plain_amount)
    cls, tables = _report_class(spec), {t.id for t in spec.tables}
    fields = _envelope(src, spec, frozenset(k for k in attrs.fields_dict(cls) if k not in tables))
    if normalised:
        src.namespace.update(texts_size=_normalised_size)
    src.finish(1, cls, "report", [*fields, *_tables_from_values(src, spec)])
    src.emit(1, "return report, chars + texts_size(texts)")
    return src


#: the first line of each builder
DATA_HEAD, VALUES_HEAD = "def build(d):", "def build(d, v, source):"


def _official(spec: FormatSpec) -> str | None:
    """The version of an official format (whose builders' code may be committed), or None for a variant."""
    return spec.version if spec.variant is None else None


def sources(spec: FormatSpec) -> list[str]:
    """The source of each builder of the format (what :mod:`.build_gen` commits for an official one)."""
    return [_data_source(spec).text(DATA_HEAD),
            *(_values_source(spec, normalised).text(VALUES_HEAD) for normalised in (False, True))]


# ------------------------------------------------------------------ provenance


_PROVENANCE = tuple(f.name for f in attrs.fields(CellProvenance))
_PROVENANCE_TYPES = field_types(CellProvenance)
if set(_PROVENANCE_TYPES.values()) != {_OPTIONAL_COUNT, Text | None}:
    raise TypeError("a provenance entry's builder knows counts and texts only")
if _PROVENANCE != native.PROVENANCE_FIELDS or {
        name for name, tp in _PROVENANCE_TYPES.items() if tp == _OPTIONAL_COUNT} != native.COUNTS:
    raise TypeError("native.PROVENANCE_FIELDS and COUNTS are not a provenance entry's fields and counts")
_STR, _DICT = frozenset({str}), frozenset({dict})
_ENTRIES: dict[tuple[Any, ...], Callable[[Any, Any, list[Any]], CellProvenance]] = {}


def _provenance(entries: Any, known: frozenset[str], source: str | None, texts: list[Any]) -> dict[str, Any]:
    """The provenance, keyed by the pointers of cells of the format, each entry saying something; its
    texts gathered in ``texts`` (the source once an entry, as each entry holds it)."""
    if type(entries) is not dict:
        raise NotPlain
    if native.NATIVE:  # the keys, the entries and their fields checked, and each entry made, in one native loop
        _source_texts(source, len(entries), texts)
        return native.provenance_entries(entries, known, source, texts, _entry_maker())
    builders = _ENTRIES
    if not entries.keys() <= known or (entries and (
            set(map(type, entries)) != _STR or set(map(type, entries.values())) != _DICT)):
        raise NotPlain
    _source_texts(source, len(entries), texts)
    return {p: (builders.get(tuple(e)) or _entry_builder(tuple(e)))(e, source, texts) for p, e in entries.items()}


def _source_texts(source: str | None, entries: int, texts: list[Any]) -> None:
    """The source once an entry among the texts, as each entry holds it (a source that is no text: NotPlain)."""
    if source is not None:
        if not isinstance(source, str):
            raise NotPlain
        texts += [source] * entries


def _entry_builder(shape: tuple[Any, ...]) -> Callable[[Any, Any, list[Any]], CellProvenance]:
    """The builder of a provenance entry of these fields, in this order (made once a shape; a few
    shapes occur: the parser's, and canonical JSON's order)."""
    if not set(shape) <= set(_PROVENANCE):
        raise NotPlain
    src = _Source()
    src.start(1, CellProvenance, "o")
    if not shape:  # an entry that says nothing but where
        src.emit(1, "if source is None:", "    raise NotPlain")
    for name in _PROVENANCE:
        if name == "source" and name in shape:  # a source given is the entry's (counted by the caller)
            src.emit(1, "if source is None:", "    x = e['source']", "    if not isinstance(x, str):",
                     "        raise NotPlain", "    texts.append(x)", "else:", "    x = source", "o.source = x")
        elif name == "source":
            src.emit(1, "o.source = source")
        elif name not in shape:
            src.emit(1, f"o.{name} = None")
        elif _PROVENANCE_TYPES[name] == _OPTIONAL_COUNT:  # else a text (checked below)
            src.emit(1, f"x = e[{name!r}]", "if type(x) is not int or not 0 <= x <= MAX:", "    raise NotPlain",
                     f"o.{name} = x")
        else:
            src.emit(1, f"x = e[{name!r}]", "if not isinstance(x, str):", "    raise NotPlain", "texts.append(x)",
                     f"o.{name} = x")
    src.finish(1, CellProvenance, "o", _PROVENANCE)
    src.emit(1, "return o")
    built: Callable[[Any, Any, list[Any]], CellProvenance] = src.function(
        "def entry(e, source, texts):", "a provenance entry")
    if len(_ENTRIES) < _MAX_SHAPES:
        _ENTRIES[shape] = built
    return built


@functools.cache
def _entry_maker() -> Callable[..., CellProvenance]:
    """A function making a provenance entry of its fields' values, each as it is, in the class's order (for
    :func:`.native.provenance_entries`, which checks them): straight-line, as the builders make an object."""
    src = _Source()
    src.set(1, CellProvenance, "o", [(name, name) for name in _PROVENANCE])
    src.emit(1, "return o")
    made: Callable[..., CellProvenance] = src.function(f"def entry({', '.join(_PROVENANCE)}):", "a provenance entry")
    return made
