"""Writes docs/api.md, the reference of every public name: ``python tests/apidoc.py > docs/api.md``.

A test keeps the committed file in step with the code (tests/test_api.py).
"""

from __future__ import annotations

import enum
import functools
import inspect
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import attrs

import govdisclosure
import govdisclosure.errors
import govdisclosure.findings
import govdisclosure.formats
import govdisclosure.io
import govdisclosure.model
import govdisclosure.model.official
import govdisclosure.registry
import govdisclosure.rules
import govdisclosure.testing
import govdisclosure.testing.conformance
import govdisclosure.text

#: the modules a user imports, in the order a reader meets them
MODULES: tuple[ModuleType, ...] = (
    govdisclosure, govdisclosure.registry, govdisclosure.findings, govdisclosure.errors, govdisclosure.model,
    govdisclosure.formats, govdisclosure.rules, govdisclosure.io, govdisclosure.text, govdisclosure.testing,
    govdisclosure.testing.conformance,
)


def _first_line(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def signature(obj: Any, *, default: Callable[[Any], str] | None = None, method: bool = False) -> str:
    """The parameters by name, without annotations; defaults as ``default`` writes them (else ``…``:
    their values are in the docstrings and the code); ``method``: without the first (self, cls)."""
    try:
        params = list(inspect.signature(obj).parameters.values())[1 if method else 0:]
    except (TypeError, ValueError):
        return ""
    out: list[str] = []
    star = False
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            out.append(f"*{p.name}")
            star = True
        elif p.kind is p.VAR_KEYWORD:
            out.append(f"**{p.name}")
        else:
            if p.kind is p.KEYWORD_ONLY and not star:
                out.append("*")
                star = True
            shown = "" if p.default is p.empty else "=" + (default(p.default) if default else "…")
            out.append(p.name + shown)
    return "(" + ", ".join(out) + ")"


def _whole(obj: Any) -> str:
    """The docstring after its first paragraph, as indented text (the parameters, what is raised)."""
    rest = (inspect.getdoc(obj) or "").strip().split("\n\n")[1:]
    return "".join("\n\n  " + para.replace("\n", "\n  ") for para in rest)


def _type_name(annotation: Any) -> str:
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))


def _members(cls: type) -> list[str]:
    """What a caller uses of a class: an enum's values, an attrs class's fields, its public methods."""
    out: list[str] = []
    if issubclass(cls, enum.Enum):
        out.append("  - values: " + ", ".join(f"`{m.name}` = `{m.value!r}`" for m in cls))
    elif attrs.has(cls):
        written = {n: a for klass in reversed(cls.__mro__) for n, a in vars(klass).get("__annotations__", {}).items()}
        # as written in the source (another caller may have resolved the fields' types in place)
        out += [f"  - `{f.name}: {_type_name(written.get(f.name, f.type))}`" for f in attrs.fields(cls)
                if not f.name.startswith("_")]
    own = {n: v for klass in reversed(cls.__mro__) if klass.__module__.startswith("govdisclosure")
           for n, v in vars(klass).items()}
    for name, value in sorted(own.items()):
        if name.startswith("_") or (attrs.has(cls) and name in attrs.fields_dict(cls)):
            continue
        if isinstance(value, (property, functools.cached_property)):  # a property a reader sees either way
            out.append(f"  - `.{name}` (property) — {_first_line(value)}")
        elif isinstance(value, (classmethod, staticmethod)) or inspect.isfunction(value):
            func = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
            sig = signature(func)
            if not isinstance(value, staticmethod):
                sig = "(" + sig[1:].split(", ", 1)[1] if ", " in sig else "()"
            out.append(f"  - `.{name}{sig}` — {_first_line(func)}")
    return out


def _entry(module: ModuleType, name: str) -> str:
    obj = getattr(module, name)
    kind = "class" if inspect.isclass(obj) else "function" if inspect.isroutine(obj) else "data"
    sig = signature(obj) if kind == "function" else ""
    doc = _first_line(obj) if kind != "data" else f"`{obj!r}`" if len(repr(obj)) < 100 else f"`{type(obj).__name__}`"
    line = f"- **`{name}{sig}`** ({kind}) — {doc}"
    if kind == "function" and module is govdisclosure:  # the functions most callers use: all their doc
        line += _whole(obj)
    if kind == "class" and obj.__module__ != "govdisclosure.model.official":
        line += "".join("\n" + m for m in _members(obj))
    return line


def render() -> str:
    lines = ["# API reference / 接口参考", "",
             "Generated by `python tests/apidoc.py > docs/api.md` from the public names (`__all__`) of each module; "
             "do not edit. Every public name is listed with its one-line doc; a class with its fields, "
             "values and public methods; the top-level functions with their whole doc (parameters, what they "
             "raise). `help(govdisclosure)` shows the same. Every exception is a `GovDisclosureError`: "
             "reading raises `LoadError` (its `findings` say where and why), rendering `RenderError`, a plugin's "
             "failure `PluginError`, an unknown format or renderer name `UnknownFormatError`.", "",
             "模块的公开名称及其说明，由代码生成：类列出字段、取值和公开方法；顶层函数给出完整说明。"
             "所有异常都是 `GovDisclosureError`：读取失败为 `LoadError`（其 `findings` 指明位置和原因）。", ""]
    for module in MODULES:
        lines += [f"## `{module.__name__}`", "", _first_line(module), ""]
        lines += [_entry(module, name) for name in sorted(getattr(module, "__all__", ()))]
        lines.append("")
    official = govdisclosure.model.official
    lines += [f"## `{official.__name__}`", "", _first_line(official), "",
              "Generated classes (one per table, group and row shape of each official format): "
              + ", ".join(f"`{n}`" for n in sorted(official.__all__)) + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
