"""govdisclosure: China's government-information-disclosure annual reports (政府信息公开工作年度报告).

The public API::

    import govdisclosure as gd
    report = gd.load("report.json")          # JSON or YAML; LoadError names file and place
    for finding in gd.validate(report):      # every installed rule
        print(finding.code, finding.pointer, finding.text("en"))
    print(gd.dump(report))                   # canonical JSON
"""

from .api import dump, fill_totals, from_data, load, loads, new_report, render, to_data, validate
from .errors import LoadError, Problem
from .findings import Finding, Severity
from .model import Report
from .plugins.manager import get_registry
from .schema import generate_schema


def schema(format_version: str, variant: str | None = None) -> dict:
    """The JSON Schema of a format version (and variant), as a dict."""
    return generate_schema(get_registry().format(format_version, variant))


__all__ = ["Finding", "LoadError", "Problem", "Report", "Severity", "dump", "fill_totals", "from_data",
           "get_registry", "load", "loads", "new_report", "render", "schema", "to_data", "validate"]
