"""A user's options for the rules (thresholds, word lists), from a TOML, YAML or JSON file.

The file has one table per rule code; its keys are the options that rule declares
(``govdisclosure rules --output json`` lists them)::

    [GD-M-OVERVIEW-LENGTH]
    max_chars = 1200
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import LoadError, problem, undecodable
from .labels import Label
from .registry import Registry
from .rules.options import check_options

__all__ = ["rules_config"]


def rules_config(path: str, registry: Registry) -> dict[str, dict[str, Any]]:
    """Options per rule code from a TOML, YAML (.yaml, .yml) or JSON (.json) file; a located
    LoadError for what is not."""
    data = _read(path, registry)
    problems = check_options(data, registry)
    if problems:
        raise LoadError(problems, path)
    return data


def _read(path: str, registry: Registry) -> dict[str, Any]:
    from .io.source import read_source, unicode_text

    raw, _ = read_source(path)  # a missing or unreadable file: one line in both languages
    unicode = unicode_text(raw, path)
    try:
        text = unicode if isinstance(unicode, str) else unicode.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError([undecodable(exc)], path) from None
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        from .io.jsonio import read_yaml

        data = _floats(read_yaml(text, path))  # its syntax errors are located LoadErrors already
    elif suffix == ".json":
        from .io.jsonio import read_json

        data = _floats(read_json(text, path))
    else:
        from .io.toml import loads_toml, toml_error

        try:
            data = loads_toml(text)
        except ValueError as exc:
            zh, en, line, column = toml_error(exc)
            if _is_yaml(text, path):
                zh, en = zh + "（内容似为 YAML：请用 .yaml 扩展名）", en + " (it reads as YAML: name the file .yaml)"
            raise LoadError([problem("GD-LOAD-SYNTAX", "", Label(f"规则配置文件（TOML）语法错误：{zh}",
                                                                 f"invalid rules configuration (TOML): {en}"),
                                     line=line, column=column)], path) from None
    if not isinstance(data, dict):
        raise LoadError([problem("GD-LOAD-TYPE", "", Label("以规则代码为键的表", "tables keyed by rule code"))], path)
    return data


def _is_yaml(text: str, path: str) -> bool:
    from .io.jsonio import read_yaml

    try:
        return isinstance(read_yaml(text, path), dict)
    except LoadError:
        return False


def _floats(data: Any) -> Any:
    """The exact decimals our JSON and YAML readers give, as the floats TOML gives."""
    if isinstance(data, dict):
        return {k: _floats(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_floats(v) for v in data]
    return float(data) if isinstance(data, Decimal) else data
