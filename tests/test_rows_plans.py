"""The rows stage's per-format plans (``rows._plan``) stay bounded in a process that makes a new format for each
report (a registry made per report, with a variant: review 15 #2), and a plan is the one its format gives."""

from __future__ import annotations

import attrs

import govdisclosure as gd
from govdisclosure.ingest import rows


def test_plans_of_many_formats_stay_bounded() -> None:
    reg = gd.Registry.core()
    bases = tuple(reg.format(v) for v in reg.formats)
    first = rows._plan(bases[0], bases)
    for _ in range(3 * rows._MAX_PLANS):
        rows._plan(attrs.evolve(bases[-1]), bases)  # an equal format, another object: a variant resolved anew
    assert len(rows._plans(bases)[1]) <= rows._MAX_PLANS
    again = rows._plan(bases[0], bases)
    assert again == first  # made again after the entries were emptied, the same
