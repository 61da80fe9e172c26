"""Loaders (input -> report) and renderers (report -> text or bytes), as plugins contribute them.

The two contracts are :class:`LoadFunction` and :class:`RenderFunction`; a loader or renderer
is registered as a :class:`Loader` or :class:`Renderer` through the plugin hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, Union

import attrs

from ..findings import Finding
from ..labels import Label

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

__all__ = ["LoadFunction", "LoadOutput", "LoadResult", "Loader", "RenderFunction", "RenderManyFunction", "Renderer"]


@attrs.frozen
class LoadResult:
    """A report as read from an input, with what reading it found.

    ``findings`` are the loader's and the parser's (codes ``GD-PARSE-…``: cells whose digits
    could not be split, numbers that fit no row, labels printed otherwise); ``source`` names the
    input; ``loader`` is the name of the loader that read it.
    """

    report: Report
    findings: tuple[Finding, ...] = ()
    source: str = "<string>"
    loader: str | None = None

    @property
    def doubts(self) -> tuple[Finding, ...]:
        """Deprecated alias of :attr:`findings` (the parser's doubts are findings now)."""
        import warnings

        warnings.warn("LoadResult.doubts is deprecated; use .findings", DeprecationWarning, stacklevel=2)
        return self.findings


#: what a loader may return: a report, canonical JSON data, or a report with findings
LoadOutput = Union["Report", Mapping[str, Any], LoadResult]


class LoadFunction(Protocol):
    """``load(data, source, registry)``: ``data`` is ``bytes`` for a ``binary`` loader, else ``str``;
    ``source`` names the input for messages; raise :class:`~govdisclosure.errors.LoadError`
    with located findings for input that is not a report."""

    def __call__(self, data: Any, source: str, registry: Registry, /) -> LoadOutput: ...


class RenderFunction(Protocol):
    """``render(report, **options)``: text, or bytes for a ``binary`` renderer. Options core passes:
    ``registry``, ``fragment``, ``findings`` (a sequence of findings), ``bom``, ``lang``; a renderer
    ignores the options it does not know."""

    def __call__(self, report: Report, /, **options: Any) -> str | bytes: ...


class RenderManyFunction(Protocol):
    """``render_many(reports, **options)``: several reports into one output (wide CSV)."""

    def __call__(self, reports: Sequence[Report], /, **options: Any) -> str | bytes: ...


def _always(_report: Report) -> bool:
    return True


@attrs.frozen
class Loader:
    """Reads one kind of input.

    A loader is chosen by the file's extension, else by the first whose ``sniff(head)`` is true
    (``head``: the first few thousand characters), in order of ``priority`` (higher first; a
    catch-all parser of published text comes last).
    """

    name: str
    label: Label
    extensions: tuple[str, ...]
    load: LoadFunction
    sniff: Callable[[str], bool] | None = None  #: None: chosen by its extensions only
    #: ``load`` receives the input's bytes, not text (PDF, Office files, pages whose encoding it detects)
    binary: bool = False
    priority: int = 0


@attrs.frozen
class Renderer:
    """Writes a report in one output format.

    ``can_render(report)`` says whether this renderer supports the report's format and variant;
    ``render_many``, if given, writes several reports into one output; ``binary`` renderers
    (spreadsheets, Word) return bytes.
    """

    name: str
    label: Label
    extension: str
    media_type: str
    render: RenderFunction
    can_render: Callable[[Report], bool] = _always
    render_many: RenderManyFunction | None = None
    binary: bool = False
