"""Which reports belong to one agency: a normalised name, or the user's map (``--agencies MAP.csv``)."""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
import json
import os
import re
import unicodedata

import attrs

from ..errors import LoadError, problem, undecodable
from ..formats.spec import Label
from ..io.source import os_reason

__all__ = ["AgencyMap", "Mapped", "agency_key"]

#: what two spellings of one agency's name may differ by: width, spaces, punctuation, brackets
_NOISE = re.compile(r"[\s\u3000·・.,，。、:：;；'\"“”‘’()（）\[\]【】<>《》〈〉_\-—–]+")


def agency_key(name: str | None) -> str | None:
    """The series key of a name: NFKC, case folded, without spaces and punctuation (None stays None)."""
    if not name:
        return None
    key = _NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold()
    return key or None


@attrs.frozen
class Mapped:
    """What the map says of one report (fields left empty in the map are None)."""

    agency_id: str
    name: str | None
    level: str | None
    region: str | None


@attrs.frozen
class AgencyMap:
    """Rows ``match,agency_id,name,level,region``: ``match`` is a file's path (as given to audit, or
    relative to the map), a file-name glob (``*hongze*``) or an agency name as published."""

    rows: tuple[tuple[str, Mapped], ...] = ()
    base: str = ""

    @classmethod
    def read(cls, path: str) -> AgencyMap:
        from ..model.scalars import LEVEL_LABELS, LEVELS, level_id

        try:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
        except OSError as exc:
            reason = os_reason(exc)
            raise LoadError([problem("GD-LOAD-INPUT", "", Label(f"无法读取机关对照表：{reason.zh}",
                                                                f"cannot read the agency map: {reason.en}"))],
                            path) from None
        except UnicodeDecodeError as exc:
            raise LoadError([undecodable(exc, Label("机关对照表", "the agency map is "))], path) from None
        reader = csv.DictReader(io.StringIO(text))
        need = {"match", "agency_id"}
        if not reader.fieldnames or not need <= set(reader.fieldnames):
            raise LoadError([problem("GD-LOAD-MISSING", "", Label(
                "表头应含 match,agency_id（可选 name,level,region）",
                "a header with match,agency_id (and optionally name,level,region)"), line=1)], path)
        rows = []
        for n, row in enumerate(reader, start=2):
            match, agency_id = (row.get("match") or "").strip(), (row.get("agency_id") or "").strip()
            written = (row.get("level") or "").strip() or None
            level = level_id(written) if written is not None else None  # an id, or its name in either language
            if not match or not agency_id:
                raise LoadError([problem("GD-LOAD-MISSING", "", Label("match 与 agency_id 不能为空",
                                                                      "match and agency_id must not be empty"),
                                         line=n)], path)
            if written is not None and level is None:
                raise LoadError([problem("GD-LOAD-TYPE", "", Label(
                    f"层级之一（代码或名称）：{'、'.join(f'{k}（{LEVEL_LABELS[k].zh}）' for k in LEVELS)}",
                    f"one of the levels (id or name): {', '.join(LEVELS)}"), got=written, line=n)], path)
            rows.append((match, Mapped(agency_id, (row.get("name") or "").strip() or None, level,
                                       (row.get("region") or "").strip() or None)))
        return cls(tuple(rows), os.path.dirname(os.path.abspath(path)))

    def digest(self) -> str:
        """What the store records of the map it was keyed with ("" for none): its rows and, since a row may name
        a file relative to the map, its folder."""
        if not self.rows:
            return ""
        text = json.dumps([self.base, [[m, attrs.astuple(v)] for m, v in self.rows]], ensure_ascii=False)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    def lookup(self, path: str, agency: str | None) -> Mapped | None:
        """The first row matching the file (path, path relative to the map, glob) or the agency name."""
        if not self.rows:
            return None
        absolute = os.path.abspath(path)
        name = os.path.basename(path)
        key = agency_key(agency)
        for match, mapped in self.rows:
            if (match == path or os.path.abspath(os.path.join(self.base, match)) == absolute
                    or fnmatch.fnmatch(name, match) or fnmatch.fnmatch(path, match)
                    or (key is not None and agency_key(match) == key)):
                return mapped
        return None


def identity(name: str | None, level: str | None, region: str | None, path: str, agencies: AgencyMap
             ) -> tuple[str | None, str | None, str | None, str | None]:
    """(series key, agency name, level, region) of a report: the map's word first, then the report's."""
    mapped = agencies.lookup(path, name)
    if mapped is None:
        return agency_key(name), name, level, region
    return ("id:" + mapped.agency_id, mapped.name or name, mapped.level or level, mapped.region or region)
