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
