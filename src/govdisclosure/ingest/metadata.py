"""Stage ``metadata``: title, agency, year, dates and notice, from the text (and a page's title)."""

from __future__ import annotations

import attrs

from . import findings as F
from . import meta
from .state import State

__all__ = ["metadata"]


def metadata(state: State) -> State:
    full = "\n".join(line.text for line in state.lines)
    head = meta.title((state.page_title + "\n" if state.page_title else "") + full)
    year = head.get("year") or meta.year_mentioned(full)
    info = meta.dates(full, year)
    if year is None and "period" in info:
        year = int(info["period"]["start"][:4])
    found = [] if year is not None else [F.NO_YEAR(pointer="/year", file=state.source)]
    agency = head.get("agency")
    out = {"year": year, "title": head.get("title"),
           "agency": {"name": agency, "level": meta.level(agency), "region": None}, **info,
           # the year the title names decides the format when the tables do not
           "title_year": head.get("year")}
    return attrs.evolve(state, meta=out, findings=state.found(*found))
