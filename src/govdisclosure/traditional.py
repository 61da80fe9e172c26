"""Which texts are in Traditional script: the parser's test, apart from its stages, so that the rules
reading a report as the parser does (the document rules) need not import them."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["TRADITIONAL_CHARS", "TRADITIONAL_MIN", "TRADITIONAL_WINDOW", "looks_traditional"]

#: characters that exist only in Traditional script and are common in these reports
TRADITIONAL_CHARS: Final = "開報務處與規範資訊據錄機關請單條項當數無總計結訴複議權態環"
_TRADITIONAL: Final = re.compile(f"[{TRADITIONAL_CHARS}]")
#: how many of them in the first TRADITIONAL_WINDOW characters make a text Traditional
TRADITIONAL_MIN: Final = 5
TRADITIONAL_WINDOW: Final = 5000


def looks_traditional(text: str) -> bool:
    return len(_TRADITIONAL.findall(text, 0, TRADITIONAL_WINDOW)) >= TRADITIONAL_MIN
