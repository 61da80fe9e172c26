"""Renders per second: HTML and Markdown over a few thousand reports, against a Jinja2 baseline.

    pip install '.[bench]' && python bench/bench_render.py [--reports 3000]

The baseline is a plain Jinja2 template of the same page (same layout lines and slots from
io/layout.py, same escaping, same envelope and parts), compiled once, fed the same reports:
what a careful hand-written renderer would cost.  Figures go to the closing note; nothing here
is asserted.
"""

from __future__ import annotations

import argparse
import random
import time

import jinja2

import govdisclosure as gd
from govdisclosure.io.layout import table_layout
from govdisclosure.testing import balanced_data

PAGE = jinja2.Template("""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><article class="gd-report" data-format-version="{{ spec.version }}">
<h1>{{ report.title or '' }}</h1><dl class="gd-meta"><dt>报告年度</dt><dd>{{ report.year }}</dd>
<dt>机关名称</dt><dd>{{ report.agency.name or '' }}</dd></dl>
{% for part in spec.parts %}<section class="gd-part"><h2>{{ part.heading.zh }}</h2>
{% if part.is_table %}<table class="gd-table">{% for line in layouts[part.id] %}<tr>
{% for slot in line.slots %}{% if slot.kind == 'value' %}<td colspan="{{ slot.colspan }}" data-cell="{{ slot.cell.pointer }}">
{{- values[slot.cell.pointer] if values[slot.cell.pointer] is not none else '' }}</td>
{% else %}<th class="gd-{{ slot.kind }}" colspan="{{ slot.colspan }}" rowspan="{{ slot.rowspan }}">{{ slot.label.zh }}</th>
{% endif %}{% endfor %}</tr>{% endfor %}</table>
{% else %}{% for line in (texts[part.id] or '').split('\\n') %}<p>{{ line }}</p>{% endfor %}{% endif %}
</section>{% endfor %}</article></body></html>""", autoescape=True)


def baseline(report: gd.Report) -> str:
    spec = report.spec
    layouts = {t.id: table_layout(spec, t.id) for t in spec.tables}
    texts = {"overview": report.parts.overview, "problems": report.parts.problems, "other": report.parts.other}
    values = {c.pointer: v for c, v in report.cells()}
    return PAGE.render(report=report, spec=spec, layouts=layouts, texts=texts, values=values,
                       title=report.title or "")


def timed(fn, reports) -> float:
    start = time.perf_counter()
    for r in reports:
        fn(r)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    reg = gd.Registry.default()
    specs = [reg.format(v) for v in reg.formats]
    reports = [gd.from_data(balanced_data(specs[i % 2], rng.randint)) for i in range(args.reports)]
    for r in reports[:20]:  # warm the per-format templates
        gd.render(r, "html"), gd.render(r, "markdown"), baseline(r)
    n = len(reports)
    rows = [("govdisclosure html", timed(lambda r: gd.render(r, "html"), reports)),
            ("govdisclosure html --findings", timed(lambda r: gd.render(r, "html", findings=gd.validate(r)),
                                                    reports)),
            ("govdisclosure markdown", timed(lambda r: gd.render(r, "markdown"), reports)),
            ("govdisclosure csv (tidy)", timed(lambda r: gd.render(r, "csv"), reports)),
            ("baseline: Jinja2 template, same page", timed(baseline, reports))]
    base = rows[-1][1]
    print(f"reports: {n} (seed {args.seed}; both formats)")
    for name, seconds in rows:
        print(f"{name:40s} {n / seconds:9.0f} reports/s   {base / seconds:5.1f}x the Jinja2 baseline")


if __name__ == "__main__":
    main()
