"""What a reader sees: the HTML rendering opened in headless Chromium (Debian's, installed by .ci/run).

The page under test is the renderer's output plus a probe script appended by this test (never by
the renderer): it measures every value cell against its row and column headers and writes the
verdicts into the DOM, which Chromium dumps.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import govdisclosure as gd

from .conftest import EXAMPLES

PROBE = r"""
<script>
(function () {
  const expect = JSON.parse(document.getElementById("gd-expect").textContent);
  const errors = [];
  let checked = 0;
  const near = (a, b) => Math.abs(a - b) <= 1.5;
  const inside = (x, lo, hi) => x >= lo - 0.5 && x <= hi + 0.5;
  for (const table of document.querySelectorAll("table.gd-table")) {
    const ths = [...table.querySelectorAll("th")].map(th => [th.textContent, th.getBoundingClientRect()]);
    const transposed = table.dataset.table === "review_litigation";
    for (const td of table.querySelectorAll("td[data-cell]")) {
      const want = expect.cells[td.dataset.cell];
      const r = td.getBoundingClientRect(), cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
      const col = ths.some(([t, h]) => t === want.column && inside(cx, h.left, h.right) && h.bottom <= r.top + 0.5);
      const row = ths.some(([t, h]) => t === want.row && (transposed
          ? inside(cx, h.left, h.right) && h.bottom <= r.top + 0.5
          : inside(cy, h.top, h.bottom) && h.right <= r.left + 0.5));
      if (!col) errors.push("column header of " + td.dataset.cell);
      if (!row) errors.push("row header of " + td.dataset.cell);
      if (td.textContent !== want.text) errors.push("text of " + td.dataset.cell + ": " + td.textContent);
      checked++;
    }
  }
  // 法人或其他组织 spans exactly its five columns
  const t3 = document.querySelector('table[data-table="requests"]');
  const group = [...t3.querySelectorAll("th")].find(th => th.textContent === "法人或其他组织").getBoundingClientRect();
  const five = expect.legal_person.map(l => [...t3.querySelectorAll("th")].find(th => th.textContent === l)
                                                 .getBoundingClientRect());
  if (!near(group.left, Math.min(...five.map(b => b.left))) || !near(group.right, Math.max(...five.map(b => b.right))))
    errors.push("法人或其他组织 does not span its five columns");
  const out = document.createElement("pre");
  out.id = "gd-probe";
  out.textContent = JSON.stringify({errors, checked, pwned: document.body.getAttribute("data-pwned"),
                                    title: (document.querySelector("h1") || {}).textContent});
  document.body.appendChild(out);
})();
</script>
"""

EVIL = ("<script>document.body.setAttribute('data-pwned','script')</script>"
        "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">")


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def _flags(tmp_path: Path) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000"]


def _expectations(report: gd.Report) -> dict:
    def shown(pointer: str, value: object) -> str:  # the value, and the unit as published
        prov = report.provenance.get(pointer)
        return ("" if value is None else str(value)) + (prov.unit if prov is not None and prov.unit else "")

    cells = {c.pointer: {"row": c.row.label.zh, "column": c.column.label.zh, "text": shown(c.pointer, v)}
             for c, v in report.cells()}
    legal = [c.label.zh for c in report.spec.table("requests").blocks[0].columns if c.group]
    return {"cells": cells, "legal_person": legal}


@pytest.mark.parametrize("name", ["huaian-city-2024", "pingtan-2020"])
def test_what_a_reader_sees(tmp_path: Path, name: str) -> None:
    chromium = _chromium()
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    data["title"] = "标题" + EVIL
    data["parts"]["overview"] = EVIL + "\n" + data["parts"]["overview"]
    data["requests"]["granted"]["research"] = None  # a blank cell shows as blank
    report = gd.from_data(data)
    page = gd.render(report, "html", findings=gd.validate(report))
    expect = json.dumps(_expectations(report), ensure_ascii=False).replace("</", "<\\/")
    probe = f'<script type="application/json" id="gd-expect">{expect}</script>{PROBE}'
    path = tmp_path / f"{name}.html"
    path.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    run = subprocess.run([chromium, *_flags(tmp_path), "--dump-dom", path.as_uri()],
                         capture_output=True, text=True, timeout=120)
    start = run.stdout.find('<pre id="gd-probe">')
    assert start >= 0, run.stderr[-2000:]
    result = json.loads(html.unescape(run.stdout[start + len('<pre id="gd-probe">'):run.stdout.index("</pre>", start)]))
    assert result["errors"] == []
    assert result["checked"] == len(list(report.spec.cells()))
    assert result["pwned"] is None  # the script and the onerror in the text fields did not run
    assert result["title"] == "标题" + EVIL  # shown as text, verbatim
    shot = tmp_path / f"{name}.png"
    subprocess.run([chromium, *_flags(tmp_path), "--window-size=1100,2600", f"--screenshot={shot}",
                    path.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
