"""Stage ``normalise``: the text as published, and beside it a view of the same length to match in.

The published text (``State.raw``) is what the narrative parts keep, character for character.
The view (``State.folded``) differs only where a character is replaced by exactly one other:
full-width ASCII by half-width (``，`` → ``,``, ``１`` → ``1``), odd spaces by a space, a page's
footer (``- 2 -``) by spaces, and, in a Traditional-script text, each Traditional character by
its Simplified one (OpenCC's ``t2s`` character table, one character at a time: no word is
rewritten).  Because each replacement is one character for one, an offset in the view is the
same offset in the published text: what is matched in the view is cut from the text.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from . import findings as F
from .state import State

__all__ = ["FOLD", "fold", "line_starts", "looks_traditional", "normalise"]

#: one character for one: full-width ASCII to half-width; spaces of every width to a space;
#: control characters (form feeds of PDF text, stray bytes) to a space, in the published text too
CONTROL: dict[int, int] = {c: 0x20 for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}
FOLD: dict[int, int] = {
    **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},
    **{c: 0x20 for c in (0x09, 0x3000, 0x00A0, 0xFEFF, *range(0x2000, 0x200C), 0x202F, 0x205F)},
    **CONTROL,
}

#: page footers of PDF text: "- 2 -", "第 2 页 共 6 页", "2/6"
FOOTER = re.compile(r"^[ \t]*(?:[-—–][ \t]*\d+[ \t]*[-—–]"
                    r"|第[ \t]*\d+[ \t]*页(?:[ \t]*[,，/]?[ \t]*共[ \t]*\d+[ \t]*页)?"
                    r"|\d+[ \t]*/[ \t]*\d+)[ \t]*$", re.M)

# characters that exist only in Traditional script and are common in these reports
_TRADITIONAL = re.compile("[開報務處與規範資訊據錄機關請單條項當數無總計結訴複議權態環]")
#: how many of them in the first 5,000 characters make a text Traditional
TRADITIONAL_MIN = 5


def looks_traditional(text: str) -> bool:
    return len(_TRADITIONAL.findall(text, 0, 5000)) >= TRADITIONAL_MIN


@functools.cache
def _converter() -> Any:
    """OpenCC's Traditional-to-Simplified converter (``t2s``: characters, not Taiwan phrases), if installed."""
    try:
        import opencc  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    for config in ("t2s", "t2s.json"):
        try:
            return opencc.OpenCC(config)
        except Exception:  # noqa: BLE001 - the two OpenCC packages name configs differently, and fail differently
            continue
    return None


@functools.cache
def _simplified(char: str) -> str:
    out: str = _converter().convert(char)
    return out if len(out) == 1 else char


_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FOLD)) + "]")
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(CONTROL)) + "]")


def fold(text: str, traditional: bool = False) -> str:
    """The matching view of ``text`` (same length, see the module docstring)."""
    if not traditional:
        # a handful of distinct characters to replace: one C-speed pass each beats a translate table
        for char in set(_FOLDABLE.findall(text)):
            text = text.replace(char, chr(FOLD[ord(char)]))
        return text
    table = dict(FOLD)
    for char in set(text):
        if char > "\u2e7f" and (simple := _simplified(char)) != char:
            table[ord(char)] = ord(simple)
    return text.translate(table)


def line_starts(text: str) -> tuple[int, ...]:
    """The offset of each line's first character."""
    return (0, *(m.end() for m in re.finditer("\n", text)))


def normalise(state: State) -> State:
    raw = state.text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROLS.search(raw):
        raw = raw.translate(CONTROL)
    found = []
    traditional = looks_traditional(raw)
    if traditional and _converter() is None:
        found.append(F.NO_OPENCC(file=state.source))
        traditional = False
    folded = fold(raw, traditional)
    footers = tuple(m.span() for m in FOOTER.finditer(folded)) if ("页" in folded or "-" in folded or "/" in folded) \
        else ()
    if footers:
        folded = FOOTER.sub(lambda m: " " * len(m.group(0)), folded)
    return state.but(text="", raw=raw, folded=folded, starts=line_starts(raw), footers=footers,
                        findings=state.found(*found))
