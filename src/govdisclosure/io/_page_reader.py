"""The reader of a page of ours (:func:`.html.read_html`), in a module of its own: the standard library's HTML
parser, with html's entities, is ~8 ms of a start that reads no page (``govdisclosure validate report.json``)."""

from __future__ import annotations

from html.parser import HTMLParser

from ..formats.spec import escape_pointer
from .envelope import provenance_fields

__all__ = ["Reader"]

_PROVENANCE_KEYS = frozenset(f.key for f in provenance_fields())


def _pointer(key: str) -> str:
    """The JSON pointer of an envelope field named as in ``data-field`` (``agency.name``)."""
    return "/" + "/".join(escape_pointer(k) for k in key.split("."))


class Reader(HTMLParser):
    """The marked values of a page of ours, each with its place; a value given twice is a problem."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.version: str | None = None
        self.variant: str | None = None
        self.fields: dict[str, str] = {}
        self.texts: dict[str, list[str]] = {}
        self.cells: dict[str, str] = {}
        self.provenance: dict[str, dict[str, str]] = {}
        self.positions: dict[str, tuple[int, int | None]] = {}
        self.repeated: list[tuple[str, int, int]] = []  # (pointer, line, line of the first)
        self._field: tuple[str, str] | None = None  # (kind, key) being read
        self._buf: list[str] = []
        self._text: str | None = None
        self._skip = 0

    def _place(self, pointer: str) -> bool:
        """Note where ``pointer``'s value is; False (and a problem) if it was given before."""
        line, column = self.getpos()
        if pointer in self.positions:
            self.repeated.append((pointer, line, self.positions[pointer][0]))
            return False
        self.positions[pointer] = (line, column + 1)
        return True

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs_list}
        if tag == "article" and "data-format-version" in a:
            self._place("")  # a second report in one page is a repeat
            self.version, self.variant = a["data-format-version"], a.get("data-variant")
        elif "data-cell" in a:
            self._field, self._buf = ("cell", a["data-cell"]), []
            self._place(a["data-cell"])
            prov = {k[5:]: v for k, v in a.items() if k[5:] in _PROVENANCE_KEYS}
            if prov:
                self.provenance[a["data-cell"]] = prov
        elif "data-field" in a:
            self._start_field(tag, a)
        elif tag == "p" and self._text is not None:
            self._field, self._buf = ("line", self._text), []
        elif tag == "span" and a.get("class") in ("gd-unit", "gd-doubt"):  # display only
            self._skip += 1
        elif tag == "br" and a.get("class") == "gd-wrap" and self._field is not None:  # a wrapped line's break
            self._buf.append("\n")

    def _start_field(self, tag: str, a: dict[str, str]) -> None:
        key = a["data-field"]
        if not self._place(_pointer(key)):
            return
        if tag == "div":  # a text of lines
            self._text = key
            self.texts[key] = []
        elif "data-value" in a:
            self.fields[key] = a["data-value"]
        else:
            self._field, self._buf = ("field", key), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._skip:
            self._skip -= 1
        elif tag in ("td", "h1", "dd", "p") and self._field is not None:
            kind, key = self._field
            text = "".join(self._buf)
            if kind == "cell":
                self.cells[key] = text
            elif kind == "field":
                self.fields[key] = text
            elif key in self.texts:
                self.texts[key].append(text)
            self._field = None
        elif tag == "div":
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._field is not None and not self._skip:
            self._buf.append(data)
