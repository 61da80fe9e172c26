"""The limits of what govdisclosure reads, declared once (the README's "Reliability / 可靠性" lists them).

A leaf module: the model's converter and every reader take their bounds from here.
"""

from __future__ import annotations

import attrs

from ..model.scalars import MAX_DIGITS

__all__ = ["LIMITS", "Limits"]


@attrs.frozen
class Limits:
    """How much of an input govdisclosure reads; beyond a limit, a located error (``GD-LOAD-LIMIT``)."""

    #: any file or standard input (a published PDF or page is read whole before its own limits apply)
    input_bytes: int = 64 * 2**20
    #: the text of a report, all its fields together (a real one holds 5,000-50,000 characters): small enough
    #: that every format of ours carries any report, whatever a writer escapes (up to 8 characters for one)
    text_chars: int = 2**20
    #: a report in a format of ours (JSON, YAML, CSV, HTML, Markdown): a real one is 10-100 KB
    data_chars: int = 16 * 2**20
    #: the text of a published report the parser reads (after decoding a page or a PDF): a real one holds
    #: 10,000-100,000 characters; the parser's time and memory grow with it
    published_chars: int = 2 * 2**20
    #: objects and arrays inside each other (a report nests 6 deep)
    depth: int = 32
    #: characters of one number in JSON or YAML (a count has at most MAX_DIGITS digits)
    number_chars: int = 64
    #: problems listed per file (then one saying how many more there are)
    problems: int = 50
    #: digits of a count, and of an amount before its point (the model's, repeated for the README)
    digits: int = MAX_DIGITS


LIMITS = Limits()
