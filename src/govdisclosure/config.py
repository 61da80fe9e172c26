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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([problem("GD-LOAD-BINARY", "", Label(f"不是 UTF-8 文本（第 {exc.start} 字节）",
                                                             f"not UTF-8 text (byte {exc.start})"))], path) from None
    try:
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            from .io.jsonio import load_yaml

            data = load_yaml(text, path, registry)
        else:
            from .io.toml import loads_toml

            data = loads_toml(text)
    except ValueError as exc:
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
            problems += [found for key, value in options.items() if key in declared
                         for found in _of_kind(f"/{code}/{key}", value, declared[key])]
    return problems


#: what a value must be, by the kind of the rule's own default
_KINDS: tuple[tuple[type | tuple[type, ...], Label], ...] = (
    (bool, Label("真或假（true/false）", "true or false")),
    ((int, float), Label("数字", "a number")),
    (str, Label("字符串", "a string")),
    ((list, tuple), Label("列表", "a list")),
    (dict, Label("表", "a table")),
)


def _of_kind(pointer: str, value: Any, default: Any) -> list[Finding]:
    """A problem if ``value`` is not of the kind of the option's default (a list for a word list, …)."""
    for kind, expected in _KINDS:
        if isinstance(default, kind):
            ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
            if ok and isinstance(default, (list, tuple)) and default and isinstance(default[0], str):
                ok = all(isinstance(v, str) for v in value)
                expected = Label("字符串列表", "a list of strings")
            return [] if ok else [problem("GD-LOAD-TYPE", pointer, expected, got=value)]
    return []
