"""A tool builder's script, checked by ``mypy --strict`` in CI: every cell of tables 2-4 of a
2021 report is typed, and nothing of the model leaks ``Any`` into it.

Run it: ``python tests/typing/walk_tables.py examples/huaian-city-2024.json``.
"""

from __future__ import annotations

import sys
from decimal import Decimal

import govdisclosure as gd
from govdisclosure.model.official import Applicants2021, Documents2021, Outcomes2021


def share_granted(row: Applicants2021) -> float | None:
    """Granted share of a row of table 3, or None when a cell is blank (blank is not zero)."""
    if row.total is None or row.total == 0:
        return None
    return row.total / row.total


def documents(row: Documents2021) -> str:
    issued: int | None = row.issued
    in_force: int | None = row.in_force
    return f"issued {issued}, in force {in_force}"


def outcomes(row: Outcomes2021) -> int | None:
    parts = [row.upheld, row.corrected, row.other, row.pending]
    if any(p is None for p in parts):
        return None
    return sum(p for p in parts if p is not None)


def walk(report: gd.Report) -> list[str]:
    lines: list[str] = []
    if not isinstance(report, gd.Report2021):
        return [f"not a 2021-format report: {report.format_version}"]
    proactive = report.proactive
    lines.append(documents(proactive.rules))
    lines.append(documents(proactive.normative_documents))
    decisions: int | None = proactive.licensing.decisions
    amount: Decimal | None = proactive.fees.amount
    lines.append(f"licensing {decisions}, fees {amount}")
    requests = report.requests
    secret: int | None = requests.withheld.state_secret.natural_person
    lines.append(f"state secret (natural persons): {secret}")
    for row in (requests.received, requests.carried_over, requests.granted, requests.total, requests.other.fee_unpaid):
        lines.append(f"{row.total} {share_granted(row)}")
    review = report.review_litigation
    lines.append(f"review {outcomes(review.review)}, litigation {outcomes(review.litigation_direct)}")
    for cell, value in report.cells("requests"):
        pointer: str = cell.pointer
        if value is not None:
            lines.append(f"{pointer}={value}")
    filled = report.with_cells({"/requests/received/natural_person": 0})
    still_2021: gd.Report2021 = filled  # with_cells keeps the class
    lines.append(f"received after a change {still_2021.requests.received.natural_person}")
    for finding in gd.validate(report):
        code: str = finding.code
        lines.append(f"{code} {finding.severity.value} {finding.text('en')}")
    return lines


def main(argv: list[str]) -> int:
    result: gd.LoadResult = gd.read(argv[1])
    for line in walk(result.report):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
