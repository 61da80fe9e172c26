"""A user's options for the rules (thresholds, word lists), from a TOML or YAML file.

The file has one table per rule code; its keys are the options that rule declares
(``govdisclosure rules --output json`` lists them)::

    [GD-M-OVERVIEW-LENGTH]
    max_chars = 1200
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import LoadError, problem
from .findings import Finding
from .labels import Label
from .registry import Registry

__all__ = ["rules_config"]


def rules_config(path: str, registry: Registry) -> dict[str, dict[str, Any]]:
    """Options per rule code from a TOML or YAML file; a located LoadError for what is not."""
    data = _read(path, registry)
    problems = _check(data, registry)
    if problems:
        raise LoadError(problems, path)
    return data


def _read(path: str, registry: Registry) -> dict[str, Any]:
    from .io.source import read_source

    raw, _ = read_source(path)  # a missing or unreadable file: one line in both languages
    try:
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            from .io.jsonio import load_yaml

            data = load_yaml(raw.decode("utf-8-sig"), path, registry)
        else:
            from .io.toml import loads_toml

            data = loads_toml(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise LoadError([problem("GD-LOAD-SYNTAX", "", Label(f"规则配置文件语法错误：{exc}",
                                                             f"invalid rules configuration: {exc}"))], path) from None
    if not isinstance(data, dict):
        raise LoadError([problem("GD-LOAD-TYPE", "", Label("以规则代码为键的表", "tables keyed by rule code"))], path)
    return data


def _check(data: dict[str, Any], registry: Registry) -> list[Finding]:
    known = registry.rules
    problems = []
    for code, options in data.items():
        if code not in known:
            problems.append(problem("GD-LOAD-UNKNOWN", f"/{code}", Label(f"没有规则 {code}", f"no rule {code}")))
        elif not isinstance(options, dict):
            problems.append(problem("GD-LOAD-TYPE", f"/{code}", Label("选项表", "a table of options"), got=options))
        else:
            declared = known[code].options
            problems += [problem("GD-LOAD-UNKNOWN", f"/{code}/{key}",
                                 Label(f"规则 {code} 没有选项 {key}（可用：{'、'.join(declared) or '无'}）",
                                       f"rule {code} has no option {key} (it has: {', '.join(declared) or 'none'})"))
                         for key in options if key not in declared]
    return problems
