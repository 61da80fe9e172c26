"""The audit page as a supervisor sees it: opened in headless Chromium (Debian's, as tests/test_browser.py)."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from govdisclosure.audit import AgencyMap, Store, audit
from govdisclosure.audit.page import write_page

from .conftest import EXAMPLES
from .test_browser import _chromium, _flags

PROBE = r"""
<script>
(function () {
  const charts = {};
  for (const svg of document.querySelectorAll("svg.chart")) {
    const box = svg.getBoundingClientRect();
    const marks = svg.querySelectorAll("rect").length;
    const key = svg.dataset.chart;
    charts[key] = (charts[key] || 0) + (box.width > 100 && box.height > 10 && marks > 0 ? 1 : 0);
  }
  const out = document.createElement("pre");
  out.id = "gd-probe";
  out.textContent = JSON.stringify({
    charts,
    resources: performance.getEntriesByType("resource").map(e => e.name),
    links: [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href")),
    summary: document.getElementById("summary").innerText,
  });
  document.body.appendChild(out);
})();
</script>
"""


def test_the_audit_page_in_a_browser(tmp_path: Path) -> None:
    chromium = _chromium()
    db = tmp_path / "audit.sqlite"
    audit([str(EXAMPLES / "published"), str(EXAMPLES / "audit" / "constructed")], str(db), jobs=0,
          exclude=("*.md",), agencies=AgencyMap.read(str(EXAMPLES / "audit" / "agencies.csv")))
    page = tmp_path / "site" / "index.html"
    page.parent.mkdir()
    with Store(str(db)) as store:
        written = write_page(store, str(page), top=5)
    text = page.read_text(encoding="utf-8")
    # self-contained: no script, stylesheet, image or font fetched from anywhere
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", text, re.I)
    probed = tmp_path / "site" / "probed.html"
    probed.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    run = subprocess.run([chromium, *_flags(tmp_path), "--enable-logging=stderr", "--v=0", "--dump-dom",
                          probed.as_uri()], capture_output=True, text=True, timeout=120)
    start = run.stdout.find('<pre id="gd-probe">')
    assert start >= 0, run.stderr[-2000:]
    result = json.loads(html.unescape(run.stdout[start + len('<pre id="gd-probe">'):run.stdout.index("</pre>", start)]))
    assert "CONSOLE" not in run.stderr and "Uncaught" not in run.stderr
    assert result["resources"] == []
    assert result["charts"]["by-year"] == 1 and result["charts"]["by-level"] == 1
    assert result["charts"]["heatmap"] == 1
    assert result["charts"]["funnel"] >= 2  # the whole set and at least one level
    assert "10\n报告 / reports" in result["summary"]
    # every link resolves to a file this run wrote, and each is the report's own page with failing cells marked
    assert len(result["links"]) == 5
    pages = {Path(p).resolve() for p in written}
    for href in result["links"]:
        target = (page.parent / href).resolve()
        assert target in pages and target.exists()
    top = (page.parent / result["links"][0]).read_text(encoding="utf-8")
    assert 'class="gd-flag"' in top
    assert "平潭综合实验区" in text and "GD-T3-RESULTS-SUM" in text


def test_the_audit_pages_headings_and_notes_are_in_both_languages(tmp_path: Path) -> None:
    """The metrics table's headers, the funnel's bars and notes, and an unknown level were in Chinese only."""
    from html.parser import HTMLParser

    db = tmp_path / "audit.sqlite"
    audit([str(EXAMPLES / "published"), str(EXAMPLES / "audit" / "constructed")], str(db), jobs=0,
          exclude=("*.md",), agencies=AgencyMap.read(str(EXAMPLES / "audit" / "agencies.csv")))
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=1)

    class Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[tuple[str, str]] = []
            self.found: dict[str, list[str]] = {"th": [], "muted": [], "h3": []}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            kind = "muted" if tag == "p" and ("class", "muted") in attrs else tag
            self.stack.append((tag, kind))
            if kind in self.found:
                self.found[kind].append("")

        def handle_endtag(self, tag: str) -> None:
            while self.stack and self.stack.pop()[0] != tag:
                pass

        def handle_data(self, data: str) -> None:
            kinds = [k for _, k in self.stack if k in self.found]
            if kinds:
                self.found[kinds[-1]][-1] += data

    texts = Texts()
    texts.feed(page.read_text(encoding="utf-8"))
    english = re.compile(r"[A-Za-z]{2,}")
    chinese = re.compile(r"[\u4e00-\u9fff]")
    said = [t for kind in ("th", "muted", "h3") for t in texts.found[kind] if chinese.search(t)]
    assert len(said) > 20  # the metrics' headers, the funnel's notes, the levels' headings
    assert [t for t in said if not english.search(t)] == []
