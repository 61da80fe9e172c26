"""The one typed state the parser's stages pass along: each stage reads what the stages before it
made and returns the state with its own part filled in (:meth:`State.but`), nothing else."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..findings import Finding

if TYPE_CHECKING:
    from ..formats.spec import FormatSpec
    from ..model import Report
    from ..registry import Registry
    from .budget import Budget
    from .regions import Span
    from .rows import LabelHit
    from .tokens import Token

__all__ = ["Stage", "State", "run", "start"]


#: not slotted: a state's fields are its ``__dict__``, which :meth:`State.but` copies at C speed (a slotted state was
#: copied field by field in Python: ~10,000 instructions a copy, nine copies a report)
@attrs.frozen(kw_only=True, slots=False)
class State:
    """What the parser knows about one input, stage by stage (fields in pipeline order)."""

    registry: Registry
    source: str  #: the file name, or "<text>"
    previous: Report | None = None  #: last year's report: a further constraint on splits
    budget: Budget
    # decode
    kind: str = "text"  #: text, html, pdf or markdown
    data: bytes | str = ""  #: the input as given (dropped once decoded)
    text: str = ""  #: the input as text (tables of pages and PDFs flattened to '|' rows)
    page_title: str | None = None  #: a web page's <title>
    pages: tuple[int, ...] = ()  #: for PDFs, the page each line of ``text`` is on (by line index)
    # normalise
    raw: str = ""  #: the text as published (line ends and control characters aside)
    folded: str = ""  #: the same text, of the same length, as labels are matched in (:mod:`.normalise`)
    starts: tuple[int, ...] = ()  #: offset of each line's start
    footers: tuple[tuple[int, int], ...] = ()  #: page footers (start, end of line), not the report's text
    #: Markdown's bold marks around a line in a text file (**一、总体情况**): markup, not the report's text
    marks: tuple[tuple[int, int], ...] = ()
    # regions
    report_span: tuple[int, int] = (0, 0)  #: where the report's own text is (a page's frame outside)
    #: where another report starts after this one (its text is neither this report's nor its page's frame)
    another_report: int | None = None
    #: (start, end, title, agency, year, printed as a title rather than named in a sentence)
    title: tuple[int, int, str, str, int, bool] | None = None
    parts: Mapping[str, Span] = attrs.field(factory=dict)  #: each part found, by id
    tables: Mapping[str, tuple[int, int]] = attrs.field(factory=dict)  #: each table's region, by table id
    #: the notes printed between a table's rows, by table id (their spans: prose, not the table's)
    notes: Mapping[str, tuple[tuple[int, int], ...]] = attrs.field(factory=dict)
    # tokens
    streams: Mapping[str, tuple[Token, ...]] = attrs.field(factory=dict)
    # rows
    spec: FormatSpec | None = None
    assigned: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict)
    hits: Mapping[str, tuple[LabelHit, ...]] = attrs.field(factory=dict)
    #: the form's columns a table's rows print, in the order its header names them, where that is not the form's
    columns: Mapping[str, tuple[int, ...]] = attrs.field(factory=dict)
    #: the provenance of cells printed but not read by the rows stage (a row wider than its cells), by pointer
    unread: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    #: the rows, by table id, whose numbers were printed after all their labels and given to them by the labels' order
    by_order: Mapping[str, frozenset[tuple[str, ...]]] = attrs.field(factory=dict)
    # narrative
    narrative: Mapping[str, str | None] = attrs.field(factory=dict)
    stated: Mapping[str, Any] = attrs.field(factory=dict)
    stated_cells: Mapping[str, Any] = attrs.field(factory=dict)
    # metadata
    meta: Mapping[str, Any] = attrs.field(factory=dict)
    # solve
    values: tuple[Any, ...] = ()  #: every cell's value, in document order (the format's cells)
    provenance: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    # every stage
    findings: tuple[Finding, ...] = ()
    # model
    report: Report | None = None

    def line(self, offset: int) -> int:
        """The 1-based line of an offset in the text."""
        return bisect.bisect_right(self.starts, offset)

    def page(self, offset: int) -> int | None:
        """The page an offset is on (PDF input), else None."""
        return self.pages[self.line(offset) - 1] if self.pages else None

    def but(self, **changes: Any) -> State:
        """A copy with some fields changed (``attrs.evolve``, without its per-call introspection and ``__init__``:
        every stage makes one): the fields' dict copied and updated at C speed, given to a new state."""
        fields = {**self.__dict__, **changes}
        if len(fields) != _FIELD_COUNT:  # a name that is no field
            raise KeyError(next(name for name in changes if name not in _FIELD_SET))
        new = _new(State)
        _set_fields(new, fields)
        return new

    def found(self, *findings: Finding) -> tuple[Finding, ...]:
        """The findings so far and these (for ``state.but(findings=...)``)."""
        return (*self.findings, *findings)


_FIELDS = tuple(f.name for f in attrs.fields(State))
_FIELD_SET = frozenset(_FIELDS)
_FIELD_COUNT = len(_FIELDS)
_new = object.__new__
#: sets an object's ``__dict__`` (the frozen class's own ``__setattr__`` refuses every name)
_set_fields: Callable[[State, dict[str, Any]], None] = State.__dict__["__dict__"].__set__

#: the fields a parse starts from (:func:`start`), in its parameters' order
_STARTED = ("registry", "source", "budget", "previous", "kind", "data")


def _starter() -> Callable[..., State]:
    """A function making a state of the :data:`_STARTED` fields, every other field its default (a factory's
    called each time), as ``State(...)`` makes it: its fields' dict written as one display, in the fields' order."""
    namespace: dict[str, Any] = {"make": _new, "State": State, "set_fields": _set_fields}
    items = []
    for field in attrs.fields(State):
        default: Any = field.default
        if field.name in _STARTED:
            value = field.name
        elif isinstance(default, attrs.Factory) and not default.takes_self:  # type: ignore[arg-type]
            namespace[f"factory_{field.name}"], value = default.factory, f"factory_{field.name}()"
        elif default is not attrs.NOTHING and not isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"default_{field.name}"], value = default, f"default_{field.name}"
        else:
            raise TypeError(f"State.{field.name}: no default to start from")
        items.append(f"{field.name!r}: {value}")
    exec(f"def start({', '.join(_STARTED)}):\n    new = make(State)\n    set_fields(new, {{{', '.join(items)}}})\n"
         f"    return new\n", namespace)
    out: Callable[..., State] = namespace["start"]
    return out


_start = _starter()


def start(*, registry: Registry, source: str, budget: Budget, previous: Report | None = None, kind: str = "text",
          data: bytes | str = "") -> State:
    """``State(registry=..., ...)``: the state a parse starts from, the other fields their defaults, made as
    :meth:`State.but` makes a copy (without attrs' ``__init__`` and its keyword call)."""
    return _start(registry, source, budget, previous, kind, data)

Stage = Callable[[State], State]


def run(state: State, stages: tuple[tuple[str, Stage], ...]) -> State:
    """The stages applied in order."""
    for _name, stage in stages:
        state = stage(state)
    return state
