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

__all__ = ["LoadFunction", "LoadOutput", "LoadResult", "Loader", "RenderFunction", "RenderManyFunction",
           "RenderOptions", "Renderer"]


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


@attrs.frozen(kw_only=True)
class RenderOptions:
    """The options core passes to every renderer, read from its ``**options`` (unknown ones ignored).

    - ``fragment``: HTML, the ``<article>`` alone (for a site's CMS), with its own scoped styles;
    - ``findings``: findings to mark in the tables and list under them (``gd.validate(report)``);
    - ``bom``: CSV, start with a byte-order mark (Excel reads the Chinese right);
    - ``comments``: YAML, each key followed by its name on the official form (default True);
    - ``form``: the report is a blank to fill in (``govdisclosure new``): a format that computes
      totals itself (a workbook) may make its blank totals live formulas;
    - ``lang``: "zh" or "en", for the words a renderer adds itself (findings);
    - ``registry``: the registry of the run.
    """

    fragment: bool = False
    findings: tuple[Finding, ...] = ()
    bom: bool = False
    comments: bool = True
    form: bool = False
    lang: str = "zh"
    registry: Registry | None = None

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> RenderOptions:
        """The known options of ``options``, checked (a ``findings`` that is not a list of findings is refused)."""
        found = options.get("findings") or ()
        if not isinstance(found, (list, tuple)) or not all(isinstance(f, Finding) for f in found):
            from ..errors import RenderError

            raise RenderError(f"findings= takes a list of Finding (such as gd.validate(report)), got {found!r}")
        flags = {name: _flag(options, name, default) for name, default in
                 (("fragment", False), ("bom", False), ("comments", True), ("form", False))}
        lang = options.get("lang") or "zh"
        if lang not in ("zh", "en"):
            from ..errors import RenderError

            raise RenderError(f"lang= takes 'zh' or 'en', got {lang!r}")
        return cls(findings=tuple(found), lang=lang, registry=options.get("registry"), **flags)


def _flag(options: Mapping[str, Any], name: str, default: bool) -> bool:
    """A yes/no option: True or False (None for the default); "no" is not False, so it is refused."""
    value = options.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        from ..errors import RenderError

        raise RenderError(f"{name}= takes True or False, got {value!r}")
    return value


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
