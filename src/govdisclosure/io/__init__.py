"""Loaders (text -> report data) and renderers (report -> text), as plugins contribute them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import attrs

from ..formats.spec import Label

if TYPE_CHECKING:
    from ..model import Report

__all__ = ["Loader", "Renderer"]


def _always(_report: Any) -> bool:
    return True


@attrs.frozen
class Loader:
    """Reads one kind of input.

    ``load(text, source)`` returns canonical JSON data (a dict, as json.md describes) or a
    :class:`~govdisclosure.model.Report`; it raises :class:`~govdisclosure.errors.LoadError`
    naming the place when the text is not a report.  ``source`` is the file name, for messages.
    A loader is chosen by the file's extension, else by the first whose ``sniff(text)`` is true,
    in order of ``priority``.
    """

    name: str
    label: Label
    extensions: tuple[str, ...]
    load: Callable[[Any, str], Any]
    sniff: Callable[[str], bool] | None = None
    #: ``load`` receives the input's bytes, not text (PDF; pages whose encoding it detects itself)
    binary: bool = False
    #: sniffing order: higher first (a catch-all parser of published text comes last)
    priority: int = 0


@attrs.frozen
class Renderer:
    """Writes a report in one output format.

    ``render(report, **options)`` returns text; it must accept and ignore options it does not
    know (``**_``), so that new options never break an old renderer.  ``can_render(report)``
    says whether this renderer supports the report's format and variant.
    """

    name: str
    label: Label
    extension: str
    media_type: str
    render: Callable[..., str]
    can_render: Callable[["Report"], bool] = _always
    render_many: Callable[..., str] | None = None
