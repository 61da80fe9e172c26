"""How deep a web page nests its elements, found in linear time before an HTML parser reads it.

An HTML parser keeps a stack of open elements, and the start tag of each block element (``<div>``)
searches that stack for an open ``<p>`` down to the nearest scope boundary: a page nested a hundred
thousand ``<div>`` deep takes the parser minutes (lexbor: 34 s for 1.1 MB).  :func:`check_nesting`
follows the same stack through the page's tags with the rules of HTML's tree construction that pop
elements — end tags in their scopes, the start tags that close an element whose end tag was left
out (``<p>``, ``<li>``, ``<td>``, ``<option>`` …) — each rule in constant time (the last index of
each element and of each kind of boundary is kept), so that a sloppy page is as deep as the parser
will build it, and the stack is never counted shallower than the parser keeps it (where a rule is
approximated, it pops less, never more): no page reaches the parser deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import re
import string
from typing import Final

from ..errors import LoadError, problem
from ..labels import Label

__all__ = ["MAX_DEPTH", "check_nesting"]

#: elements open inside each other, at most: a real page nests a few dozen deep
MAX_DEPTH: Final = 1000

_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]{0,200})|<!--")


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: elements with no content, hence no end tag
VOID = _names("area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr")
#: elements whose text is no markup (a '<' in them opens nothing)
RAW = _names("script style textarea title xmp iframe noembed noframes plaintext")
#: HTML's "special" elements: an end tag of another element is not searched for past one of them
SPECIAL = _names("address applet area article aside base basefont bgsound blockquote body br button caption center "
                 "col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset "
                 "h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee "
                 "menu meta nav noembed noframes noscript object ol p param plaintext pre script search section "
                 "select source style summary table tbody td template textarea tfoot th thead title tr track ul "
                 "wbr xmp")
#: the boundaries of each scope an element is searched in (HTML's "has an element in … scope")
SCOPES: dict[str, frozenset[str]] = {
    "scope": _names("applet caption html table td th marquee object template"),
    "button": _names("applet caption html table td th marquee object template button"),
    "list": _names("applet caption html table td th marquee object template ol ul"),
    "table": _names("html table template"),
    # a <li>, <dd> or <dt> start tag closes the open one unless a special element other than these stands between
    "item": SPECIAL - _names("address div p li dd dt"),
    "special": SPECIAL,
}
#: start tags that close an open <p> (in button scope)
CLOSES_P = _names("address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
                  "footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing "
                  "form table hr xmp plaintext li dd dt")
#: start tags that close an open element of their family (end tag left out), and the scope it is searched in
FAMILIES: dict[str, tuple[frozenset[str], str]] = {
    **{n: (_names("li"), "item") for n in ("li",)},
    **{n: (_names("dd dt"), "item") for n in ("dd", "dt")},
    **{n: (_names("td th"), "table") for n in ("td", "th")},
    "tr": (_names("tr"), "table"),
    **{n: (_names("thead tbody tfoot"), "table") for n in ("thead", "tbody", "tfoot")},
}
#: start tags that close such elements only when one is the current element
AT_TOP: dict[str, frozenset[str]] = {
    "option": _names("option"),
    "optgroup": _names("option optgroup"),
    **{n: _names("rb rt rtc rp") for n in ("rb", "rt", "rtc", "rp")},
}
#: the scope an element's end tag searches it in (other special elements: "scope"; the rest: up to a special one)
END_SCOPES: dict[str, str] = {"li": "list", "p": "button",
                              **{n: "table" for n in _names("td th tr tbody thead tfoot table caption")}}
#: elements the parser opens once: neither their start tag again nor their end tag changes the stack
ONCE = _names("html head body")
#: formatting elements: closed with their container, the parser opens them again at the next content
#: ("reconstructs the active formatting elements", at most three alike since the last marker)
FORMATTING: Final = _names("a b big code em font i nobr s small strike strong tt u")
#: elements that start a new list of active formatting elements (a marker), ended with them
MARKERS = _names("applet caption marquee object td th template")
_P = _names("p")


class _Formatting:
    """The active formatting elements since each marker, as many as the parser may open again: each
    element and its attributes counted at most three times (the parser's "Noah's Ark" clause)."""

    def __init__(self) -> None:
        self.levels: list[tuple[dict[tuple[str, str], int], dict[str, list[tuple[str, str]]]]] = [({}, {})]
        self.size = 0

    def add(self, name: str, attributes: str) -> None:
        counts, by_name = self.levels[-1]
        key = (name, attributes)
        if counts.get(key, 0) < 3:
            counts[key] = counts.get(key, 0) + 1
            by_name.setdefault(name, []).append(key)
            self.size += 1

    def end(self, name: str) -> None:
        counts, by_name = self.levels[-1]
        if by_name.get(name):
            counts[by_name[name].pop()] -= 1
            self.size -= 1

    def marker(self) -> None:
        self.levels.append(({}, {}))

    def clear(self) -> None:
        if len(self.levels) > 1:
            self.size -= sum(self.levels.pop()[0].values())


class OpenElements:
    """The stack of open elements (each name's stack indices, each scope's boundaries' indices) and the
    formatting elements the parser may open again; its depth counts both."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.at: dict[str, list[int]] = {}
        self.bounds: dict[str, list[int]] = {scope: [] for scope in SCOPES}
        self.formatting = _Formatting()

    @property
    def depth(self) -> int:
        """At most how deep the parser's stack is here (open formatting elements counted twice: a bound)."""
        return len(self.stack) + self.formatting.size

    def _push(self, name: str) -> None:
        index = len(self.stack)
        self.stack.append(name)
        self.at.setdefault(name, []).append(index)
        scopes = _SCOPES_OF.get(name)
        if scopes:  # a boundary (markers among them)
            for scope in scopes:
                self.bounds[scope].append(index)
            if name in MARKERS:
                self.formatting.marker()

    def _pop(self) -> str:
        name = self.stack.pop()
        self.at[name].pop()
        scopes = _SCOPES_OF.get(name)
        if scopes:
            for scope in scopes:
                self.bounds[scope].pop()
            if name in MARKERS:
                self.formatting.clear()
        return name

    def _close_in(self, names: frozenset[str], scope: str) -> None:
        """Pop up to the last of ``names`` if it is in ``scope`` (no boundary above it but itself)."""
        last = -1
        for n in names:
            at = self.at.get(n)
            if at and at[-1] > last:
                last = at[-1]
        bounds = self.bounds[scope]
        if last >= 0 and last >= (bounds[-1] if bounds else -1):
            while self._pop() not in names:
                pass

    def start(self, name: str, attributes: str = "") -> int:
        """A start tag: the elements it closes popped, it pushed; the depth after it."""
        if name in CLOSES_P:
            self._close_in(_P, "button")
        if name in FAMILIES:
            self._close_in(*FAMILIES[name])
        elif name in AT_TOP:
            while self.stack and self.stack[-1] in AT_TOP[name]:
                self._pop()
        if name not in VOID and not (name in ONCE and self.at.get(name)):
            self._push(name)
        if name in FORMATTING:
            self.formatting.add(name, attributes)
        return self.depth

    def end(self, name: str) -> None:
        if name in ONCE:
            return
        if name in FORMATTING:
            self.formatting.end(name)
        alone = _ALONE.get(name)
        if alone is None:
            alone = _ALONE[name] = frozenset((name,))
        self._close_in(alone, END_SCOPES.get(name) or ("scope" if name in SPECIAL else "special"))


#: the scopes each element is a boundary of
_SCOPES_OF: dict[str, tuple[str, ...]] = {
    name: tuple(scope for scope, members in SCOPES.items() if name in members)
    for name in frozenset().union(*SCOPES.values())}
_ALONE: dict[str, frozenset[str]] = {}


def _raw_end(text: str, name: str, at: int) -> int:
    if name == "plaintext":  # the rest of the page is text
        return len(text)
    m = re.compile(rf"</{name}[\s/>]", re.I).search(text, at)
    return len(text) if m is None else m.end()


def _too_deep(text: str, at: int, name: str, source: str) -> LoadError:
    line = text.count("\n", 0, at) + 1
    said = Label(f"网页的元素嵌套超过 {MAX_DEPTH:,} 层（<{name}>）",
                 f"the page nests elements more than {MAX_DEPTH:,} deep (<{name}>)")
    return LoadError([problem("GD-LOAD-LIMIT", "", said, line=line, column=at - text.rfind("\n", 0, at))], source)


#: an ASCII letter in lower case, by itself in either case (what starts a tag's name; a dict, not str methods: the count
#: below runs once a '<'; this and the next two Final, which the compiled module reads as its own, not from a dict)
_LETTERS: Final[dict[str, str]] = {c: c.lower() for c in string.ascii_letters}
#: a formatting element's name: its first letter, and the letters that may follow it (a start tag whose second letter
#: is none of these opens no formatting element: <td>, <span>, <br> are told at their second character)
_FORMATTING_NEXT: Final[dict[str, str]] = {
    first: "".join(sorted({n[1] for n in FORMATTING if n[0] == first and len(n) > 1}))
    for first in {n[0] for n in FORMATTING}}
#: a start tag's name, as ``_TAG`` reads it
_NAME: Final = re.compile(r"[^\s/>]*")


def _formatting(text: str, at: int, first: str) -> bool:
    """Whether the start tag whose name starts at ``at`` (its first letter ``first``, lower case) opens a formatting
    element, as the scan reads its name (most are told by their second character)."""
    following = _FORMATTING_NEXT.get(first)
    if following is None:
        return False
    second = _LETTERS.get(text[at + 1:at + 2])
    if second is not None and second not in following:
        return False
    m = _NAME.match(text, at)
    return m is not None and m.group().lower() in FORMATTING


def _shallow(text: str) -> bool:
    """Whether a bound on the depth the scan can find is within the limit, counted in one pass over the page's
    '<' (str.find; no regular expression a tag): each element on the stack took a start tag, and each formatting
    element the parser may open again took one more (tags in comments and scripts counted too: the bound only
    grows).  Start tags are counted as the scan reads them ('<' and an ASCII letter; a name formatting as it is in
    lower case), so that the bound is never below the depth the scan finds."""
    bound = 0
    at = text.find("<")
    while at >= 0:
        first = _LETTERS.get(text[at + 1:at + 2])
        if first is not None:
            bound += 2 if _formatting(text, at + 1, first) else 1
            if bound > MAX_DEPTH:
                return False
        at = text.find("<", at + 1)
    return True


def check_nesting(text: str, source: str) -> None:
    """A located GD-LOAD-LIMIT (line and column of the tag) if the page nests elements deeper than
    :data:`MAX_DEPTH` where an HTML parser reads it."""
    if _shallow(text):  # a real page: far fewer start tags than the limit, no scan needed
        return
    elements = OpenElements()
    start, end = elements.start, elements.end  # the loop runs once a tag
    skip = 0  # the end of a comment or of a script's text: no tag before it is one
    for m in _TAG.finditer(text):
        if m.start() < skip:
            continue
        closing, name, attributes = m.groups()
        if name is None:  # a comment
            stop = text.find("-->", m.end())
            skip = len(text) if stop < 0 else stop + 3
            continue
        name = name.lower()
        if closing:
            end(name)
        elif start(name, " ".join(attributes.split()) if name in FORMATTING else "") > MAX_DEPTH:
            raise _too_deep(text, m.start(), name, source)
        elif name in RAW:
            end(name)
            skip = _raw_end(text, name, m.end())
