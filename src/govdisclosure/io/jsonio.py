"""Core's loaders (canonical JSON, and the same data as YAML) and the JSON renderer."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import LoadError, problem
from ..labels import Label
from ..plugins import hookimpl
from . import Loader, Renderer

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

SYNTAX = Label("语法错误", "syntax error")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            # a repeated key would silently drop one published value
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def load_json(text: str, source: str, registry: Registry) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise LoadError([problem("GD-LOAD-SYNTAX", "", Label(f"JSON 语法错误：{exc.msg}", f"invalid JSON: {exc.msg}"),
                                 line=exc.lineno, column=exc.colno)], source) from None
    except ValueError as exc:
        raise LoadError([problem("GD-LOAD-SYNTAX", "", Label(f"JSON 中有重复的键：{exc}", f"invalid JSON: {exc}"))],
                        source) from None


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML that keeps 186.50 and 2025-01-20 as strings, as in the canonical JSON."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, source: str, registry: Registry) -> Any:
    try:
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LoadError([problem("GD-LOAD-SYNTAX", "", Label(f"YAML 语法错误：{what}", f"invalid YAML: {what}"),
                                 line=mark.line + 1 if mark else None,
                                 column=mark.column + 1 if mark else None)], source) from None


def _yaml_sniff(head: str) -> bool:
    return re.search(r"^format_version:", head, re.M) is not None


def render_json(report: Report, /, **_: Any) -> str:
    from ..api import dump

    return dump(report)


@hookimpl
def register_loaders() -> list[Loader]:
    return [
        # our own formats are known by their first bytes (priority 5); YAML, which any text can resemble,
        # only after them, by a top-level format_version key
        Loader("json", Label("规范 JSON", "canonical JSON"), (".json",), load_json,
               sniff=lambda text: text.lstrip().startswith("{"), priority=5),
        Loader("yaml", Label("YAML（与规范 JSON 同构）", "YAML (the canonical JSON's data)"), (".yaml", ".yml"),
               load_yaml, sniff=_yaml_sniff),
    ]


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("json", Label("规范 JSON", "canonical JSON"), ".json", "application/json", render_json)]
