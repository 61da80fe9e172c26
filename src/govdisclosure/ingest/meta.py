"""The report's metadata and stated counts, read from its text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .vocab import CELL_WORDS, STATED, normalize

_TITLE = re.compile(r"([^\n。；:：]{0,60}?)(20\d\d)\s*年度?\s*([^\n。；]{0,40}?)政府信息公开(?:工作)?年度报告")
_DATE = re.compile(r"(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_D = r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD = re.compile(_D + r"[^\n。]{0,6}?(?:至|到|—|-|~)[^\n。]{0,3}?" + _D)
_NOTICE = re.compile(r"国办公开办函\s*[〔\[(（]\s*(20\d\d)\s*[〕\])）]\s*(\d+)\s*号")
_PUBLISHED = re.compile(r"(?:发布(?:时间|日期)|成文日期|日期)\s*[:：]\s*(20\d\d-\d{1,2}-\d{1,2})")


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def title(text: str) -> dict[str, Any]:
    """Title, agency and year from the first lines that name the report."""
    head = text[:1200]
    joined = re.sub(r"\s*\n\s*", "", head[:400])  # titles that wrap over two lines
    for candidate in (head, joined):
        for m in _TITLE.finditer(candidate):
            if candidate.count("《", 0, m.end()) > candidate.count("》", 0, m.end()):
                continue  # the title of a cited document, not this report's
            before, year, after = m.group(1), m.group(2), m.group(3)
            before = re.sub(r"^.*(?:公布|发布|编制|印发|标题[:：]|现将|\s)", "", before).strip()
            agency = (before or after).strip(" ，,、")
            if not agency:
                continue
            start = m.start(1) + m.group(1).rfind(before) if before else m.start(2)
            full = candidate[start:m.end()].strip()
            return {"title": full, "agency": agency, "year": int(year)}
    return {}


def year_mentioned(text: str) -> int | None:
    """The report year from a sentence such as 现将我局2020年度政府信息公开情况报告如下 (no title)."""
    m = re.search(r"(20\d\d)\s*年度?\s*(?:本机关|我局|我委|我办)?政府信息公开(?:工作)?(?:情况|年度报告)", text[:2000])
    return int(m.group(1)) if m else None


LEVEL_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(?:镇|乡)人民政府$|(?:镇|乡)$|街道办事处$", "township"),
    (r"^[^市县区]*省人民政府$|自治区人民政府$", "provincial_government"),
    (r"^[^县区]*市人民政府$|^[^县区]*州人民政府$|综合实验区$", "city_government"),
    (r"(?:县|区|旗)人民政府$", "county_government"),
    (r"(?:县|区|旗)[^县区]*(?:局|委员会|委|办公室|中心)$", "county_department"),
    (r"市[^县区]*(?:局|委员会|委|办公室|厅|中心)$", "city_department"),
    (r"省[^市县区]*(?:厅|局|委员会|委|办公室)$", "provincial_department"),
)


def level(agency: str | None) -> str | None:
    """A guess at the agency's level from its name (None when the name does not say)."""
    if not agency:
        return None
    for pattern, value in LEVEL_PATTERNS:
        if re.search(pattern, agency):
            return value
    return None


def dates(text: str, year: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    m = _PERIOD.search(text)
    if m:
        start, end = _date(*m.group(1, 2, 3)), _date(*m.group(4, 5, 6))
        if start and end:
            out["period"] = {"start": start, "end": end}
    m = _PUBLISHED.search(text[:2000])
    if m:
        out["published_on"] = _date(*re.split(r"-", m.group(1)))
    else:  # the date under the signature, at the end
        tail = text.rstrip()[-200:]
        found = list(_DATE.finditer(tail))
        if found and (year is None or int(found[-1].group(1)) > year):
            out["published_on"] = _date(*found[-1].group(1, 2, 3))
    m = _NOTICE.search(text)
    if m:
        out["notice"] = f"国办公开办函〔{m.group(1)}〕{m.group(2)}号"
    return out


def stated(text: str) -> dict[str, Any]:
    """Counts the narrative states (first statement of each)."""
    flat = normalize(text)
    out: dict[str, Any] = {}
    for name, patterns in STATED.items():
        for pattern in patterns:
            m = re.search(pattern, flat)
            if m:
                out[name] = m.group(1) if name == "fees" else int(m.group(1))
                break
    return out


def stated_cells(text: str, rows: dict[str, str]) -> dict[str, int]:
    """Table-2 cells the narrative states, e.g. 制发行政规范性文件62件 -> normative_documents.issued = 62.

    ``rows`` maps a row's label (normalised) to its pointer prefix (``/proactive/normative_documents/``).
    Only a clause naming exactly one row and one column word, then one count, is taken.
    """
    out: dict[str, int] = {}
    for clause in re.split(r"[。；;，,]", normalize(text)):
        numbers = re.findall(r"(\d+)件", clause)
        if len(numbers) != 1:
            continue
        named = {prefix for label, prefix in rows.items() if label in clause}
        words = [col for col, ws in CELL_WORDS.items() if any(w in clause for w in ws)]
        if len(named) == 1 and len(words) == 1:
            out.setdefault(next(iter(named)) + words[0], int(numbers[0]))
    return out
