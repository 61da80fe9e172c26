"""Parse what agencies publish — scraped text, web pages, PDFs — into the model, deterministically.

``parse(path_or_text, registry=...)`` (``govdisclosure.parse`` resolves the registry) returns a
:class:`~govdisclosure.io.LoadResult`: the report (each cell's provenance says where it came from
and what was printed, where that says something) and the findings (GD-PARSE-*: ambiguous splits
with their candidates, numbers that fit no row, headings printed otherwise).  The
format version is decided by the table itself, not the year: a 2022 report printed on the 2019
table loads as a 2019-format report, and GD-M-FORMAT says so.

The parser is a pipeline of named stages over one :class:`~.state.State` (:data:`PIPELINE`):
decode → normalise → regions → narrative → metadata → tokens → rows → solve → model.  The
narrative and metadata come before the tables because what the narrative states (制发…62件)
and the year help settle the tables.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import LoadError, problem
from ..formats.spec import Label
from ..io import LoadResult
from ..model.build import maker
from .budget import Budget
from .state import Stage, State, run, start

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry
    from . import assemble, decode, metadata, narrative, normalise, regions, rows, solve, tokens  # noqa: F401

    #: the stages, in order (built on first use: see :func:`_pipeline`)
    PIPELINE: tuple[tuple[str, Stage], ...]
    #: the stages that read the envelope (title, agency, year, dates) from a text
    ENVELOPE_STAGES: tuple[tuple[str, Stage], ...]

__all__ = ["PIPELINE", "envelope", "parse", "parse_bytes", "parse_each", "run_each"]

#: the stages' modules, in the pipeline's order: imported on the first parse, not with the package (a
#: command that only loads canonical JSON, ``govdisclosure validate``, never compiles their patterns)
STAGES: tuple[tuple[str, str], ...] = (
    ("decode", "decode"), ("normalise", "normalise"), ("regions", "regions"), ("narrative", "narrative"),
    ("metadata", "metadata"), ("tokens", "tokens"), ("rows", "rows"), ("solve", "solve"), ("model", "assemble"))

#: how many of the stages read the envelope (title, agency, year, dates) from a text
ENVELOPE_STAGE_COUNT = 5


@functools.cache
def _modules() -> tuple[ModuleType, ModuleType]:
    """The decode stage's module and ``io.source``, imported on the first parse (an import statement in each parse
    cost ~15,000 instructions: ``from . import`` runs importlib's Python for a package)."""
    return importlib.import_module(f"{__name__}.decode"), importlib.import_module("..io.source", __name__)


@functools.cache
def _pipeline() -> tuple[tuple[str, Stage], ...]:
    """The stages, in order: (name, the module's function of the same name as the module)."""
    return tuple((name, getattr(importlib.import_module(f"{__name__}.{module}"), module)) for name, module in STAGES)


def __getattr__(name: str) -> Any:
    # the pipeline and the stages' modules, imported when first asked for (``ingest.PIPELINE``, ``ingest.rows``)
    if name == "PIPELINE":
        return _pipeline()
    if name == "ENVELOPE_STAGES":
        return _pipeline()[:ENVELOPE_STAGE_COUNT]
    if name in {module for _, module in STAGES}:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_bytes(data: bytes | str, *, source: str = "<text>", kind: str = "text", previous: Report | None = None,
                registry: Registry, loader: str | None = "parse") -> LoadResult:
    """Parse a published report given as bytes or text; ``source`` names it (provenance, findings)."""
    state = start(registry=registry, source=source, previous=previous, budget=Budget(len(data)), kind=kind,
                  data=data)
    return _result(run(state, _pipeline()), loader)


def _result(state: State, loader: str | None) -> LoadResult:
    """What the pipeline made of an input: its report, or the LoadError saying it holds none."""
    assert state.report is not None
    _a_report_or_refused(state, state.report, state.source)
    return load_result(state.report, state.findings, state.source, loader)


#: ``LoadResult(...)`` made straight-line (one a report: the pipeline's and ``api``'s loaders')
load_result: Callable[..., LoadResult] = maker(LoadResult)


#: fewer cells than this read, no part but the text before the first heading, and no heading standing on
#: its own line: the headings and row labels were only mentioned (an index of reports, a reviewer's notes),
#: not printed as a report's. The thinnest real excerpt of the corpus has 17 cells, or one part, or a
#: heading on its own line over a table printed with blanks for zero; an index of reports gives 3 cells
MIN_CELLS_WITHOUT_PARTS = 10


def _a_report_or_refused(state: State, report: Report, source: str) -> None:
    parts = report.parts
    if parts.overview or parts.proactive or parts.requests or parts.review_litigation or parts.problems \
            or parts.other or any(_alone(state.raw, span.start, span.body) for span in state.parts.values()):
        return
    read = sum(v is not None for v in report.values())
    if read < MIN_CELLS_WITHOUT_PARTS:
        from .tokens import not_a_report

        raise not_a_report(
            source, f"没有按标题分开的部分，表格中只读到 {read} 个数（标题与行名只是被提及，例如报告目录或说明文字）",
            f"no part under a heading, and {read} numbers in the tables (headings and row names only mentioned, "
            f"as in an index of reports or notes)")


def envelope(text: str, *, registry: Registry) -> dict[str, Any]:
    """The report's envelope read from its text alone, as canonical data: ``title``, ``year``,
    ``agency`` (name, level, region), and where the text says them ``period``, ``published_on``,
    ``notice`` — for a loader of a structured document (Word, Excel) that reads the cells itself."""
    state = start(registry=registry, source="<text>", budget=Budget(len(text)), data=text)
    return dict(run(state, _pipeline()[:ENVELOPE_STAGE_COUNT]).meta)


def _alone(text: str, start: int, end: int) -> bool:
    """The heading at ``start``–``end`` stands on its own line (not inside a sentence or a table's row)."""
    before = text[text.rfind("\n", 0, start) + 1:start]
    line_end = text.find("\n", end)
    after = text[end:line_end if line_end >= 0 else len(text)]
    return not before.strip() and not after.strip()


_PATHLIKE = re.compile(r"^[^\n]*(?:[/\\][^\n]*|\.[A-Za-z0-9]{1,8})$")


def _looks_like_path(text: str) -> bool:
    """A file's name, not a report's text: one naming a file that exists (whatever its characters: 平潭，2024年报.txt),
    or one short line shaped as a path (a missing file, said as such), never a worded, longer text."""
    if _modules()[1].names_a_file(text):
        return True
    return len(text) < 1024 and bool(_PATHLIKE.match(text.strip())) and not any(c in text for c in "。，；")


def parse(source: str | bytes | os.PathLike[str], *, from_: str = "auto", previous: Report | None = None,
          registry: Registry) -> LoadResult:
    """Parse a published report from a file path, bytes or text (``from_``: auto, text, html, pdf,
    markdown).  A string that looks like a path and names no file is a missing file."""
    return _result(run(_begun(source, from_, previous, registry), _pipeline()), "parse")


def parse_each(sources: Sequence[str | bytes | os.PathLike[str]], *, from_: str = "auto",
               previous: Report | None = None, registry: Registry) -> list[LoadResult | LoadError]:
    """:func:`parse` of each source, in order, each input's LoadError in its place (one bad input never stops
    the others).  The stages run over all the inputs in turn, not one input through all the stages: a stage's
    code and tables stay in the processor's caches (~8% less time a report in a batch, see bench/bench_parse.py);
    the results are the same."""
    states: list[State | LoadError] = []
    for source in sources:
        try:
            states.append(_begun(source, from_, previous, registry))
        except LoadError as exc:
            states.append(exc)
    return run_each(states, "parse")


def run_each(states: Sequence[State | LoadError], loader: str | None, spent: list[float] | None = None
             ) -> list[LoadResult | LoadError]:
    """The pipeline over started states (:func:`.state.start`), stage by stage: each state's result, or the
    LoadError a stage raised for it (a LoadError given stays); ``spent`` (as long as ``states``) adds each
    state's seconds in the stages."""
    import time

    out: list[State | LoadError] = list(states)
    clock = time.perf_counter
    for _name, stage in _pipeline():
        for i, state in enumerate(out):
            if isinstance(state, State):
                began = clock()
                try:
                    out[i] = stage(state)
                except LoadError as exc:
                    out[i] = exc
                if spent is not None:
                    spent[i] += clock() - began
    return [_outcome(state, loader) for state in out]


def _outcome(state: State | LoadError, loader: str | None) -> LoadResult | LoadError:
    """A state the stages went through as a result (or the LoadError saying it holds no report)."""
    if isinstance(state, LoadError):
        return state
    try:
        return _result(state, loader)
    except LoadError as exc:
        return exc


def _begun(source: str | bytes | os.PathLike[str], from_: str, previous: Report | None,
           registry: Registry) -> State:
    """The state a parse of ``source`` starts from: the file read (within the size limit) and its kind known."""
    name = "<text>"
    data: bytes | str
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        from ..io.source import read_source

        data, name = read_source(source)  # within the size limit; a missing or unreadable file in both languages
    else:
        data = source
    decode = _modules()[0]
    if from_ not in ("auto", *decode.KINDS):
        raise LoadError([problem("GD-LOAD-INPUT", "", Label(f"未知的输入种类：{from_}",
                                                            f"unknown input kind: {from_}"))], name)
    kind = from_ if from_ != "auto" else decode.sniff(name, data)
    return start(registry=registry, source=name, previous=previous, budget=Budget(len(data)), kind=kind, data=data)
