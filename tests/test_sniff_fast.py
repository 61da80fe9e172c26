"""The loaders' sniffs, made cheap (each input read without a loader named is sniffed by each), answer as the
patterns they replace: checked against those, kept here, for any head."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.io.html import _sniff as html_sniff
from govdisclosure.io.jsonio import _yaml_sniff


def _yaml_before(head: str) -> bool:
    return re.search(r"^format_version:", head, re.M) is not None


def _html_before(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or head.startswith("<article")


_pieces = st.sampled_from(["format_version:", "format_version", "\n", "\r", "\r\n", "\u2028", " ", "\t", "<!DOCTYPE html",
                           "<!doctype HTML", "<html", "<HTML>", "<article", "<Article", "İ", "Σ", "ß", "报告", "x", ":",
                           "<", "\u3000"])
_heads = st.lists(_pieces | st.text(max_size=3), max_size=12).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_heads)
def test_the_yaml_sniff_is_its_pattern(head: str) -> None:
    assert _yaml_sniff(head) == _yaml_before(head)


@settings(max_examples=1000, deadline=None)
@given(_heads)
def test_the_html_sniff_is_its_old_test(head: str) -> None:
    assert html_sniff(head) == _html_before(head)


def test_the_sniffs_on_real_heads() -> None:
    assert _yaml_sniff("# a report\nformat_version: '2021'\n") and not _yaml_sniff("x format_version: 1")
    assert _yaml_sniff("format_version: '2019'") and not _yaml_sniff("\rformat_version: 1")
    assert html_sniff("\n  <!DOCTYPE HTML><html>") and html_sniff("<HTML lang=zh>") and not html_sniff("政府信息公开<html>")
