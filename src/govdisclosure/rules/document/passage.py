"""A report's narrative field as the document rules read it (:class:`Passage`, given by :mod:`.narrative`): apart
from the rules' modules, as its fields computed by default keep it out of the compiled build (mypyc cannot compile
an attrs class with defaults)."""

from __future__ import annotations

import attrs

from ...formats.spec import Label
from ...model.build import _building

__all__ = ["Passage"]


def unspaced(text: str) -> str:
    """``text`` without whitespace (nor zero-width spaces): what words are looked for in."""
    out = "".join(text.split())
    if "\u200b" in out or "\ufeff" in out:
        out = out.replace("\u200b", "").replace("\ufeff", "")
    return out


@attrs.frozen
class Passage:
    """One narrative field of a report with its text."""

    field: str  #: the attribute of ``report.parts`` ("preamble", "overview", "problems", "other", …)
    text: str  #: as published: what is quoted
    name: Label  #: what the field is called (from the model's declaration)
    #: what words are matched in: the text, or in a Traditional-script report the text folded to Simplified
    #: character by character (:func:`simplified`), so of the same length: an offset in it is one in ``text``
    view: str = attrs.field(default=attrs.Factory(lambda self: self.text, takes_self=True), repr=False, eq=False)
    #: the view without whitespace (:func:`folded`), made once with the passage: what words are looked for in
    flat: str = attrs.field(default=attrs.Factory(lambda self: unspaced(self.view), takes_self=True), repr=False,
                            eq=False)

    @property
    def pointer(self) -> str:
        return f"/parts/{self.field}"


#: a passage being made (:func:`.narrative._passage`): :class:`Passage` with plain assignment, given its class once
#: each of ``_FIELDS`` is set, made as the model's builders make theirs (which refuses a class with checks or hooks)
_Building = _building(Passage)
_FIELDS = ("field", "text", "name", "view", "flat")
if tuple(f.name for f in attrs.fields(Passage)) != _FIELDS:
    raise TypeError("Passage: narrative._passage would not set every field attrs' __init__ sets")
