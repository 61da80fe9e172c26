"""The parser's shortcuts in its decode and regions stages answer as what they replace: ``sniff`` without a ``Path``
for a name with no dot, and ``_merged`` for ``heapq.merge`` (checked here on many inputs, pure and compiled)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.ingest.decode import sniff
from govdisclosure.ingest.regions import _merged

_name_pieces = st.sampled_from([".", "..", "/", "\\", ".pdf", ".PDF", ".html", ".htm", ".md", ".markdown", ".txt",
                                "<text>", "report", "报告", " ", "a.b/", "pdf", "html", "~"])
_names = st.lists(_name_pieces | st.text(max_size=4), max_size=6).map("".join)
_data = st.sampled_from(["", "报告", "<html><body>", "%PDF-1.7", b"%PDF-1.4", b"<p>x</p>", b"plain"])


@settings(max_examples=1500, deadline=None)
@given(_names, _data)
def test_sniff_reads_a_suffix_as_path_does(name: str, data: bytes | str) -> None:
    """``sniff`` reads a name's suffix through ``Path`` only where the name holds a dot: ``Path`` finds none in a
    name without one, and such a name's kind is then the data's, as for any name with no known suffix."""
    dotless = name.replace(".", "")
    assert Path(dotless).suffix == ""
    assert sniff(dotless, data) == sniff("<text>", data)
    if Path(name).suffix.lower() in (".pdf", ".html", ".htm", ".md", ".markdown"):
        assert sniff(name, data) == {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown",
                                     ".markdown": "markdown"}[Path(name).suffix.lower()]
    else:
        assert sniff(name, data) == sniff("<text>", data)


def test_sniff_on_names_seen() -> None:
    assert [sniff(n, "x") for n in ("<text>", "a.PDF", "b.htm", "c.markdown", "dir.pdf/report", "noext", ".pdf")] == [
        "text", "pdf", "html", "markdown", "text", "text", "text"]


_items = st.lists(st.tuples(st.integers(0, 6), st.booleans()), max_size=6).map(sorted)


class _Asked:
    """A stream that records when each of its items is asked for (merge's laziness is part of what it does)."""

    def __init__(self, name: str, items: list[tuple[int, bool]], log: list[str]) -> None:
        self.name, self.items, self.log = name, iter(items), log

    def __iter__(self) -> Iterator[tuple[int, bool]]:
        return self

    def __next__(self) -> tuple[int, bool]:
        self.log.append(self.name)
        return next(self.items)


@settings(max_examples=1500, deadline=None)
@given(_items, _items, st.integers(0, 13))
def test_merged_is_heapq_merge_and_as_lazy(first: list[tuple[int, bool]], second: list[tuple[int, bool]],
                                           taken: int) -> None:
    ours: list[str] = []
    theirs: list[str] = []
    got = list(zip(_merged(_Asked("a", first, ours), _Asked("b", second, ours)), range(taken), strict=False))
    want = list(zip(heapq.merge(_Asked("a", first, theirs), _Asked("b", second, theirs)), range(taken), strict=False))
    assert got == want
    assert ours == theirs  # each stream asked as often, in the same order, for as many items taken
    assert list(_merged(iter(first), iter(second))) == sorted(first + second)
