"""TOML (rule options, configuration): the standard library's reader, or tomli on Python 3.10."""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["TOMLDecodeError", "loads_toml", "toml_error"]

TOMLDecodeError = tomllib.TOMLDecodeError


def loads_toml(text: str) -> dict[str, Any]:
    """The table a TOML text holds (raises :data:`TOMLDecodeError`, a ``ValueError``)."""
    table: dict[str, Any] = tomllib.loads(text)
    return table


#: what the standard library's TOML reader says, in Chinese (matched at the start of its message)
_TOML_WORDS: tuple[tuple[str, str], ...] = (
    (r"Cannot declare (.+) twice", "表 {0} 声明了两次"),
    (r"Cannot mutate immutable namespace (.+)", "{0} 已写完，不能再向其中添加键"),
    (r"Cannot overwrite a value", "同一个键写了两次"),
    (r"Cannot redefine namespace (.+)", "不能重新定义 {0}"),
    (r"Duplicate inline table key (.+)", "行内表中的键 {0} 重复"),
    (r"Escaped character is not a Unicode scalar value", "转义的字符不是有效的 Unicode 字符"),
    (r"Expected '=' after a key in a key/value pair", "键后应有“=”"),
    (r"Expected '\]' at the end of a table declaration", "表头末尾缺少“]”"),
    (r"Expected '\]\]' at the end of an array declaration", "表数组头末尾缺少“]]”"),
    (r"Expected (.+)", "此处应为 {0}"),
    (r"Found invalid character (.+)", "此处不能有字符 {0}"),
    (r"Illegal character (.+)", "字符串中不能有字符 {0}"),
    (r"Invalid date or datetime", "日期或时间无效"),
    (r"Invalid hex value", "十六进制转义无效"),
    (r"Invalid initial character for a key part", "键不能以此字符开头（含其他字符的键请加引号）"),
    (r"Invalid statement", "无法识别的一行（应为 [规则代码] 或 键 = 值）"),
    (r"Invalid value", "无法识别的值（文字须加引号）"),
    (r"Unclosed array", "列表缺少结尾的“]”"),
    (r"Unclosed inline table", "行内表缺少结尾的“}”"),
    (r"Unescaped '\\' in a string", "字符串中的“\\”须写成“\\\\”（或改用单引号）"),
    (r"Unterminated string", "字符串缺少结尾的引号"),
)
_PLACE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def toml_error(exc: ValueError) -> tuple[str, str, int | None, int | None]:
    """The reason of a TOML syntax error in Chinese and English, and its line and column (from 1)."""
    place = _PLACE.search(str(exc))
    en = str(exc)[:place.start()] if place else str(exc)
    line, column = (int(place[1]), int(place[2])) if place and place[1] else (None, None)
    for pattern, zh in _TOML_WORDS:
        match = re.fullmatch(pattern, en)
        if match:
            zh = zh.format(*match.groups())
            break
    else:
        zh = en
    if place and not place[1]:
        zh, en = zh + "（在文件末尾）", en + " (at the end of the file)"
    return zh, en, line, column
