"""The parser as a plugin: loaders of published text and PDF (HTML pages come through core's HTML
loader), and the catalogue of the GD-PARSE codes it emits."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import LoadError
from ..formats.official import FORMAT_2021
from ..formats.spec import Label
from ..io import Loader, LoadResult
from ..plugins import hookimpl
from ..registry import Registry
from ..rules.types import Rule
from . import _modules, findings
from .budget import Budget
from .patterns import compiled
from .state import start

if TYPE_CHECKING:
    from .state import State

#: words only a report prints: parts 2 and 3's headings, table 2's block titles, the title's last words
_REPORT_WORDS = compiled("|".join(re.escape(w) for w in (
    *(p.heading.zh.partition("、")[2] for p in FORMAT_2021.parts[1:3]),
    *(b.label.zh[:5] for b in FORMAT_2021.tables[0].blocks[:1] if b.label is not None), "政府信息公开工作年度报告")))


def load_text(data: bytes | str, source: str, registry: Registry) -> LoadResult:
    """Published text; a page saved as .txt (or piped in) is still read as a page."""
    from . import run_each

    [result] = run_each([begin_text(data, source, registry)], "text")
    if isinstance(result, LoadError):
        raise result
    return result


def begin_text(data: bytes | str, source: str, registry: Registry) -> State:
    """The state :func:`load_text` runs the stages from (a batch runs them over many inputs at once:
    :func:`.run_each`, whose result for it is what ``load_text`` gives)."""
    kind = _modules()[0].sniff(source, data)
    return start(registry=registry, source=source, budget=Budget(len(data)), kind="text" if kind == "pdf" else kind,
                 data=data)


def load_pdf(data: bytes | str, source: str, registry: Registry) -> LoadResult:
    from . import parse_bytes

    if isinstance(data, str):
        data = data.encode("latin-1", "replace")
    return parse_bytes(data, source=source, kind="pdf", registry=registry, loader="pdf")


@hookimpl
def register_loaders() -> list[Loader]:
    return [
        Loader("text", Label("发布的报告文本（网页抓取、PDF 导出）", "published report text (scraped pages, PDF text)"),
               (".txt", ".text"), load_text, sniff=lambda head: bool(_REPORT_WORDS.search(head)), binary=True,
               priority=-10),
        Loader("pdf", Label("PDF（文字层；需要 [pdf] 附加依赖）", "PDF text layer (needs the [pdf] extra)"), (".pdf",),
               load_pdf, sniff=lambda head: head.startswith("%PDF"), binary=True, priority=10),
    ]


@hookimpl
def register_rules() -> list[Rule]:
    return findings.rules()
