"""The document rules' faster paths (issue 12) give what their plain definitions give."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.text import normalize
from govdisclosure.text.sentences import _ZERO_WIDTHS, _has_zero_width

# report words, every width of punctuation, the zero widths, every kind of space, and any character
chars = st.one_of(st.sampled_from(list("政府信息公开报告，、（）《》：；。 　\t\n\r\x85\u2028０１2３A") + list(_ZERO_WIDTHS)),
                  st.characters())


def _plain_normalize(text: str) -> str:
    """normalize as defined: NFKC, every Unicode space and the zero widths out."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return "".join(c for c in folded if c not in _ZERO_WIDTHS)


@settings(max_examples=400, deadline=None)
@given(st.text(chars, max_size=40))
def test_zero_width_check_and_normalize_match_their_definitions(text: str) -> None:
    assert _has_zero_width(text) == any(c in text for c in _ZERO_WIDTHS)
    assert normalize(text) == _plain_normalize(text)


def test_each_zero_width_is_seen_alone_and_inside_words() -> None:
    for c in _ZERO_WIDTHS:
        assert _has_zero_width(c) and _has_zero_width(f"政府{c}信息")
        assert normalize(f"政府{c} 信息") == "政府信息"
    assert not _has_zero_width("政府信息公开 \u3000\t")
