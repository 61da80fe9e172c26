"""The published JSON Schema (draft 2020-12), generated from the declaration and the envelope.

Never edit ``schemas/*.json`` by hand: ``govdisclosure schema --format-version V`` writes them,
and a test fails when the committed files differ from what this module generates.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from .findings import Severity
from .formats.spec import Block, FormatSpec, Node, Row
from .model import DOC, FORMAT_VERSION_DOC, VARIANT_DOC, Report
from .model.scalars import CELL_TYPES, SCALARS
from .rules.types import CODE

__all__ = ["findings_schema", "generate_schema", "schema_id"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(spec: FormatSpec) -> str:
    return f"urn:govdisclosure:schema:report-{spec.version}" + (f"-{spec.variant}" if spec.variant else "")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    if "type" in out:
        out["type"] = [out["type"], "null"]
    elif "enum" in out:
        out["enum"] = [*out["enum"], None]
    else:
        out = {"anyOf": [schema, {"type": "null"}]}
    return out


def _doc(meta: Any) -> dict[str, str]:
    label = meta.get(DOC) if meta else None
    return {"title": label.zh, "description": label.en} if label else {}


def _for_type(tp: Any, defs: dict[str, Any], provenance_keys: list[str]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _nullable(_for_type(args[0], defs, provenance_keys))
    if tp in SCALARS:
        return dict(SCALARS[tp].schema)
    if origin is dict:  # provenance: keyed by cell pointers, each entry saying something
        value = _for_type(typing.get_args(tp)[1], defs, provenance_keys)
        return {"type": "object", "propertyNames": {"enum": provenance_keys},
                "additionalProperties": {"allOf": [value], "minProperties": 1}}
    if attrs.has(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserve first: a recursive class must not loop
            defs[name] = _object(tp, defs, provenance_keys)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")


def _object(cls: type, defs: dict[str, Any], provenance_keys: list[str]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props = {f.name: _for_type(hints[f.name], defs, provenance_keys) | _doc(f.metadata) for f in attrs.fields(cls)}
    required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        out["required"] = required
    return out


def _rows(nodes: tuple[Node, ...], row_ref: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for node in nodes:
        if isinstance(node, Row):
            props[node.id] = row_ref | {"title": node.label.zh, "description": node.label.en}
        elif node.id is None:
            props.update(_rows(node.children, row_ref))
        else:
            sub = _rows(node.children, row_ref)
            props[node.id] = {"type": "object", "title": node.label.zh, "description": node.label.en,
                              "additionalProperties": False, "required": list(sub), "properties": sub}
    return props


def _row_def(block: Block) -> dict[str, Any]:
    cells = {c.id: _nullable(SCALARS[CELL_TYPES[c.kind]].schema) | {"title": c.label.zh, "description": c.label.en}
             for c in block.columns}
    return {"type": "object", "additionalProperties": False, "required": list(cells), "properties": cells}


def generate_schema(spec: FormatSpec) -> dict[str, Any]:
    """The JSON Schema of a report in a resolved format."""
    defs: dict[str, Any] = {}
    provenance_keys = [c.pointer for c in spec.cells()]
    envelope = _object(Report, defs, provenance_keys)
    props: dict[str, Any] = {"format_version": {"const": spec.version, "title": FORMAT_VERSION_DOC.zh,
                                                "description": FORMAT_VERSION_DOC.en}}
    for name, prop in envelope["properties"].items():
        props[name] = prop
        if name == "published_on":
            props["variant"] = {"const": spec.variant, "title": VARIANT_DOC.zh, "description": VARIANT_DOC.en}
    for table in spec.tables:
        table_props: dict[str, Any] = {}
        for i, block in enumerate(table.blocks):
            def_name = f"{table.id}_row" + (f"_{i + 1}" if len(table.blocks) > 1 else "")
            defs[def_name] = _row_def(block)
            table_props.update(_rows(block.rows, {"$ref": f"#/$defs/{def_name}"}))
        props[table.id] = {"type": "object", "title": table.label.zh, "description": table.label.en,
                           "additionalProperties": False, "required": list(table_props), "properties": table_props}
    return {
        "$schema": DRAFT,
        "$id": schema_id(spec),
        "title": f"政府信息公开工作年度报告（{spec.label.zh}）",
        "description": f"Government information disclosure annual report, {spec.label.en}"
                       + (f", variant {spec.variant}" if spec.variant else "") + f" ({spec.notice}).",
        "type": "object",
        "additionalProperties": False,
        "required": ["format_version", *envelope.get("required", []), *(t.id for t in spec.tables)],
        "properties": props,
        "$defs": dict(sorted(defs.items())),
    }



def findings_schema() -> dict[str, Any]:
    """The JSON Schema of ``govdisclosure validate --output json``: a list of findings, each as
    :meth:`govdisclosure.findings.Finding.to_dict` writes it."""
    severities = [s.value for s in Severity]
    text = {"type": "string"}
    finding = {
        "type": "object",
        "additionalProperties": False,
        "required": ["file", "code", "severity", "pointer", "line", "pointers", "labels", "params", "message"],
        "properties": {
            "file": {"type": ["string", "null"], "title": "文件", "description": "The input the finding is about"},
            "code": {"type": "string", "pattern": CODE.pattern, "title": "规则代码",
                     "description": "The rule's stable code (GD-… core's; plugins their own prefix)"},
            "severity": {"enum": severities, "title": "严重程度",
                         "description": "fatal: not a report; error; warning; info"},
            "pointer": {"type": "string", "title": "位置",
                        "description": "RFC 6901 JSON pointer of the main cell or field ('' for the whole report)"},
            "line": {"type": ["integer", "null"], "minimum": 1, "title": "行",
                     "description": "Line in the source, when known"},
            "column": {"type": "integer", "minimum": 1, "title": "列", "description": "Column in the source"},
            "page": {"type": "integer", "minimum": 1, "title": "页", "description": "Page of a PDF source"},
            "pointers": {"type": "array", "items": text, "title": "涉及的单元格", "description": "Every cell involved"},
            "labels": {"type": "array", "items": text, "title": "官方标签",
                       "description": "The official labels of the pointers, same order (row · column)"},
            "params": {"type": "object", "title": "参数",
                       "description": "The numbers and names the message was made from (both sides of a sum, …)"},
            "message": {"type": "object", "additionalProperties": False, "required": ["zh", "en"],
                        "properties": {"zh": text, "en": text}, "title": "说明",
                        "description": "The message in Chinese and English"},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": "urn:govdisclosure:schema:findings",
        "title": "政府信息公开工作年度报告的校验结果",
        "description": "Findings of govdisclosure validate --output json: what the rules, the loaders and the parser "
                       "say about each input.",
        "type": "array",
        "items": finding,
    }
