"""Core's loaders and renderers of the canonical data: JSON, and the same data as YAML.

Both readers are strict and bounded (:mod:`.limits` holds the limits): a repeated key is refused,
not resolved by the last one; a number is read as written (a JSON number as an exact decimal, a
YAML scalar by the YAML 1.2 core schema: ``010`` is ten, ``1:20`` and ``0b11`` are text, never 80
or 3); YAML aliases and tags are refused; size, nesting and the length of a number are limited,
and no number is converted beyond them.  Every problem is located (line, column) and worded in
both languages.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import LoadError, problem, quote
from ..findings import Finding, Severity
from ..formats.spec import escape_pointer
from ..labels import Label
from ..model.convert import plain_report
from ..plugins import hookimpl
from ..rules.types import Rule
from . import Loader, LoadResult, Renderer, RenderOptions
from .source import LIMITS, Positions, check_size, line_index, structure, too_deep

if TYPE_CHECKING:
    import yaml  # imported where YAML is read or written: ~10 ms a start that reads JSON or text

    from ..formats.spec import FormatSpec
    from ..model import Report
    from ..registry import Registry

__all__ = ["Number", "dump_yaml", "json_positions", "load_json", "read_json", "read_yaml"]

YAML_KIND = Label("YAML 报告", "a YAML report")


class Number(str):
    """A number too long to convert (more than ``LIMITS.number_chars`` characters), or NaN/Infinity:
    kept as its text so that the check of the field it is in refuses it with its place."""

    def __repr__(self) -> str:
        return (f"<a number of {len(self)} characters>" if len(self) > LIMITS.number_chars
                else f"<{str.__str__(self)}: not a JSON number>")


def _syntax(zh: str, en: str, source: str, line: int | None = None, column: int | None = None,
            code: str = "GD-LOAD-SYNTAX") -> LoadError:
    return LoadError([problem(code, "", Label(zh, en), line=line, column=column)], source)


# ----------------------------------------------------------------------------- JSON

#: what the standard library's JSON reader says, in Chinese (matched at the start of its message)
_JSON_WORDS: tuple[tuple[str, str], ...] = (
    ("Expecting value", "此处应有一个值（字符串、数字、true、false、null、对象或数组）"),
    ("Expecting property name enclosed in double quotes", "此处应有用双引号括起的键名（最后一项后不能有逗号）"),
    ("Expecting ':' delimiter", "键名后应有冒号“:”"),
    ("Expecting ',' delimiter", "两项之间应有逗号“,”"),
    ("Unterminated string starting at", "字符串没有结束的双引号"),
    ("Invalid control character", "字符串中有未转义的控制字符（换行须写成 \\n）"),
    ("Invalid \\escape", "字符串中有无效的转义（反斜杠须写成 \\\\）"),
    ("Invalid \\uXXXX escape", "字符串中有无效的 \\uXXXX 转义"),
    ("Extra data", "JSON 值结束后还有多余的内容"),
    ("Illegal trailing comma", "最后一项后不能有逗号"),
)


def _json_words(msg: str) -> str:
    return next((zh for en, zh in _JSON_WORDS if msg.startswith(en)), msg)


def _number(text: str, convert: Callable[[str], Any]) -> Any:
    return convert(text) if len(text) <= LIMITS.number_chars else Number(text)


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # a repeated key would silently drop one published value
        raise _Duplicate
    return out


#: this module's patterns are strings, compiled (and kept) by ``re`` when first used: a JSON or YAML text read, a YAML
#: one written (a parse or a start that writes JSON uses none of them: ~1 M instructions each, compiled for nothing)
_BRACKETS = r'"[^"\\]*(?:\\.[^"\\]*)*"?|([\[{])|[\]}]'  # re.S
_LONG_NUMBER = rf"-?[0-9]{{{LIMITS.number_chars + 1},}}"


def depth(data: Any, limit: int = LIMITS.depth) -> int:
    """How deep objects and arrays nest in ``data`` (1 for a flat object), counted up to ``limit + 1``:
    level by level, without recursion."""
    level, current = 1, [data]
    while True:
        below = [v for node in current for v in (node.values() if type(node) is dict else node)
                 if type(v) is dict or type(v) is list]
        if not below or level > limit:
            return level
        level, current = level + 1, below


def _too_deep_at(text: str, source: str) -> LoadError:
    """Where the nesting of a text known to nest too deep first goes beyond the limit."""
    level = 0
    for m in re.finditer(_BRACKETS, text, re.S):
        if m.group(1):
            level += 1
            if level > LIMITS.depth:
                return too_deep(source, *line_index(text)(m.start()))
        elif m.group(0)[0] != '"':
            level -= 1
    return too_deep(source, 1, 1)


def _too_long(text: str, source: str) -> LoadError:
    """The first number too long to convert, with its place and the field it is in."""
    m = re.search(_LONG_NUMBER, text)
    at = m.start() if m else 0
    pointer = next((member.pointer for member in _members(text) if member.value_at == at), "")
    return LoadError([problem("GD-LOAD-TYPE", pointer, Label(
        f"最多 {LIMITS.digits} 位的数字", f"a number of at most {LIMITS.digits} digits"),
        got=Number(m.group(0) if m else ""), line=line_index(text)(at)[0], column=line_index(text)(at)[1])], source)


def read_json(text: str, source: str) -> Any:
    """The data of a JSON text: numbers exact (a number with a point or an exponent is a Decimal),
    a repeated key, NaN, a number too long or nesting beyond the limit refused with its place."""
    data = _decoded(text, source)
    if depth(data) > LIMITS.depth:
        raise _too_deep_at(text, source)
    return data


def _decoded(text: str, source: str) -> Any:
    """:func:`read_json` but for the limit of nesting."""
    check_size(text, source)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_float=lambda s: _number(s, Decimal),
                          parse_constant=Number)
    except json.JSONDecodeError as exc:
        raise _syntax(f"JSON 语法错误：{_json_words(exc.msg)}", f"invalid JSON: {exc.msg}", source,
                      exc.lineno, exc.colno) from None
    except _Duplicate:
        key, line, column = _first_duplicate(text)
        raise _syntax(f"JSON 中有重复的键 {quote(key)}（每个字段只能写一次）",
                      f"invalid JSON: the key {quote(key)} is repeated (each field is written once)", source,
                      line, column) from None
    except RecursionError:  # nesting the reader itself cannot follow
        raise _too_deep_at(text, source) from None
    except ValueError:  # an integer longer than Python converts (4,300 digits); a shorter one is a plain int
        raise _too_long(text, source) from None
    return data


_TOKEN = r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+'  # re.S


class _Member(NamedTuple):
    pointer: str
    name: str  #: its key, or its index in an array
    at: int  #: where its key starts (its value, in an array)
    value_at: int
    repeat: bool  #: a key given before in the same object


def _members(text: str) -> Iterator[_Member]:
    """Every value of a valid JSON text, with its place."""
    stack: list[tuple[str, set[str] | None, list[int]]] = []  # (pointer, keys seen or None for an array, [index])
    key: str | None = None
    key_at = 0
    expect_key = False
    for m in re.finditer(_TOKEN, text, re.S):
        tok = m.group(0)
        if tok in ",:":
            if tok == "," and stack:
                expect_key = stack[-1][1] is not None
                stack[-1][2][0] += 1
            continue
        if tok in "]}":
            stack.pop()
            continue
        if expect_key:
            key, key_at = json.loads(tok), m.start()
            expect_key = False
            continue
        pointer, keys, index = stack[-1] if stack else ("", None, [0])
        if stack:
            name = key if keys is not None else str(index[0])
            child = f"{pointer}/{escape_pointer(name or '')}"
            repeat = keys is not None and name in keys
            if keys is not None:
                keys.add(name or "")
            yield _Member(child, name or "", key_at if keys is not None else m.start(), m.start(), repeat)
        else:
            child = ""
        if tok in "[{":
            stack.append((child, set() if tok == "{" else None, [0]))
            expect_key = tok == "{"


def _first_duplicate(text: str) -> tuple[str, int, int]:
    where = line_index(text)
    for member in _members(text):
        if member.repeat:
            return (member.name, *where(member.at))
    return "", 1, 1  # not reached: json.loads found one


def json_positions(text: str) -> Positions:
    """JSON pointer -> (line, column) of every value of a valid JSON text (where its key starts)."""
    where = line_index(text)
    out: dict[str, tuple[int, int]] = {}
    for member in _members(text):
        out[member.pointer] = where(member.at)
    return out


def load_json(text: str, source: str, registry: Registry) -> Report:
    """The ``json`` loader: a report from canonical JSON, every problem located in the text."""
    data = _decoded(text, source)
    report = plain_report(data, registry)  # the model's builder takes only objects it knows: no deep nesting
    if report is not None:
        return report
    if depth(data) > LIMITS.depth:
        raise _too_deep_at(text, source)
    return structure(data, source, registry, lambda: json_positions(text))


# ----------------------------------------------------------------------------- YAML

#: the YAML 1.2 core schema's plain scalars that are not text (decimal integers only: 0o17 and 0x1F
#: stay text in a report, and are refused where a number is expected)
_NULL = r"^(?:~|null|Null|NULL|)$"
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = r"^[-+]?[0-9]+$"
_FLOAT = r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
_SPECIAL_FLOAT = r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
_STR_TAGS = ("tag:yaml.org,2002:str", "!")


def _plain(text: str) -> Any:
    """A plain (unquoted) scalar by the YAML 1.2 core schema; a number exactly as written."""
    if re.match(_NULL, text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if re.match(_INT, text):
        return _number(text, int)
    if re.match(_FLOAT, text):
        return _number(text, Decimal)
    if re.match(_SPECIAL_FLOAT, text):
        return Number(text)
    return text


#: what PyYAML (its C and Python readers) says, in Chinese: (pattern, words)
_YAML_WORDS: tuple[tuple[str, str], ...] = (
    (r"mapping values are not allowed",
     "此处不能出现“键: 值”（文字中含“: ”时请给整段文字加引号或改用全角冒号“：”；否则是缩进有误）"),
    (r"cannot start any token", "此处的字符不能作为值的开头（缩进须用空格而非制表符；以 @ ` 开头的文字须加引号）"),
    (r"expected ',' or '\]'|did not find expected ',' or '\]'", "列表缺少“,”或“]”"),
    (r"expected ',' or '}'|did not find expected ',' or '}'", "对象缺少“,”或“}”"),
    (r"found unexpected end of stream", "文件意外结束（引号没有闭合？）"),
    (r"expected <block end>|did not find expected key|did not find expected '-' indicator",
     "缩进不一致，或同一层混用了列表项与键值"),
    (r"unknown escape character", "双引号字符串中有未知的转义（反斜杠须写成 \\\\）"),
    (r"could not find expected ':'", "找不到应有的冒号“:”"),
    (r"characters are not allowed", "含有不允许的控制字符"),
    (r"expected the node content|did not find expected node content", "此处应有一个值"),
    (r"found undefined tag handle|found unexpected ':'|found a tab character", "此处的字符不合 YAML 语法"),
)


def _yaml_words(en: str) -> str:
    return next((zh for pattern, zh in _YAML_WORDS if re.search(pattern, en)), f"（{en}）")


#: what a clerk typing in Chinese gets wrong on a line before the one YAML stumbles on: (pattern, words)
_IME_SLIPS: tuple[tuple[str, str, str], ...] = (
    (r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*(：)", "键后须用半角冒号“:”加空格（此处是全角冒号“：”）",
     "a key is followed by an ASCII colon and a space (this is a full-width colon)"),
    (r"^\s*[A-Za-z_][A-Za-z0-9_]*:(\u3000)", "冒号后须为半角空格（此处是全角空格）",
     "a key's colon is followed by an ASCII space (this is a full-width space)"),
)
#: a second paragraph of a text at the indentation of the keys (``overview: 第一段`` then ``第二段``)
_PARAGRAPH = r"^(?P<indent>\s*)[A-Za-z_][A-Za-z0-9_]*: +[^|>\s#'\"][^\n]*\n(?P=indent)[^\s#:-][^:\n]*$"


def _yaml_error(exc: yaml.YAMLError, source: str, text: str = "") -> LoadError:
    mark = getattr(exc, "problem_mark", None)
    en = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc).splitlines()[0]
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    if "nesting depth" in en and line is not None and column is not None:  # libyaml's own bound, met first
        return too_deep(source, line, column)
    slip = _ime_slip(text, line) if line is not None else None
    if slip is not None:
        return _syntax(f"YAML 语法错误：{slip[2]}", f"invalid YAML: {slip[3]}", source, slip[0], slip[1])
    return _syntax(f"YAML 语法错误：{_yaml_words(en)}", f"invalid YAML: {en}", source, line, column)


def _ime_slip(text: str, line: int) -> tuple[int, int, str, str] | None:
    """The line YAML stumbled on, or the one before (it often stumbles a line later), when it has a
    slip of a Chinese input method or starts a second paragraph written without ``|``: line, column,
    words.  No further back: a text may hold "QQ：…" lines."""
    lines = text.split("\n")[:line]
    first = max(1, line - 1)
    for number, here in enumerate(lines[first - 1:], first):
        for pattern, zh, en in _IME_SLIPS:
            m = re.match(pattern, here)
            if m:
                return number, m.start(1) + 1, zh, en
    for number in range(max(1, line - 2), len(lines)):
        if re.match(_PARAGRAPH, f"{lines[number - 1]}\n{lines[number]}"):
            return (number + 1, 1, "多段文字请写成“键: |”，其后各段另起一行并缩进",
                    "a text of several paragraphs is written 'key: |', each paragraph on its own indented line")
    return None


@functools.cache
def _parser() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: 10 times faster


class _Builder:
    """Plain data from YAML events, without recursion: a stack of open collections."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.positions: dict[str, tuple[int, int]] = {}
        self.stack: list[tuple[str, Any, list[Any]]] = []  # (pointer, container, [pending key, its mark])
        self.result: Any = None
        self.documents = 0

    def fail(self, mark: Any, zh: str, en: str, code: str = "GD-LOAD-SYNTAX") -> LoadError:
        return _syntax(zh, en, self.source, mark.line + 1, mark.column + 1, code)

    def add(self, value: Any, mark: Any, container: bool = False) -> None:
        if not self.stack:
            self.result = value
            pointer = ""
        else:
            parent, holder, pending = self.stack[-1]
            if isinstance(holder, list):
                pointer = f"{parent}/{len(holder)}"
                holder.append(value)
            elif not pending:  # a key
                if container:
                    raise self.fail(mark, "YAML 的键必须是文字，不能是列表或对象",
                                    "a YAML key must be text, not a list or a mapping")
                pending[:] = [value, mark]
                return
            else:
                key, key_mark = pending
                pending.clear()
                pointer = f"{parent}/{escape_pointer(key)}"
                if key in holder:
                    first = self.positions[pointer]
                    raise self.fail(key_mark, f"重复的键 {quote(key)}（第一次在第 {first[0]} 行；每个字段只能写一次）",
                                    f"the key {quote(key)} is repeated (first on line {first[0]}; each field is "
                                    f"written once)")
                holder[key] = value
                mark = key_mark
        self.positions[pointer] = (mark.line + 1, mark.column + 1)
        if container:
            if len(self.stack) >= LIMITS.depth:
                raise too_deep(self.source, mark.line + 1, mark.column + 1)
            self.stack.append((pointer, value, []))

    def event(self, ev: yaml.Event) -> None:
        import yaml

        mark = ev.start_mark
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            raise self.fail(mark, "报告文件不接受 YAML 锚点与别名（&、*）：请直接写出每个值",
                            "a report file takes no YAML anchors or aliases (&, *): write each value out")
        if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.tag(ev, mark, "tag:yaml.org,2002:map" if isinstance(ev, yaml.MappingStartEvent)
                     else "tag:yaml.org,2002:seq")
            self.add({} if isinstance(ev, yaml.MappingStartEvent) else [], mark, container=True)
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
        elif isinstance(ev, yaml.ScalarEvent):
            self.scalar(ev, mark)
        elif isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(mark, "一个文件只能有一份报告（一个 YAML 文档）",
                                "one report (one YAML document) per file")

    def tag(self, ev: Any, mark: Any, own: str) -> None:
        if ev.tag not in (None, "!", own):
            raise self.fail(mark, f"报告文件不接受 YAML 标签 {ev.tag}：请写普通的值",
                            f"a report file takes no YAML tags ({ev.tag}): write plain values")

    def scalar(self, ev: yaml.ScalarEvent, mark: Any) -> None:
        if ev.tag not in (None, *_STR_TAGS):
            self.tag(ev, mark, "tag:yaml.org,2002:str")
        keyed = bool(self.stack) and isinstance(self.stack[-1][1], dict) and not self.stack[-1][2]
        plain = not ev.style and ev.tag is None and ev.implicit[0]  # libyaml says '' for plain, PyYAML None
        # a key is a name, never a number or a boolean (YAML 1.1's "on:" was True)
        self.add(_plain(ev.value) if plain and not keyed else ev.value, mark)


def read_yaml(text: str, source: str) -> Any:
    """The data of a YAML text (one document), read strictly: see the module's description."""
    check_size(text, source, LIMITS.data_chars, YAML_KIND)
    import yaml

    builder = _Builder(source)
    try:
        for ev in yaml.parse(text, Loader=_parser()):
            builder.event(ev)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source, text) from None
    return builder.result


def yaml_positions(text: str, source: str) -> Positions:
    import yaml

    builder = _Builder(source)
    for ev in yaml.parse(text, Loader=_parser()):
        builder.event(ev)
    return builder.positions


def _load_yaml_report(text: str, source: str, registry: Registry) -> LoadResult:
    data = read_yaml(text, source)
    if isinstance(data, dict) and " #" in text:
        _drop_form_comments(data, registry)
    report = structure(data, source, registry, lambda: yaml_positions(text, source))
    return LoadResult(report, tuple(_comments_that_ate_text(text, report, source)), source, "yaml")


def _drop_form_comments(data: dict[str, Any], registry: Registry) -> None:
    """The form's own comment on a text key (``# 一、总体情况``, written by ``new``) left at the end of a text that
    YAML reads whole (a ``|`` block typed over ``null``, the comment still on the line): dropped, in place, as YAML
    drops it after a plain text; never report text."""
    from ..model.scalars import Text
    from .envelope import meta_fields, part_fields

    try:
        spec = registry.format(str(data.get("format_version")), data.get("variant"))
    except Exception:  # noqa: BLE001 - no such format: structuring the data says so, where and how
        return
    for field in (*meta_fields(), *part_fields(spec)):
        if field.type is not Text:
            continue
        holder: Any = data
        for key in field.path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        value = holder.get(field.path[-1]) if isinstance(holder, dict) else None
        if isinstance(value, str) and "#" in value:
            holder[field.path[-1]] = _without_label(value, field.label.zh)


def _without_label(value: str, label: str) -> str:
    """``value`` less a trailing `` # label`` (and the spaces before it), its line end kept."""
    body = value.rstrip()
    tail = "#" + label
    cut = body.removesuffix(tail) if body.endswith(tail) else body.removesuffix("# " + label)
    if cut == body or not cut[-1:].isspace():
        return value
    return cut.rstrip(" \t") + value[len(body):]


#: a text field's line whose plain value is followed by a comment: ``overview: 本年度… # 条例精神``
_TEXT_THEN_COMMENT = r"^\s*[A-Za-z_]+:[ \t]+(?![|>'\"])\S.*?[ \t]#[ \t]?(?P<comment>.*?)\s*$"

#: catalogued through the rules hook (a rule with no check), so that ``govdisclosure rules`` lists it
COMMENT_ATE_TEXT = Rule(
    code="GD-LOAD-COMMENT", severity=Severity.WARNING,
    description=Label("YAML 中文字里的“ #”使其后的文字成为注释，未读入",
                      "In YAML, ' #' in a text made the rest of it a comment: not read"),
    message=Label("{field}：“ #”后的“{comment}”是注释，未读入；若它属于正文，请给整段文字加引号",
                  "{field}: '{comment}' after ' #' is a comment, not read; if it belongs to the text, quote the "
                  "whole text"))


def _comments_that_ate_text(text: str, report: Report, source: str) -> Iterator[Finding]:
    """A comment after a text field that is not the form's name we write there: the clerk's own words,
    which YAML took for a comment (``# 条例精神`` after ``overview: 本年度我局认真贯彻``)."""
    if " #" not in text and "\t#" not in text:
        return
    from ..model.scalars import Text
    from .envelope import meta_fields, part_fields

    # text keys only: a comment after a year or a level is no text's tail (and new wrote the level's name there)
    names = {"/" + "/".join(f.path): f.label.zh for f in (*meta_fields(), *part_fields(report.spec))
             if f.type is Text}
    lines = text.split("\n")
    for pointer, (line, _) in yaml_positions(text, source).items():
        if pointer not in names or not 0 < line <= len(lines):
            continue
        for at, eaten in _eaten(lines, line - 1, names[pointer]):
            yield Finding.make(COMMENT_ATE_TEXT.code, COMMENT_ATE_TEXT.severity, COMMENT_ATE_TEXT.message,
                               pointer=pointer, file=source, line=at + 1, field=names[pointer], comment=eaten)


#: a comment on a plain text's continuation line (" #…", or a line that starts with "#")
_CONTINUED_COMMENT = r"(?:^|[ \t])#[ \t]?(?P<comment>.*?)\s*$"


def _eaten(lines: list[str], k: int, label: str) -> Iterator[tuple[int, str]]:
    """(line index, words) a comment took from the plain text whose key is on line ``k``: on the key's line
    (after the value; the form's own label there is not the clerk's), or on a line continuing it."""
    m = re.match(_TEXT_THEN_COMMENT, lines[k])
    if m is not None:
        eaten = m["comment"].removesuffix(label).rstrip().removesuffix("#").rstrip()
        if eaten and not label.startswith(eaten):
            yield k, eaten
        return
    value = lines[k].split(":", 1)[1].strip() if ":" in lines[k] else ""
    if value[:1] in ("|", ">", "'", '"', "#"):
        return  # a block or a quoted text keeps its '#'; a comment after the key starts no text
    indent = len(lines[k]) - len(lines[k].lstrip())
    for j in range(k + 1, len(lines)):
        here = lines[j]
        if here.strip() and len(here) - len(here.lstrip()) <= indent:
            return  # the next key: the text ended
        found = re.search(_CONTINUED_COMMENT, here)
        if found and found["comment"]:
            yield j, found["comment"]
            return  # YAML ends the text at its first comment


def _yaml_sniff(head: str) -> bool:
    """Whether a line starts with ``format_version:`` (``re.M``'s ``^``: the start, or after a newline), by plain
    finds: the pattern was tried at each of the head's 8,192 characters (~75 µs of every input sniffed)."""
    return head.startswith(_YAML_MARK) or "\n" + _YAML_MARK in head


_YAML_MARK = "format_version:"


@functools.cache
def _dumper() -> type[yaml.SafeDumper]:
    """PyYAML's safe writer made on first use: one that quotes every text a YAML 1.1 or 1.2 reader could take
    for a number, a boolean or null, and writes a text of several lines as a literal block."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        """Quotes every text a YAML 1.1 or 1.2 reader could take for a number, a boolean or null."""

    # over-quoting is harmless: any text starting like a number, and the words of null and the booleans
    _Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(
        r"^(?:[-+]?[0-9.].*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$", re.S),
        list("0123456789-+.~nNtTfF"))
    _Dumper.add_representer(str, _represent_str)
    return _Dumper


#: what YAML reads as a line break (or trims) wherever it is written raw: such a text is double-quoted, where
#: the writer escapes it (\r, \N, \L, \P)
_BREAKS = "[\r\x85\u2028\u2029\ufeff]"


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # a narrative of several lines as a literal block, easy to edit (the writer quotes it where a block cannot
    # carry it exactly: edge spaces, special characters)
    style = '"' if re.search(_BREAKS, text) else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def dump_yaml(data: Any) -> str:
    """YAML of canonical data that :func:`read_yaml` reads back equal (keys in the canonical order)."""
    import yaml

    try:
        return yaml.dump(data, Dumper=_dumper(), allow_unicode=True, sort_keys=False, default_flow_style=False,
                         width=2**16)
    except (yaml.representer.RepresenterError, ValueError) as exc:  # a value a caller put in a cell, YAML cannot
        # write (ValueError: an int past Python's limit of digits as text)
        from ..api import _unwritable_error

        raise _unwritable_error(data, "YAML") from exc


def render_json(report: Report, /, **_: Any) -> str:
    from ..api import dump

    return dump(report)


def render_yaml(report: Report, /, **options: Any) -> str:
    """The canonical data as YAML; each key of the envelope, the parts and the tables followed by
    its name on the official form as a comment (``comments=False``: the bare data), so that a clerk
    filling in a blank knows which key is which row."""
    from ..model.convert import to_data

    text = dump_yaml(to_data(report))
    return _commented(text, report) if RenderOptions.of(options).comments else text


def _key_comments(report: Report) -> dict[str, str]:
    """The comment written after each envelope key and part: its name on the form."""
    from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
    from ..model.scalars import LEVEL_LABELS
    from .envelope import meta_fields, part_fields

    spec = report.spec
    names: dict[str, str] = {"/format_version": f"{FORMAT_VERSION_DOC.zh}：{spec.label.zh}（{spec.notice}）",
                             "/variant": VARIANT_DOC.zh}
    names.update({"/" + "/".join(f.path): f.label.zh for f in (*meta_fields(), *part_fields(spec))})
    if report.agency.level in LEVEL_LABELS:
        names["/agency/level"] += f"：{LEVEL_LABELS[report.agency.level].zh}"
    return names


def _commented(text: str, report: Report) -> str:
    """``text`` with a comment after each key the form names. The keys' lines come from a YAML parse
    of the text itself, so no line inside a narrative is ever touched."""
    import yaml

    spec = report.spec
    names = _key_comments(report)
    lines = text.split("\n")
    root = yaml.compose(text, Loader=_parser())

    def walk(node: yaml.Node | None, pointer: str, in_table: bool) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key, value in node.value:
            here = f"{pointer}/{escape_pointer(key.value)}"
            table = in_table or (pointer == "" and spec.label_at(here) is not None and here != "/parts")
            words = names.get(here) or (_form_words(spec, here) if table else None)
            line = key.start_mark.line
            # after a mapping's key, a one-line value or a literal block's header (| or |-): never
            # inside a quoted text that runs over several lines
            ends = isinstance(value, yaml.MappingNode) or value.end_mark.line == line or (
                value.end_mark.line == line + 1 and value.end_mark.column == 0) or (
                isinstance(value, yaml.ScalarNode) and value.style == "|")
            if words and ends:
                lines[line] += f"  # {words}"
            if pointer != "/provenance" and here != "/provenance":
                walk(value, here, table)
    walk(root, "", False)
    header = (f"# 政府信息公开工作年度报告（{spec.label.zh}）。# 后为表格中的正式名称；"
              f"null 为空白（未填写），没有的事项填 0。\n"
              f"# Annual report ({spec.label.en}). After each # is the name on the official form; "
              f"null is a blank (not filled in): write 0 for none.\n"
              f"# 文字中含“ #”或“: ”时请给整段文字加引号，否则“ #”后的文字会被当作注释丢掉；多段文字写成“键: |”，"
              f"各段另起一行并缩进。\n"
              f"# Quote a text that holds ' #' or ': ': otherwise what follows ' #' is a comment, dropped. A text of "
              f"several paragraphs is written 'key: |', each paragraph on its own indented line.\n")
    return header + "\n".join(lines)


def _form_words(spec: FormatSpec, pointer: str) -> str | None:
    """A table's, row's or group's label, or a cell's column (its row is the line above)."""
    try:
        cell = spec.cell(pointer)
    except KeyError:
        label = spec.label_at(pointer)
        return label.zh if label is not None else None
    column = cell.column
    return f"{column.group.zh} · {column.label.zh}" if column.group else column.label.zh


@hookimpl
def register_loaders() -> list[Loader]:
    return [
        # our own formats are known by their first bytes (priority 5); YAML, which any text can resemble,
        # only after them, by a top-level format_version key
        Loader("json", Label("规范 JSON", "canonical JSON"), (".json",), load_json,
               sniff=lambda text: text.lstrip().startswith("{"), priority=5),
        Loader("yaml", Label("YAML（与规范 JSON 同构）", "YAML (the canonical JSON's data)"), (".yaml", ".yml"),
               _load_yaml_report, sniff=_yaml_sniff),
    ]


@hookimpl
def register_rules() -> list[Rule]:
    return [COMMENT_ATE_TEXT]


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("json", Label("规范 JSON", "canonical JSON"), ".json", "application/json", render_json),
            Renderer("yaml", Label("YAML（与规范 JSON 同构，便于手工填写）",
                                   "YAML (the canonical data, easier to fill in by hand)"),
                     ".yaml", "application/yaml", render_yaml)]
