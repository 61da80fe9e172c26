"""The stages' regular expressions, compiled from the engine's code stored beside them (``patterns_code.py``).

``re.compile`` parses and compiles a pattern in Python (``re._parser``, ``re._compiler``): the stages' ~100
patterns cost a process ~25 ms at its start and first reports (~200 M instructions, a third of a one-file parse's
stages), each time, for the same code.  Python's engine takes that code as it is (``_sre.compile``, which checks
it): :func:`compiled` gives it the code stored for this engine (``_sre.MAGIC``), and compiles as ``re.compile``
does a pattern not stored or on another Python.  The pattern is the same object either way (``==`` compares the
pattern, its flags and its code; a test compares every one stored).

Regenerate after changing a stage's pattern (a test fails until then; the patterns of every format's tables are
asked by :func:`.patterns_gen.ask_all`)::

    python -m govdisclosure.ingest.patterns_gen
"""

from __future__ import annotations

import binascii
import importlib
import marshal
import re
import sys
import zlib
from typing import Any, Final

__all__ = ["Code", "compiled"]

#: a pattern's code as ``_sre.compile`` takes it after the pattern: its flags (the inline ones added), its code,
#: how many groups, the groups' names to numbers and numbers to names
Code = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_ENGINE: Final[Any] = importlib.import_module("_sre")


def _stored() -> dict[tuple[str, int], Code]:
    """The code stored for this engine (none for another: its code may differ; nor while it is regenerated)."""
    try:
        from . import patterns_code
    except ImportError:  # pragma: no cover - only while the module is regenerated from scratch
        return {}
    if patterns_code.MAGIC != _ENGINE.MAGIC or sys.version_info[:2] != patterns_code.VERSION:
        return {}  # pragma: no cover - another Python's engine
    stored: dict[tuple[str, int], Code] = marshal.loads(zlib.decompress(binascii.a2b_base64(patterns_code.DATA)))
    return stored


_STORED: Final = _stored()
#: every pattern asked of :func:`compiled` in this process, in order (what :mod:`.patterns_gen` stores)
_ASKED: Final[dict[tuple[str, int], None]] = {}


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from its stored code where there is some for this engine."""
    key = (pattern, int(flags))
    _ASKED[key] = None
    code = _STORED.get(key)
    if code is None:
        return re.compile(pattern, flags)
    out: re.Pattern[str] = _ENGINE.compile(pattern, *code)  # the engine copies the code: ours stays as it is
    return out
