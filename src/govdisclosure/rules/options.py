"""The options a user gives the rules (``validate(config=...)``, ``--rules-config``), checked against what each rule
declares: its option names, their kinds (numbers, words from a closed vocabulary, regular expressions, lists, tables).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..errors import problem
from ..findings import Finding
from ..labels import Label
from ..registry import Registry
from .types import Rule

__all__ = ["check_options", "plain_options"]


def plain_options(value: Any) -> Any:
    """Options given in code as the file readers give them: a Mapping as a dict, a tuple or other sequence (not a
    text) as a list, a Decimal as a float; the rest as it is."""
    if isinstance(value, Mapping):
        return {k: plain_options(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [plain_options(v) for v in value]
    return float(value) if isinstance(value, Decimal) else value


def check_options(data: Mapping[str, Any], registry: Registry) -> list[Finding]:
    """What is wrong in options per rule code (``validate(config=...)``, ``--rules-config``), located by pointer."""
    return _check(dict(data), registry)


def _check(data: dict[str, Any], registry: Registry) -> list[Finding]:
    known = registry.rules
    problems = []
    for code, options in data.items():
        if code not in known:
            problems.append(problem("GD-LOAD-UNKNOWN", f"/{code}", Label(f"没有规则 {code}", f"no rule {code}")))
        elif not isinstance(options, dict):
            problems.append(problem("GD-LOAD-TYPE", f"/{code}", Label("选项表", "a table of options"), got=options))
        else:
            rule = known[code]
            problems += _options(f"/{code}", code, options, rule.options, rule.option_kinds,
                                 _vocabularies(registry, rule))
    return problems


def _options(at: str, code: str, options: dict[str, Any], declared: Mapping[str, Any], kinds: Mapping[str, Any],
             words: tuple[frozenset[str], ...]) -> list[Finding]:
    problems = [_unknown(f"{at}/{key}", f"规则 {code} 没有选项 {key}", f"rule {code} has no option {key}", declared)
                for key in options if key not in declared and key != "add"]
    for key, value in options.items():
        if key == "add":  # items appended to the rule's lists (or merged into its tables), for every rule
            lists = {k: v for k, v in declared.items() if isinstance(v, (list, dict)) and k != "add"}
            if not isinstance(value, dict):
                problems.append(problem("GD-LOAD-TYPE", f"{at}/add", Label("以列表名为键的表", "a table keyed by "
                                                                         "list name"), got=value))
                continue
            problems += [_unknown(f"{at}/add/{name}", f"规则 {code} 没有列表 {name}", f"rule {code} has no list {name}",
                                  lists) for name in value if name not in lists]
            problems += [found for name, more in value.items() if name in lists
                         for found in _checked(f"{at}/add/{name}", more, lists[name], kinds.get(name), words)]
        elif key in declared:
            problems += _checked(f"{at}/{key}", value, declared[key], kinds.get(key), words)
    return problems


def _checked(pointer: str, value: Any, default: Any, kind: Any, words: tuple[frozenset[str], ...]
             ) -> list[Finding]:
    """A value against the kind the rule declares for it (a name, or an example value), else against its
    default's shape."""
    if kind is None:
        return _shaped(pointer, value, default, words)
    if isinstance(kind, (list, dict)):
        return _shaped(pointer, value, kind, words)
    if kind in ("regex", "regexes"):
        return _regexes(pointer, value, kind == "regexes", default)
    return _kinded(pointer, value, kind, words)


def _regexes(pointer: str, value: Any, many: bool, default: Any) -> list[Finding]:
    """Regular expressions that compile, each with as many groups as the default's (the rule reads them)."""
    import re

    items = value if many else [value]
    if many and not isinstance(value, list):
        return [problem("GD-LOAD-TYPE", pointer, Label("列表", "a list"), got=value)]
    shipped = default if isinstance(default, list) else [default]
    groups = min((re.compile(d).groups for d in shipped if isinstance(d, str)), default=0)
    problems = []
    for i, item in enumerate(items):
        at = f"{pointer}/{i}" if many else pointer
        if not isinstance(item, str):
            problems.append(problem("GD-LOAD-TYPE", at, Label("正则表达式（字符串）",
                                                              "a regular expression (a string)"), got=item))
            continue
        try:
            found = re.compile(item).groups
        except re.error as exc:
            problems.append(problem("GD-LOAD-TYPE", at, Label(f"有效的正则表达式（{exc}）",
                                                              f"a valid regular expression ({exc})"), got=item))
            continue
        if found < groups:
            problems.append(problem("GD-LOAD-TYPE", at, Label(f"含 {groups} 个捕获组的正则表达式（规则从中读取数字）",
                                                              f"a regular expression with {groups} group(s) (the rule "
                                                              f"reads the number from them)"), got=item))
    return problems


#: the closed sets by the name of their kind, in the order _vocabularies gives them
_SETS = ("table", "part", "level", "cell")


def _kinded(pointer: str, value: Any, kind: str, words: tuple[frozenset[str], ...]) -> list[Finding]:
    """A value against a declared :data:`~govdisclosure.rules.types.OptionKind`."""
    if kind == "any":
        return []
    if kind in ("number", "whole", "count", "non_negative", "share"):
        # a default of that kind stands for it: whole or not, negative or not, a share or not
        default = {"number": -1.5, "whole": -1, "count": 0, "non_negative": 0.0, "share": 0.5}[kind]
        return _number(pointer, value, default)
    if kind == "text":
        return [] if isinstance(value, str) else [problem("GD-LOAD-TYPE", pointer, Label("字符串", "a string"),
                                                          got=value)]
    if kind.endswith("s"):  # a list of the singular kind
        if not isinstance(value, list):
            return [problem("GD-LOAD-TYPE", pointer, Label("列表", "a list"), got=value)]
        return [found for i, v in enumerate(value) for found in _kinded(f"{pointer}/{i}", v, kind[:-1], words)]
    if not isinstance(value, str):
        return [problem("GD-LOAD-TYPE", pointer, Label("字符串", "a string"), got=value)]
    return _in_set(pointer, value, words[_SETS.index(kind)])


def _unknown(pointer: str, zh: str, en: str, declared: Mapping[str, Any]) -> Finding:
    names = [k for k in declared if k != "add"]
    return problem("GD-LOAD-UNKNOWN", pointer, Label(f"{zh}（可用：{'、'.join(names) or '无'}）",
                                                     f"{en} (it has: {', '.join(names) or 'none'})"))


def _vocabularies(registry: Registry, rule: Rule) -> tuple[frozenset[str], ...]:
    """Closed sets of words an option may name: the parts, the tables, the agency levels, the cells — of
    the formats and variants the rule applies to (a 2021 rule's cell is no 2019 pointer).  An option
    whose default names only words of one set must name words of that set."""
    from ..model.scalars import LEVELS

    every = [registry.format(v) for v in registry.formats]
    every += [registry.format(v.extends, v.id) for v in registry.variants.values()]
    specs = [spec for spec in every if rule.applies_to_format(spec)] or every
    parts = frozenset({"preamble"} | {p.id for spec in specs for p in spec.parts})
    tables = frozenset(t.id for spec in specs for t in spec.tables)
    cells = frozenset(c.pointer for spec in specs for c in spec.cells())
    return tables, parts, frozenset(LEVELS), cells  # the narrowest first: a table is also a part


def _shaped(pointer: str, value: Any, default: Any, words: tuple[frozenset[str], ...]) -> list[Finding]:
    """Problems of ``value`` against the shape of the option's ``default``: its kind; for a number,
    finite, whole where the default is, never negative where the default is not, a share within
    0–1; for a list or table, each item shaped like the default's items; a word from the closed set
    the default's words belong to."""
    if isinstance(default, bool) or not isinstance(default, (int, float, str, list, dict)):
        return [] if not isinstance(default, bool) or isinstance(value, bool) else [
            problem("GD-LOAD-TYPE", pointer, Label("真或假（true/false）", "true or false"), got=value)]
    if isinstance(default, (int, float)):
        return _number(pointer, value, default)
    if isinstance(default, str):
        if not isinstance(value, str):
            return [problem("GD-LOAD-TYPE", pointer, Label("字符串", "a string"), got=value)]
        return _word(pointer, value, [default], words)
    if isinstance(default, list):
        return _list(pointer, value, default, words)
    return _table(pointer, value, default, words)


def _number(pointer: str, value: Any, default: float) -> list[Finding]:
    whole = isinstance(default, int)
    kind = Label("整数", "a whole number") if whole else Label("数字", "a number")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
        return [problem("GD-LOAD-TYPE", pointer, kind, got=value)]
    if not math.isfinite(value):
        return [problem("GD-LOAD-TYPE", pointer, Label("有限的数字", "a finite number"), got=value)]
    if 0 < default < 1 and not 0 <= value <= 1:  # a share
        return [problem("GD-LOAD-TYPE", pointer, Label("0 到 1 之间的数（比例）", "a share from 0 to 1"), got=value)]
    if default >= 0 > value:
        return [problem("GD-LOAD-TYPE", pointer, Label(f"非负{kind.zh}", f"{kind.en}, not negative"), got=value)]
    return []


def _list(pointer: str, value: Any, default: list[Any], words: tuple[frozenset[str], ...]) -> list[Finding]:
    if not isinstance(value, list):
        return [problem("GD-LOAD-TYPE", pointer, Label("列表", "a list"), got=value)]
    if not default:
        return []  # nothing to say what an item is
    if all(isinstance(d, str) for d in default):
        bad = [i for i, v in enumerate(value) if not isinstance(v, str)]
        if bad:
            return [problem("GD-LOAD-TYPE", f"{pointer}/{bad[0]}", Label("字符串", "a string"), got=value[bad[0]])]
        return [found for i, v in enumerate(value) for found in _word(f"{pointer}/{i}", v, default, words)]
    if all(isinstance(d, dict) for d in default):
        return [found for i, v in enumerate(value) for found in _entry(f"{pointer}/{i}", v, default, words)]
    return [found for i, v in enumerate(value) for found in _shaped(f"{pointer}/{i}", v, default[0], words)]


def _entry(pointer: str, value: Any, default: list[dict[str, Any]], words: tuple[frozenset[str], ...]
           ) -> list[Finding]:
    """An item of a list of tables (a topic, a stale term), its keys of their kinds.  Required: the
    item's name (the first key of the default items) and its data (every key whose default is not
    text); other text (an English gloss, a reason) may be left out."""
    if not isinstance(value, dict):
        return [problem("GD-LOAD-TYPE", pointer, Label("表", "a table"), got=value)]
    required = {k for k in set.intersection(*(set(d) for d in default))
                if k == next(iter(default[0])) or not isinstance(default[0][k], str)}
    kinds = {k: v for d in default for k, v in d.items()}
    problems = [problem("GD-LOAD-MISSING", f"{pointer}/{k}", Label(f"缺少 {k}", f"{k} is missing"))
                for k in sorted(required - set(value))]
    problems += [_unknown(f"{pointer}/{k}", f"没有键 {k}", f"no key {k}", kinds) for k in value if k not in kinds]
    return problems + [found for k, v in value.items() if k in kinds
                       for found in _shaped(f"{pointer}/{k}", v, kinds[k], words)]


def _table(pointer: str, value: Any, default: dict[str, Any], words: tuple[frozenset[str], ...]) -> list[Finding]:
    if not isinstance(value, dict):
        return [problem("GD-LOAD-TYPE", pointer, Label("表", "a table"), got=value)]
    if not default:
        return []
    problems = [found for k in value for found in _word(f"{pointer}/{k}", k, list(default), words)]
    sample = next(iter(default.values()))
    return problems + [found for k, v in value.items() for found in _shaped(f"{pointer}/{k}", v, sample, words)]


def _word(pointer: str, value: str, default: list[str], words: tuple[frozenset[str], ...]) -> list[Finding]:
    """A word of a closed set (a part, a table, a level, a cell) when every default word is one."""
    closed = next((w for w in words if set(default) <= w), None)
    return [] if closed is None else _in_set(pointer, value, closed)


def _in_set(pointer: str, value: str, closed: frozenset[str]) -> list[Finding]:
    if value in closed:
        return []
    if len(closed) > 20:  # the cells: too many to list
        return [problem("GD-LOAD-UNKNOWN", pointer, Label(
            "应为已知的单元格指针（govdisclosure formats 列出）",
            "expected a known cell pointer (govdisclosure formats lists them)"), got=value)]
    from ..model.scalars import LEVEL_LABELS, level_id

    key = level_id(value) if closed == frozenset(LEVEL_LABELS) else None
    hint = Label("", "") if key is None else Label(f"；机关层级写代码：{key}", f"; write the level's id: {key}")
    return [problem("GD-LOAD-UNKNOWN", pointer, Label(f"应为以下之一：{'、'.join(sorted(closed))}{hint.zh}",
                                                      f"expected one of: {', '.join(sorted(closed))}{hint.en}"),
                    got=value)]
