"""The audit store: one SQLite file (standard library, no server) that sqlite3, DuckDB and datasette open as is.

The schema is documented in docs/audit.md.  Reports are keyed by the hash of their input's bytes, so a
re-run updates and never duplicates; every batch of inputs is written in one transaction, so an
interrupted run leaves the store consistent and the next run skips what is already stored.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sqlite3
import types
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from ..findings import Finding, Severity, path_text
from ..formats.spec import Label
from ..registry import Registry, distribution_version, resolve_registry
from ..rules.engine import UNCHECKED
from .agencies import AgencyMap, identity
from .examine import Examined, Failed, FindingRow, Outcome, finding_row, rebuild
from .inputs import Input, Skipped
from .metrics import METRICS, TERMS, group_sql, metric_sql, term_of

__all__ = ["SCHEMA_VERSION", "NewerStore", "NotAStore", "Republications", "Store", "StoreRefused", "chains"]

SCHEMA_VERSION = "5"
#: other reports a GD-AUDIT-DUPLICATE finding names (the rest are counted)
SHOWN_DUPLICATES = 5
#: the non-zero counts (a total not counted: it repeats its row's) two reports under names that nest must share to
#: be listed as one report published twice.  Small counts agree by chance: a township's report is often zeros but
#: for a count or two (1 regulation in force, 2 requests granted), and hundreds of towns share a name (城关镇人民政府),
#: so a store of a province holds thousands of pairs of names that nest in a year.  Five counts agreeing in place
#: and value, all the other cells zero in both, is what a copy does, hardly chance.  Below it the chance is a fan (one
#: 城关镇人民政府 equal to the 城关镇 of several counties): a single match (or a chain) is still listed, apart, to
#: check first, else a township's report republished is summed twice with no hint; a fan is only counted
REPUBLISHED_COUNTS = 5

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL DEFAULT 'running',
    seen INTEGER, skipped INTEGER, examined INTEGER, failed INTEGER, reports INTEGER, version TEXT);
CREATE TABLE IF NOT EXISTS reports (
    report_id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT,
    agency TEXT, agency_key TEXT, level TEXT, region TEXT, year INTEGER,
    format_version TEXT NOT NULL, variant TEXT, published_on TEXT, title TEXT,
    series_id INTEGER REFERENCES series(series_id),
    duplicate INTEGER NOT NULL DEFAULT 0,
    envelope TEXT NOT NULL,
    counted INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS reports_agency_year ON reports(agency_key, year);
CREATE TABLE IF NOT EXISTS inputs (
    input_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    path_bytes BLOB NOT NULL UNIQUE,
    size INTEGER, mtime_ns INTEGER, content_hash TEXT, loader TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error_code TEXT, error_zh TEXT, error_en TEXT,
    report_id INTEGER REFERENCES reports(report_id),
    seconds REAL, run_id INTEGER REFERENCES runs(run_id));
CREATE INDEX IF NOT EXISTS inputs_report ON inputs(report_id);
CREATE TABLE IF NOT EXISTS cell_specs (
    cell_id INTEGER PRIMARY KEY, format_key TEXT NOT NULL, format_version TEXT NOT NULL, variant TEXT,
    position INTEGER NOT NULL, pointer TEXT NOT NULL, table_id TEXT NOT NULL, row_id TEXT NOT NULL,
    column_id TEXT NOT NULL, kind TEXT NOT NULL, table_label TEXT, row_label TEXT, column_label TEXT,
    table_label_en TEXT, row_label_en TEXT, column_label_en TEXT, term TEXT, printed_row TEXT,
    UNIQUE (format_key, pointer));
CREATE TABLE IF NOT EXISTS cell_values (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    cell_id INTEGER NOT NULL REFERENCES cell_specs(cell_id),
    value NUMERIC, exact TEXT,
    PRIMARY KEY (report_id, cell_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cell_provenance (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    cell_id INTEGER NOT NULL REFERENCES cell_specs(cell_id),
    provenance TEXT NOT NULL,
    PRIMARY KEY (report_id, cell_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings (
    finding_id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    previous_report_id INTEGER REFERENCES reports(report_id),
    scope TEXT NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, pointer TEXT,
    pointers TEXT, labels TEXT, params TEXT, message_zh TEXT, message_en TEXT);
CREATE INDEX IF NOT EXISTS findings_report ON findings(report_id);
CREATE TABLE IF NOT EXISTS series (
    series_id INTEGER PRIMARY KEY, agency_key TEXT NOT NULL UNIQUE, agency TEXT, level TEXT, region TEXT,
    first_year INTEGER, last_year INTEGER, reports INTEGER, missing_years TEXT, duplicate_years TEXT);
CREATE TABLE IF NOT EXISTS series_pairs (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    previous_report_id INTEGER NOT NULL REFERENCES reports(report_id),
    PRIMARY KEY (report_id, previous_report_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rules (code TEXT PRIMARY KEY, severity TEXT, description_zh TEXT, description_en TEXT);
"""


#: a cell the source printed digits for that the parser could not settle into it (a run of digits with several
#: splits, a row whose numbers did not split into its cells): its value is NULL, but the agency left nothing blank
UNSETTLED = ("(v.value IS NULL AND COALESCE(json_extract(p.provenance, '$.candidates') IS NOT NULL "
             "OR json_extract(p.provenance, '$.raw') GLOB '*[0-9]*', 0))")


def _parsed(report: str) -> str:
    """Whether a report came from the parser of published reports: the parser records the line each printed row
    was found on (its provenance keeps it through JSON and our renders), or says a table was not found
    (GD-PARSE-…).  A report an agency wrote as JSON or YAML, a Word table read cell by cell, a sum: none of these."""
    return (f"(EXISTS (SELECT 1 FROM cell_provenance pp WHERE pp.report_id = {report} AND "
            f"json_extract(pp.provenance, '$.line') IS NOT NULL) OR EXISTS (SELECT 1 FROM findings fp "
            f"WHERE fp.report_id = {report} AND fp.code GLOB 'GD-PARSE-*'))")


#: the joins :data:`UNFOUND_ROW` reads: ``p`` the cell's provenance, ``pf`` that of its printed row's first cell
ROW_JOINS = ("LEFT JOIN cell_provenance p ON p.report_id = v.report_id AND p.cell_id = v.cell_id "
             "LEFT JOIN cell_specs sf ON sf.format_key = s.format_key AND sf.pointer = s.printed_row "
             "LEFT JOIN cell_provenance pf ON pf.report_id = v.report_id AND pf.cell_id = sf.cell_id")
#: an empty cell whose printed row the parser never found, in a parsed report: its table was not found
#: (GD-PARSE-TABLE), or the text ends before the row (an excerpt, a truncated page, a table printed as an image).
#: The parser records where it found each printed row on the row's first cell, so neither the cell nor that first
#: cell has provenance: nothing says the agency left it blank
UNFOUND_ROW = "(v.value IS NULL AND p.provenance IS NULL AND pf.provenance IS NULL)"
NOT_FOUND = f"({UNFOUND_ROW} AND {_parsed('v.report_id')})"
#: the agency-year of a report ``r`` (of finding ``f``), to count the copies of a duplicate agency-year once; a
#: report that names no agency or no year is one of its own
AGENCY_YEAR = ("(CASE WHEN r.agency_key IS NOT NULL AND r.year IS NOT NULL THEN r.agency_key || '|' || r.year "
               "ELSE 'report ' || r.report_id END)")


#: a finding's params whole (of finding ``f``): GD-UNCHECKED's blank cells are its pointers, stored once (in
#: ``pointers``: :func:`.examine.finding_row`), put back first in its params, where their sorted keys had them (a
#: store written before schema 5 holds them in both).  Only params of the shape the writer leaves (its two other
#: keys, an integer and a text) are read so; any other is read as it is (the engine's GD-UNCHECKED always names its
#: blank cells: one a plugin made with only those two keys would be read with its pointers as its blank cells)
FINDING_PARAMS = (f"(CASE WHEN f.code = '{UNCHECKED}' AND json_type(f.params, '$.instances') = 'integer' "
                  "AND json_type(f.params, '$.rule') = 'text' AND json_type(f.params, '$.blank_cells') IS NULL "
                  "AND (SELECT COUNT(*) FROM json_each(f.params)) = 2 "
                  "THEN '{\"blank_cells\":' || f.pointers || ',' || substr(f.params, 2) ELSE f.params END)")


def _views() -> str:
    terms = ",\n    ".join(f"MAX(CASE WHEN term = '{t.id}' THEN value END) AS {t.id}" for t in TERMS)
    per_report = ",\n    ".join(f"{metric_sql(m)} AS {m.id}" for m in METRICS)
    return f"""
DROP VIEW IF EXISTS cells;
CREATE VIEW cells AS
SELECT v.report_id, r.agency, r.year, s.table_id, s.table_label, s.row_id, s.row_label, s.column_id,
       s.column_label, COALESCE(v.exact, v.value) AS value,
       v.value IS NULL AND NOT {UNSETTLED} AND NOT {NOT_FOUND} AS blank, {UNSETTLED} AS unsettled,
       {NOT_FOUND} AS not_found, p.provenance, s.pointer, s.row_label_en, s.column_label_en
FROM cell_values v JOIN cell_specs s USING (cell_id) JOIN reports r USING (report_id)
{ROW_JOINS};

DROP VIEW IF EXISTS failed_inputs;
CREATE VIEW failed_inputs AS
SELECT path, error_code, error_zh, error_en, size, content_hash, seconds FROM inputs WHERE status = 'failed';

DROP VIEW IF EXISTS report_findings;
CREATE VIEW report_findings AS
SELECT f.report_id, r.agency, r.year, r.level, r.region, r.source, f.code, f.severity, rl.description_zh AS rule,
       f.pointer, f.labels, f.message_zh, f.message_en, {FINDING_PARAMS} AS params, f.previous_report_id, f.scope,
       f.finding_id
FROM findings f JOIN reports r USING (report_id) LEFT JOIN rules rl USING (code);

DROP VIEW IF EXISTS findings_by_rule;
CREATE VIEW findings_by_rule AS
SELECT f.code, rl.description_zh AS rule, f.severity, r.year, r.level, COUNT(*) AS findings,
       COUNT(DISTINCT f.report_id) AS reports, COUNT(DISTINCT {AGENCY_YEAR}) AS agency_years
FROM findings f JOIN reports r USING (report_id) LEFT JOIN rules rl USING (code)
GROUP BY f.code, f.severity, r.year, r.level;

DROP VIEW IF EXISTS report_terms;
CREATE VIEW report_terms AS
SELECT v.report_id, s.term, CASE WHEN COUNT(*) = COUNT(v.value) THEN SUM(v.value) END AS value,
       COUNT(*) - COUNT(v.value) AS blanks
FROM cell_values v JOIN cell_specs s USING (cell_id) WHERE s.term IS NOT NULL
GROUP BY v.report_id, s.term;

DROP VIEW IF EXISTS report_numbers;
CREATE VIEW report_numbers AS
SELECT report_id,
    {terms}
FROM report_terms GROUP BY report_id;

DROP VIEW IF EXISTS report_metrics;
CREATE VIEW report_metrics AS
SELECT r.report_id, r.agency, r.level, r.region, r.year, r.series_id, r.source, r.counted,
    {per_report}
FROM reports r LEFT JOIN report_numbers n USING (report_id);

{_group_metrics()}

DROP VIEW IF EXISTS metrics_yoy;
CREATE VIEW metrics_yoy AS
SELECT m.series_id, m.agency, m.year, m.report_id, p.report_id AS previous_report_id,
       m.received, p.received AS previous_received, m.received - p.received AS received_change,
       CASE WHEN p.received > 0 THEN 1.0 * m.received / p.received END AS received_ratio,
       m.disclosure_rate, p.disclosure_rate AS previous_disclosure_rate,
       m.disclosure_rate - p.disclosure_rate AS disclosure_rate_change
FROM report_metrics m JOIN series_pairs sp ON sp.report_id = m.report_id
JOIN report_metrics p ON p.report_id = sp.previous_report_id;

DROP VIEW IF EXISTS report_summary;
CREATE VIEW report_summary AS
SELECT report_id, agency, level, region, year, format_version, variant, source, duplicate, errors, warnings, infos,
    empty - unsettled - not_found AS blanks, unsettled, not_found
FROM (SELECT r.report_id, r.agency, r.level, r.region, r.year, r.format_version, r.variant, r.source, r.duplicate,
    (SELECT COUNT(*) FROM findings f WHERE f.report_id = r.report_id AND f.severity = 'error') AS errors,
    (SELECT COUNT(*) FROM findings f WHERE f.report_id = r.report_id AND f.severity = 'warning') AS warnings,
    (SELECT COUNT(*) FROM findings f WHERE f.report_id = r.report_id AND f.severity = 'info') AS infos,
    (SELECT COUNT(*) FROM cell_values v WHERE v.report_id = r.report_id AND v.value IS NULL) AS empty,
    (SELECT COUNT(*) FROM cell_values v JOIN cell_provenance p USING (report_id, cell_id)
     WHERE v.report_id = r.report_id AND {UNSETTLED}) AS unsettled,
    CASE WHEN {_parsed("r.report_id")} THEN (SELECT COUNT(*) FROM cell_values v JOIN cell_specs s USING (cell_id)
     {ROW_JOINS} WHERE v.report_id = r.report_id AND {UNFOUND_ROW}) ELSE 0 END AS not_found
FROM reports r);

DROP VIEW IF EXISTS risk_ranking;
CREATE VIEW risk_ranking AS
SELECT ROW_NUMBER() OVER (ORDER BY errors DESC, warnings DESC, blanks DESC, report_id) AS rank, *
FROM report_summary;

DROP VIEW IF EXISTS duplicates;
CREATE VIEW duplicates AS
SELECT r.agency_key, r.agency, r.year, r.report_id, r.source, r.content_hash, r.counted,
       json_extract(f.params, '$.cells_differ') AS cells_differ,
       json_extract(f.params, '$.compared_with') AS compared_with
FROM reports r LEFT JOIN findings f
     ON f.report_id = r.report_id AND f.code = 'GD-AUDIT-DUPLICATE' AND f.scope = 'audit'
WHERE r.duplicate = 1;
"""


def _group_metrics() -> str:
    # the metrics per region × level × year and every coarser grouping (SQLite has no GROUPING SETS:
    # one SELECT per grouping, the columns not grouped on shown as NULL, and by_region / by_level / by_year
    # saying which were grouped on: a NULL in a grouped column is a real unknown, in another one "all")
    cols = ",\n    ".join(f"{v} AS {m.id}, {n} AS {m.id}_reports" for m in METRICS for v, n in [group_sql(m)])
    selects = []
    for keys in (("region", "level", "year"), ("level", "year"), ("region", "year"), ("year",), ("level",), ()):
        shown = ", ".join(f"r.{k}" if k in keys else f"NULL AS {k}" for k in ("region", "level", "year"))
        shown += ", " + ", ".join(f"{int(k in keys)} AS by_{k}" for k in ("region", "level", "year"))
        group = f"\nGROUP BY {', '.join('r.' + k for k in keys)}" if keys else ""
        # one report per agency-year is summed (reports.counted): the other copies only counted apart
        selects.append(f"SELECT {shown}, SUM(r.counted) AS reports, SUM(1 - r.counted) AS duplicates,\n    {cols}\n"
                       f"FROM reports r LEFT JOIN report_numbers n ON n.report_id = r.report_id AND r.counted = 1"
                       f"{group}")
    return "DROP VIEW IF EXISTS group_metrics;\nCREATE VIEW group_metrics AS\n" + "\nUNION ALL\n".join(selects) + ";"


#: a probable republication: (year, agency, source, other agency, other source)
Republished = tuple[int, str, str, str, str]
#: reports linked by more than one such match: (year, ((agency, source), …)), the shortest name first
RepublishedGroup = tuple[int, tuple[tuple[str, str], ...]]


class Republications(NamedTuple):
    """What :meth:`Store.republications` finds."""

    #: names that nest in a chain, identical cells: one agency to map (a chain: each longer name with its shortest)
    pairs: list[Republished]
    #: the same with fewer than :data:`REPUBLISHED_COUNTS` non-zero counts: small counts agree by chance, check first
    few: list[Republished]
    #: names that do not nest in a chain, linked by identical cells: no one agency, check before mapping
    groups: list[RepublishedGroup]
    #: reports of such groups with fewer than :data:`REPUBLISHED_COUNTS` non-zero counts (a common name: chance)
    left_out: int


def chains(rows: Iterable[Republished]) -> list[RepublishedGroup]:
    """The rows of :attr:`Republications.pairs` (or ``few``) joined by their shortest name: one line each
    republished report, (year, ((agency, source), …)) the longest name first and the shortest last."""
    joined: dict[tuple[int, str, str], list[tuple[str, str]]] = {}
    for year, agency, source, other, other_source in rows:
        joined.setdefault((year, other, other_source), []).append((agency, source))
    return [(year, (*sorted(longer, key=lambda m: (-len(m[0]), m)), (other, source)))
            for (year, other, source), longer in joined.items()]


#: an input stored, or stored again (its error: three parameters or three NULLs)
_UPSERT_INPUT = (
    "INSERT INTO inputs (path, path_bytes, size, mtime_ns, content_hash, loader, status, error_code, error_zh, "
    "error_en, report_id, seconds, run_id) VALUES (?,?,?,?,?,?,?,{error},?,?,?) "
    "ON CONFLICT (path_bytes) DO UPDATE SET path = excluded.path, size = excluded.size, "
    "mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash, loader = excluded.loader, "
    "status = excluded.status, error_code = excluded.error_code, error_zh = excluded.error_zh, "
    "error_en = excluded.error_en, report_id = excluded.report_id, seconds = excluded.seconds, "
    "run_id = excluded.run_id")
_UPSERT_INPUT_OK, _UPSERT_INPUT_FAILED = (_UPSERT_INPUT.format(error=e) for e in ("NULL,NULL,NULL", "?,?,?"))
#: a report's row of values (the format's cell ids consecutive: the first one bound); its amounts' exact text
#: (a JSON text with no string has none: no test of each value's type)
_VALUES = ("INSERT OR FAIL INTO cell_values SELECT ?, ? + key, value, {exact} FROM json_each(CAST(? AS TEXT))")
_VALUES_EXACT, _VALUES_NUMBERS = (_VALUES.format(exact=e) for e in ("CASE WHEN type = 'text' THEN value END", "NULL"))


def _blob(data: bytes | str) -> bytearray | str:
    """Bytes to bind as a BLOB (or CAST as text), as a bytearray: the driver binds one as it is, where it first offers
    bytes (and None) to the adapters registered (~3K instructions each: a look-up, two attribute look-ups); the copy
    costs a fraction of that.  Text (an Examined from another executor) is bound as it is."""
    return data if isinstance(data, str) else bytearray(data)


def _has_string(json_text: bytes | str) -> bool:
    """Whether a JSON text holds a string (a '"' is only ever in one, or one's bounds)."""
    return '"' in json_text if isinstance(json_text, str) else b'"' in json_text


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class StoreRefused(sqlite3.DatabaseError):
    """A database :class:`Store` does not open, and why (``reason``, in both languages); nothing in it is changed."""

    def __init__(self, path: str, reason: Label) -> None:
        self.reason = reason
        super().__init__(f"{path}: {reason.en}")


class NewerStore(StoreRefused):
    """A store a newer version of govdisclosure wrote (its ``schema_version`` above :data:`SCHEMA_VERSION`): not
    opened, so that this version neither writes its views over that version's nor lowers the version it says."""

    def __init__(self, path: str, found: str) -> None:
        super().__init__(path, Label(
            f"该存储由更新版本的 govdisclosure 写入（结构版本 {found}，本版本最高 {SCHEMA_VERSION}），"
            "请升级 govdisclosure 后再打开",
            f"the store was written by a newer govdisclosure (schema {found}; this version knows up to "
            f"{SCHEMA_VERSION}): upgrade govdisclosure to open it"))


class NotAStore(StoreRefused):
    """A database with tables but no schema version govdisclosure writes (every store has one from its first
    transaction): another program's database, or a store whose ``meta`` table was damaged.  Not opened, so that
    neither is written over."""

    def __init__(self, path: str, found: str | None) -> None:
        zh, en = ("没有结构版本", "no schema version") if found is None else \
            (f"结构版本 {found!r} 不是数字", f"its schema version {found!r} is not a number")
        super().__init__(path, Label(
            f"不是 govdisclosure 的审核存储，或其 meta 表已损坏（已有数据表，但{zh}）：请另选 --db 文件",
            f"not a govdisclosure audit store, or its meta table is damaged (it holds tables but {en}): give "
            "another --db file"))


def _schema_of(db: sqlite3.Connection) -> str | None:
    """The schema version a store says it has (None: no ``meta`` table, or no version in it)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else str(row[0])


def _refused(path: str, db: sqlite3.Connection) -> StoreRefused | None:
    """Why the database at ``path`` is not opened as a store (None: a new one, or a store this version reads)."""
    found = _schema_of(db)
    if found is None:
        return NotAStore(path, None) if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() \
            else None
    if not found.isdigit():
        return NotAStore(path, found)
    return NewerStore(path, found) if int(found) > int(SCHEMA_VERSION) else None


def _compact(value: Any) -> str:
    """A JSON column's text, as the docs promise it: no space after ``,`` and ``:``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    """An open audit store.  ``Store(path)`` creates the schema if needed; use as a context manager.  A store a
    newer version wrote (:class:`NewerStore`) and a database that is no store (:class:`NotAStore`) are not opened."""

    def __init__(self, path: str, *, registry: Registry | None = None) -> None:
        self.path = path
        self.registry = resolve_registry(registry)
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        refused = _refused(path, self.db)
        if refused is not None:
            self.db.close()
            raise refused
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA cache_size = -20000")
        # a store of schema 1 gains the column that says which copy of an agency-year is summed, one of
        # schema 2 the printed row of each cell (the catalogue below fills it)
        old = {row[1] for row in self.db.execute("PRAGMA table_info(reports)")}
        migrate = ("ALTER TABLE reports ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;"
                   if old and "counted" not in old else "")
        old_specs = {row[1] for row in self.db.execute("PRAGMA table_info(cell_specs)")}
        if old_specs and "printed_row" not in old_specs:
            migrate += "ALTER TABLE cell_specs ADD COLUMN printed_row TEXT;"
        # one of schema 3 the version that made each run (its inputs' run_id): NULL, an older version
        old_runs = {row[1] for row in self.db.execute("PRAGMA table_info(runs)")}
        if old_runs and "version" not in old_runs:
            migrate += "ALTER TABLE runs ADD COLUMN version TEXT;"
        # one script, one transaction: a store is created (or its views refreshed) whole or not at all
        self.db.executescript(f"BEGIN IMMEDIATE;\n{TABLES}\n{migrate}\n{_views()}\n"
                              f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');\nCOMMIT;")
        with self.transaction():
            self._catalogue()
        self._cells: dict[tuple[str, str | None], list[int]] = {}
        self._pairs_stored = 0
        # the year pairs this connection (one run) checked and stored: counted once, and kept when one of their two
        # reports is read again later in the run (both were read by this version when the pair was checked)
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS run_pairs (report_id INTEGER, previous_report_id INTEGER, "
                        "PRIMARY KEY (report_id, previous_report_id)) WITHOUT ROWID")
        #: re-store a report already stored (``--refresh``: read again by this version), once per run
        self.refresh = False
        self._refreshed: set[int] = set()
        #: the cursor a report's and an input's statements run on (Connection.execute makes a cursor each, and
        #: registers it with the connection); nothing is read from it but at once
        self._w = self.db.cursor()
        #: the inputs written are none of those stored, each written once (a run into a store that held no inputs
        #: when it began, whose walk meets each path once: ``run._Run``): none is looked up before it is written
        self.new_inputs = False
        for key in {(s.version, s.variant) for s in self._specs()}:
            self._cell_ids(*key)

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def transaction(self) -> Any:
        store = self

        class _Tx:
            def __enter__(self) -> None:
                store.db.execute("BEGIN IMMEDIATE")

            def __exit__(self, exc_type: Any, *_: Any) -> None:
                store.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return _Tx()

    def _specs(self) -> Iterator[Any]:
        reg = self.registry
        for version in reg.formats:
            yield reg.format(version)
        for variant in reg.variants.values():
            yield reg.format(variant.extends, variant.id)

    def _catalogue(self) -> None:
        from ..ingest.rows import printed_rows

        for spec in self._specs():
            key = spec.version + (f"/{spec.variant}" if spec.variant else "")
            # each cell's printed row (a row of the form, or a transposed block: table 4), named by its first cell,
            # where the parser records having found it
            printed = {c.pointer: cells[0].pointer for t in spec.tables for _, _, cells in printed_rows(spec, t.id)
                       for c in cells}
            rows = [(key, spec.version, spec.variant, i, c.pointer, c.table.id, c.row_id, c.column.id,
                     c.column.kind.value, c.table.label.zh,
                     " › ".join([*(g.zh for g in c.group_labels), c.row.label.zh]), c.column.label.zh,
                     c.table.label.en, c.row.label.en, c.column.label.en, term_of(c), printed.get(c.pointer, c.pointer))
                    for i, c in enumerate(spec.cells())]
            self.db.executemany(
                "INSERT INTO cell_specs (format_key, format_version, variant, position, pointer, table_id, row_id, "
                "column_id, kind, table_label, row_label, column_label, table_label_en, row_label_en, column_label_en, "
                "term, printed_row) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (format_key, pointer) "
                "DO UPDATE SET term = excluded.term, row_label = excluded.row_label, "
                "column_label = excluded.column_label, printed_row = excluded.printed_row", rows)
        self.db.executemany("INSERT OR REPLACE INTO rules VALUES (?,?,?,?)",
                            [(r.code, r.severity.value, r.description.zh, r.description.en)
                             for r in self.registry.rules.values()])
        from .rules import AUDIT_RULES

        self.db.executemany("INSERT OR REPLACE INTO rules VALUES (?,?,?,?)",
                            [(r.code, r.severity.value, r.description.zh, r.description.en) for r in AUDIT_RULES])

    def _cell_ids(self, version: str, variant: str | None) -> list[int]:
        key = (version, variant)
        ids = self._cells.get(key)
        if ids is None:
            fkey = version + (f"/{variant}" if variant else "")
            ids = [row[0] for row in self.db.execute(
                "SELECT cell_id FROM cell_specs WHERE format_key = ? ORDER BY position", (fkey,))]
            self._cells[key] = ids
        return ids

    # ------------------------------------------------------------------ runs and inputs

    def start_run(self) -> int:
        with self.transaction():
            cur = self.db.execute("INSERT INTO runs (started, version) VALUES (?, ?)", (_now(), self.version()))
        return int(cur.lastrowid or 0)

    def version(self) -> str:
        """What examines the inputs: the library's version and the other plugins installed (their rules, loaders)."""
        own = distribution_version()
        # core's plugins are the library's code however they were loaded (entry points, or registered in process
        # by GOVDISCLOSURE_PLUGINS=core, with no distribution): they are in its version, never listed
        plugins = sorted(f"{p.name} {p.version or '?'}" for p in self.registry.plugins()
                         if p.distribution != "govdisclosure" and not _own(self.registry.pm.get_plugin(p.name)))
        return f"govdisclosure {own}" + (f" + {', '.join(plugins)}" if plugins else "")

    def other_versions(self, *, walked: bool = True) -> list[tuple[str, int]]:
        """The stored inputs another version examined (None: one that did not record its version), by version; less
        those the run found gone (:meth:`unseen`): read again, they would not be there.  ``walked``: those the run's
        walk met (skipped unchanged), else the others (outside the paths given, or past an interruption): a run
        skips only what it walks, and --refresh reads only that again."""
        return [(v, n) for v, n in self.db.execute(
            "SELECT r.version, COUNT(*) FROM inputs i LEFT JOIN runs r USING (run_id) "
            "WHERE r.version IS NOT ? AND i.input_id NOT IN (SELECT input_id FROM temp.gone) "
            f"AND {'' if walked else 'NOT '}EXISTS (SELECT 1 FROM temp.seen s WHERE s.path_bytes = i.path_bytes) "
            "GROUP BY r.version ORDER BY 2 DESC", (self.version(),))]

    def finish_run(self, run_id: int, status: str, **counts: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET finished = ?, status = ?, seen = ?, skipped = ?, examined = ?, "
                            "failed = ?, reports = ? WHERE run_id = ?",
                            (_now(), status, counts.get("seen"), counts.get("skipped"), counts.get("examined"),
                             counts.get("failed"), counts.get("reports"), run_id))

    def known(self) -> dict[bytes, tuple[int | None, int | None]]:
        """path → (size, mtime_ns) of every stored input: what a new run may skip."""
        return {bytes(p): (s, m) for p, s, m in self.db.execute("SELECT path_bytes, size, mtime_ns FROM inputs")}

    def write(self, batch: Sequence[tuple[Input | Skipped, Outcome | None]], run_id: int, agencies: AgencyMap
              ) -> int:
        """Store a batch of examined inputs in one transaction (all of it, or none of it); returns how many of
        the year pairs the workers checked were stored (new rows of ``series_pairs``)."""
        self._pairs_stored = 0
        with self.transaction():
            for item, outcome in batch:
                if isinstance(item, Skipped):
                    if not self._kept(item.path, None, None, None, (item.code, item.reason_zh, item.reason_en)):
                        self._input(item.path, None, None, None, None, "failed",
                                    (item.code, item.reason_zh, item.reason_en), None, None, run_id)
                elif isinstance(outcome, Failed):
                    if self._kept(item.path, item.size, item.mtime_ns, outcome.digest,
                                  (outcome.code, outcome.reason_zh, outcome.reason_en)):
                        continue
                    self._input(item.path, item.size, item.mtime_ns, outcome.digest, None, "failed",
                                (outcome.code, outcome.reason_zh, outcome.reason_en), None, outcome.seconds, run_id)
                elif isinstance(outcome, Examined):
                    report_id = self._report(outcome, agencies)
                    self._input(item.path, item.size, item.mtime_ns, outcome.digest, outcome.loader, "ok", None,
                                report_id, outcome.seconds, run_id)
        return self._pairs_stored

    def _kept(self, path: bytes, size: int | None, mtime: int | None, digest: str | None,
              error: tuple[str, str, str]) -> bool:
        """Whether a stored report was kept for an input that could not be read again (a time limit on a busy
        machine, an I/O error on a share, a regression of a new version): when its bytes are unchanged (same size
        and time, or hash), or nothing could be looked at, the report stays and the input keeps it (status ``ok``,
        its run the one that read it), the failure recorded beside it (``error_code``).  A file whose bytes
        changed is another report: what it was is not kept."""
        row = self.db.execute("SELECT report_id, size, mtime_ns, content_hash FROM inputs WHERE path_bytes = ? "
                              "AND status = 'ok'", (path,)).fetchone()
        if row is None or row[0] is None:
            return False
        if not (size is None or (row[1], row[2]) == (size, mtime) or (digest is not None and digest == row[3])):
            return False
        self.db.execute("UPDATE inputs SET error_code = ?, error_zh = ?, error_en = ? WHERE path_bytes = ?",
                        (*error, path))
        return True

    def _input(self, path: bytes, size: int | None, mtime: int | None, digest: str | None, loader: str | None,
               status: str, error: tuple[str, str, str] | None, report_id: int | None, seconds: float | None,
               run_id: int) -> None:
        blob = _blob(path)
        old = None if self.new_inputs else self._w.execute("SELECT report_id FROM inputs WHERE path_bytes = ?",
                                                           (blob,)).fetchone()
        if error is None:  # (no NULL bound: the driver adapts a None)
            self._w.execute(_UPSERT_INPUT_OK,
                            (path_text(path), blob, size, mtime, digest, loader, status, report_id, seconds, run_id))
        else:
            self._w.execute(_UPSERT_INPUT_FAILED,
                            (path_text(path), blob, size, mtime, digest, loader, status, *error, report_id, seconds,
                             run_id))
        if old is not None and old[0] is not None and old[0] != report_id:
            self._drop_if_orphan(old[0])

    def begin_walk(self) -> None:
        """Start recording the paths a run walks (:meth:`saw`): :meth:`unseen` compares the stored inputs with them."""
        self.db.execute("DROP TABLE IF EXISTS temp.seen")
        self.db.execute("CREATE TEMP TABLE seen (path_bytes BLOB PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("DROP TABLE IF EXISTS temp.gone")
        self.db.execute("CREATE TEMP TABLE gone (input_id INTEGER, path TEXT, report_id INTEGER)")

    def saw(self, paths: Iterable[bytes]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO temp.seen VALUES (?)", ((_blob(p),) for p in paths))

    def unseen(self, folders: Sequence[bytes], *, prune: bool, unread: Sequence[bytes] = ()
               ) -> tuple[int, list[str], int, int]:
        """The stored inputs under ``folders`` that are gone (deleted, moved, renamed since): how many, the first few
        paths, how many reports went with them when ``prune`` drops them, and how many stored inputs under the
        folders were kept because nothing says they are gone.  A report read from such a path that the run saw
        elsewhere (a moved file) takes that path as its source.

        Only what is certainly gone counts: a stored input the walk did not meet is compared by its real path (a
        store may hold a folder under two spellings: absolute and relative, through a symlink), and is gone only
        when the file itself is not there (a file left out by ``--exclude`` or hidden was not looked at, not
        deleted).  Nothing under a folder the walk could not read (``unread``: a permission error, a share that
        dropped) or under a folder given that is now empty (a mount gone) is gone: those are kept."""
        if not folders:
            return 0, [], 0, 0
        roots = [os.path.realpath(f) for f in folders]
        # an empty folder given: an unmounted share looks like one; when in doubt, keep
        blocked = [os.path.realpath(p) for p in unread] + [r for r in roots if not _has_entries(r)]
        gone, kept = self._gone(roots, blocked)
        self.db.execute("DROP TABLE IF EXISTS temp.gone")
        self.db.execute("CREATE TEMP TABLE gone (input_id INTEGER, path TEXT, report_id INTEGER)")
        self.db.executemany("INSERT INTO temp.gone VALUES (?, ?, ?)", gone)
        n = len(gone)
        if not n:
            return 0, [], 0, kept
        shown = [str(p) for (p,) in self.db.execute("SELECT path FROM temp.gone ORDER BY path LIMIT 5")]
        dropped = 0
        with self.transaction():
            if prune:
                reports = [r for (r,) in self.db.execute(
                    "SELECT DISTINCT report_id FROM temp.gone WHERE report_id IS NOT NULL")]
                self.db.execute("DELETE FROM inputs WHERE input_id IN (SELECT input_id FROM temp.gone)")
                for rid in reports:
                    dropped += self._drop_if_orphan(rid)
            # a report whose source is gone names an input still there (one seen this run first)
            self.db.execute(
                "UPDATE reports SET source = (SELECT i.path FROM inputs i WHERE i.report_id = reports.report_id "
                "ORDER BY NOT EXISTS (SELECT 1 FROM temp.seen s WHERE s.path_bytes = i.path_bytes), i.path LIMIT 1) "
                "WHERE source IN (SELECT path FROM temp.gone) AND EXISTS (SELECT 1 FROM inputs i "
                "WHERE i.report_id = reports.report_id AND i.path NOT IN (SELECT path FROM temp.gone))")
        return n, shown, dropped, kept

    def _gone(self, roots: list[bytes], blocked: list[bytes]) -> tuple[list[tuple[int, str, int | None]], int]:
        """The stored inputs the walk did not meet whose real path lies under ``roots`` and whose file is not there
        (input_id, path, report_id); and how many such inputs may still be there (under ``blocked``, or the disk
        could not say): kept."""
        real_dirs: dict[bytes, bytes] = {}  # a folder's real path, once per folder (not per input)
        gone: list[tuple[int, str, int | None]] = []
        kept = 0
        for input_id, path, path_bytes, report_id in self.db.execute(
                "SELECT input_id, path, path_bytes, report_id FROM inputs i WHERE NOT EXISTS "
                "(SELECT 1 FROM temp.seen s WHERE s.path_bytes = i.path_bytes)"):  # (nothing is written meanwhile)
            folder, name = os.path.split(bytes(path_bytes))
            if folder not in real_dirs:
                real_dirs[folder] = os.path.realpath(folder or b".")
            real = os.path.join(real_dirs[folder], name)
            if not _under(real, roots):
                continue
            if blocked and (_under(real, blocked) or _under(os.path.realpath(path_bytes), blocked)):
                kept += 1
                continue
            try:
                os.lstat(path_bytes)
            except (FileNotFoundError, NotADirectoryError):
                gone.append((input_id, path, report_id))
            except OSError:  # it may be there: the disk or the share cannot say
                kept += 1
        return gone, kept

    def _drop_if_orphan(self, report_id: int) -> int:
        if self.db.execute("SELECT 1 FROM inputs WHERE report_id = ?", (report_id,)).fetchone():
            return 0
        for table in ("cell_values", "cell_provenance", "series_pairs", "findings"):
            self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        self.db.execute("DELETE FROM findings WHERE previous_report_id = ?", (report_id,))
        self.db.execute("DELETE FROM series_pairs WHERE previous_report_id = ?", (report_id,))
        self.db.execute("DELETE FROM reports WHERE report_id = ?", (report_id,))
        return 1

    def _report(self, ex: Examined, agencies: AgencyMap) -> int:
        # the JSON comes as UTF-8 (text from another executor works too): SQLite takes the bytes as the text they
        # are (CAST), where Python would decode them and the driver encode them again
        key, name, level, region = identity(ex.agency, ex.level, ex.region, ex.path, agencies)
        # stored unless its bytes are (most are new: one statement, where a look first was two)
        cur = self._w.execute(
            "INSERT INTO reports (content_hash, source, agency, agency_key, level, region, year, format_version, "
            "variant, published_on, title, envelope) VALUES (?,?,?,?,?,?,?,?,?,?,?,CAST(? AS TEXT)) "
            "ON CONFLICT (content_hash) DO NOTHING",
            (ex.digest, ex.path, name, key, level, region, ex.year, ex.format_version, ex.variant,
             ex.published_on, ex.title, _blob(ex.envelope)))
        if cur.rowcount:
            report_id = int(cur.lastrowid or 0)
        else:
            row = self.db.execute("SELECT report_id, source FROM reports WHERE content_hash = ?",
                                  (ex.digest,)).fetchone()
            if not self.refresh or row[0] in self._refreshed:
                return int(row[0])  # the same bytes at another path: one report
            report_id = int(row[0])
            self._restore(report_id, ex, identity(ex.agency, ex.level, ex.region, row[1], agencies))
        ids = self._cell_ids(ex.format_version, ex.variant)
        if ids and ids[-1] - ids[0] == len(ids) - 1:
            # the format's cell ids are consecutive: the whole row of values in one statement (SQLite's
            # json_each walks the array in C; amounts keep their exact decimal text beside the number: a JSON
            # text with no string has none, and no test of each value's type).  OR FAIL: no statement journal
            # (a failure fails the batch, whose transaction is rolled back whole)
            self._w.execute(_VALUES_EXACT if _has_string(ex.values) else _VALUES_NUMBERS,
                            (report_id, ids[0], _blob(ex.values)))
        else:
            values = json.loads(ex.values)
            self.db.executemany("INSERT INTO cell_values VALUES (?,?,?,?)",
                                zip(itertools.repeat(report_id), ids, values,
                                    [v if type(v) is str else None for v in values], strict=False))
        if ex.provenance:
            fkey = ex.format_version + (f"/{ex.variant}" if ex.variant else "")
            # CROSS JOIN keeps json_each outside: one index lookup per cell, not a scan of the catalogue per cell
            self._w.execute("INSERT OR FAIL INTO cell_provenance SELECT ?, s.cell_id, j.value "
                            "FROM json_each(CAST(? AS TEXT)) j "
                            "CROSS JOIN cell_specs s ON s.format_key = ? AND s.pointer = j.key",
                            (report_id, _blob(ex.provenance), fkey))
        self._findings(report_id, None, "report", ex.findings)
        for digest, rows in ex.pairs:  # year pairs the worker checked: the previous report came first
            prev = self.db.execute("SELECT report_id FROM reports WHERE content_hash = ?", (digest,)).fetchone()
            if prev is not None:
                cur = self.db.execute("INSERT OR IGNORE INTO series_pairs VALUES (?, ?)", (report_id, prev[0]))
                if cur.rowcount:  # a pair stored already has its findings stored with it
                    self._pairs_stored += cur.rowcount
                    self.db.execute("INSERT OR IGNORE INTO temp.run_pairs VALUES (?, ?)", (report_id, prev[0]))
                    self._findings(report_id, prev[0], "series", rows)
        return report_id

    def _restore(self, report_id: int, ex: Examined, named: tuple[str | None, str | None, str | None, str | None]
                 ) -> None:
        """A stored report read again by this version: what an older one stored of it goes, its id stays (its
        values, provenance and findings are then written as a new report's); ``named``: its identity (key, name,
        level, region)."""
        key, name, level, region = named
        self._refreshed.add(report_id)
        for table in ("cell_values", "cell_provenance"):
            self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        # its year pairs go (checked again), but not one this run checked already: its other report was read
        # before this one in the same chunk, both by this version (deleted, it was checked and counted twice)
        earlier = "NOT IN (SELECT report_id, previous_report_id FROM temp.run_pairs)"
        self.db.execute("DELETE FROM findings WHERE report_id = ? AND (previous_report_id IS NULL OR "
                        f"(report_id, previous_report_id) {earlier})", (report_id,))
        self.db.execute("DELETE FROM findings WHERE previous_report_id = ? AND "
                        f"(report_id, previous_report_id) {earlier}", (report_id,))
        self.db.execute(f"DELETE FROM series_pairs WHERE (report_id = ? OR previous_report_id = ?) AND "
                        f"(report_id, previous_report_id) {earlier}", (report_id, report_id))
        self.db.execute(
            "UPDATE reports SET agency = ?, agency_key = ?, level = ?, region = ?, year = ?, format_version = ?, "
            "variant = ?, published_on = ?, title = ?, envelope = CAST(? AS TEXT) WHERE report_id = ?",
            (name, key, level, region, ex.year, ex.format_version, ex.variant, ex.published_on, ex.title,
             _blob(ex.envelope), report_id))

    def _findings(self, report_id: int, previous: int | None, scope: str, rows: Iterable[FindingRow]) -> None:
        if previous is None:  # a report's own findings (most): no NULL bound each row (the driver adapts a None)
            self._w.executemany(
                "INSERT INTO findings (report_id, scope, code, severity, pointer, pointers, labels, params, "
                "message_zh, message_en) VALUES (?,?,?,?,?,?,?,?,?,?)", [(report_id, scope, *row) for row in rows])
            return
        self.db.executemany(
            "INSERT INTO findings (report_id, previous_report_id, scope, code, severity, pointer, pointers, labels, "
            "params, message_zh, message_en) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(report_id, previous, scope, *row) for row in rows])

    # ------------------------------------------------------------------ series

    def rekey(self, agencies: AgencyMap) -> tuple[str | None, int]:
        """Key every stored report with ``agencies`` when the store was keyed with another map (or none, or an
        older version that did not record it): the map is the whole store's, not only the inputs a run reads.
        Each report's identity is made again from what it published (its envelope) and its source, as when it
        was stored; :meth:`update_series` then regroups and checks the new pairs.  Returns the map the store was
        keyed with before (None: not recorded, "" none) and how many reports changed series or name."""
        digest = agencies.digest()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'agency_map'").fetchone()
        before = None if row is None else str(row[0])
        if before == digest:
            return before, 0
        changed = []
        for rid, name, level, region, source, *old in self.db.execute(
                "SELECT report_id, json_extract(envelope, '$.agency.name'), json_extract(envelope, '$.agency.level'), "
                "json_extract(envelope, '$.agency.region'), source, agency_key, agency, level, region FROM reports"):
            new = identity(name, level, region, source or "", agencies)
            if tuple(old) != new:
                changed.append((*new, rid))
        with self.transaction():
            self.db.executemany("UPDATE reports SET agency_key = ?, agency = ?, level = ?, region = ? "
                                "WHERE report_id = ?", changed)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('agency_map', ?)", (digest,))
            # regrouped in the same transaction: a store is never keyed with one map and grouped by another
            # (Ctrl-C before the run's own regrouping left one agency in two series, its duplicates unflagged)
            self._regroup()
        return before, len(changed)

    def report(self, report_id: int) -> Any:
        """The stored report, rebuilt into the model (as it was loaded)."""
        return read_report(self.db, report_id, self.registry)

    def update_series(self) -> Iterator[tuple[int, int]]:
        """Group reports into series by agency key, flag duplicate agency-years, drop the cross-year
        findings of pairs that no longer exist; then yield, in series order, the year pairs (report,
        previous) not checked yet.  Set-based in SQL and read back in pages, so memory does not grow
        with the store."""
        with self.transaction():
            self._regroup()
        return self._todo_pairs()

    def _regroup(self) -> None:
        """:meth:`update_series`'s work, inside the caller's transaction (:meth:`rekey` regroups in the same one)."""
        from .rules import DUPLICATE, make

        self.db.execute("DELETE FROM findings WHERE scope = 'audit'")
        self.db.execute("DELETE FROM series WHERE agency_key NOT IN "
                        "(SELECT agency_key FROM reports WHERE agency_key IS NOT NULL)")
        # one row per agency, named by its latest report
        self.db.execute(
            "INSERT INTO series (agency_key, agency, level, region, first_year, last_year, reports, "
            "missing_years, duplicate_years) "
            "SELECT agency_key, agency, level, region, first, last, n, '[]', '[]' FROM ("
            "SELECT agency_key, agency, level, region, MIN(year) OVER w AS first, MAX(year) OVER w AS last, "
            "COUNT(*) OVER w AS n, ROW_NUMBER() OVER (PARTITION BY agency_key ORDER BY year IS NULL, year DESC, "
            "report_id DESC) AS latest FROM reports WHERE agency_key IS NOT NULL "
            "WINDOW w AS (PARTITION BY agency_key)) WHERE latest = 1 "
            "ON CONFLICT (agency_key) DO UPDATE SET agency = excluded.agency, level = excluded.level, "
            "region = excluded.region, first_year = excluded.first_year, last_year = excluded.last_year, "
            "reports = excluded.reports, missing_years = '[]', duplicate_years = '[]'")
        self._flag_reports()
        dups = itertools.groupby(self.db.execute(  # few: only the duplicates; the summed copy first, then by source
            "SELECT series_id, year, report_id FROM reports WHERE duplicate = 1 "
            "ORDER BY series_id, year, counted DESC, source, report_id").fetchall(), key=lambda row: row[:2])
        by_series: dict[int, list[int]] = {}
        for (series_id, year), rows in dups:
            by_series.setdefault(series_id, []).append(year)
            members = [rid for _, _, rid in rows]
            sources = {i: self._source(i) for i in members[:SHOWN_DUPLICATES + 1]}
            for rid in members:
                # name a few of the others (a folder may hold a report copied a hundred times)
                others = [sources[i] for i in members[:SHOWN_DUPLICATES + 1] if i != rid][:SHOWN_DUPLICATES]
                more = len(members) - 1 - len(others)
                names = ", ".join(others) + (f" (+{more})" if more else "")
                # whether the copies differ: each compared with the summed copy (that one with the next)
                ref = members[1] if rid == members[0] else members[0]
                self._findings(rid, None, "audit", [finding_row(make(
                    DUPLICATE, year=year, count=len(members), others=names,
                    **self._differ(rid, ref, named=len(members) > 2)))])
        self.db.executemany("UPDATE series SET duplicate_years = ? WHERE series_id = ?",
                            [(_compact(years), sid) for sid, years in by_series.items()])
        # the years missing inside each series' span (only series with a gap are read)
        gaps = []
        for sid, first, last, years in self.db.execute(
                "SELECT s.series_id, s.first_year, s.last_year, json_group_array(DISTINCT r.year) FROM series s "
                "JOIN reports r USING (series_id) WHERE r.year IS NOT NULL GROUP BY s.series_id "
                "HAVING COUNT(DISTINCT r.year) < s.last_year - s.first_year + 1"):
            have = set(json.loads(years))
            gaps.append((_compact([y for y in range(first, last + 1) if y not in have]), sid))
        self.db.executemany("UPDATE series SET missing_years = ? WHERE series_id = ?", gaps)
        # the pairs the series now have, in series order: stale checks go, new ones are queued
        self.db.execute("DROP TABLE IF EXISTS temp.wanted_pairs")
        self.db.execute(
            "CREATE TEMP TABLE wanted_pairs AS SELECT r.report_id, p.report_id AS previous_report_id "
            "FROM reports r JOIN reports p ON p.agency_key = r.agency_key AND p.year = r.year - 1 "
            "ORDER BY r.agency_key, r.year, r.report_id, p.report_id")
        stale = ("SELECT report_id, previous_report_id FROM series_pairs EXCEPT "
                 "SELECT report_id, previous_report_id FROM temp.wanted_pairs")
        self.db.execute("DELETE FROM findings WHERE previous_report_id IS NOT NULL AND "
                        f"(report_id, previous_report_id) IN ({stale})")
        self.db.execute(f"DELETE FROM series_pairs WHERE (report_id, previous_report_id) IN ({stale})")
        self.db.execute("DROP TABLE IF EXISTS temp.todo_pairs")
        self.db.execute(
            "CREATE TEMP TABLE todo_pairs AS SELECT w.report_id, w.previous_report_id FROM temp.wanted_pairs w "
            "WHERE NOT EXISTS (SELECT 1 FROM series_pairs s WHERE s.report_id = w.report_id AND "
            "s.previous_report_id = w.previous_report_id) ORDER BY w.rowid")

    def _flag_reports(self) -> None:
        """Each report's series (the series' rows made), whether its agency-year is a duplicate, and whether it is the
        copy summed.  Set only where they change: SQLite rewrites a row it updates (its envelope too), and most keep
        theirs (a report grouped before, a new one not a duplicate)."""
        series = "(SELECT series_id FROM series s WHERE s.agency_key = reports.agency_key)"  # NULL: no agency
        self.db.execute(f"UPDATE reports SET series_id = {series} WHERE series_id IS NOT {series}")
        duplicate = ("COALESCE((agency_key, year) IN (SELECT agency_key, year FROM reports "
                     "WHERE agency_key IS NOT NULL AND year IS NOT NULL GROUP BY agency_key, year "
                     "HAVING COUNT(*) > 1), 0)")
        self.db.execute(f"UPDATE reports SET duplicate = {duplicate} WHERE duplicate IS NOT {duplicate}")
        # of each duplicate agency-year one report is summed in the group figures: the one with the fewest
        # empty cells (blank, unsettled or not found), then the first by source path, then the first stored
        counted = ("(report_id NOT IN (SELECT report_id FROM (SELECT r.report_id, ROW_NUMBER() OVER (PARTITION BY "
                   "r.agency_key, r.year ORDER BY (SELECT COUNT(*) FROM cell_values v WHERE v.report_id = "
                   "r.report_id AND v.value IS NULL), r.source, r.report_id) AS n FROM reports r "
                   "WHERE r.duplicate = 1) WHERE n > 1))")
        self.db.execute(f"UPDATE reports SET counted = {counted} WHERE counted IS NOT {counted}")

    def _differ(self, report_id: int, other: int, *, named: bool) -> dict[str, Any]:
        """The params of GD-AUDIT-DUPLICATE that say how ``report_id``'s cells differ from ``other``'s (the cells the
        two formats share, by pointer): how many, the first, and the words for the message (naming ``other`` when
        the message names several others)."""
        n, first_zh, first_en = self.db.execute(
            # the first by position (as a number: 10 is after 3), its labels in both languages
            "SELECT COUNT(*), "
            "MIN(printf('%08d', sa.position) || char(31) || sa.row_label || ' · ' || sa.column_label), "
            "MIN(printf('%08d', sa.position) || char(31) || sa.row_label_en || ' · ' || sa.column_label_en) "
            "FROM cell_values va JOIN cell_specs sa ON sa.cell_id = va.cell_id "
            "JOIN reports rb ON rb.report_id = ? "
            "JOIN cell_specs sb ON sb.pointer = sa.pointer AND sb.format_key = rb.format_version || "
            "COALESCE('/' || rb.variant, '') "
            "JOIN cell_values vb ON vb.report_id = rb.report_id AND vb.cell_id = sb.cell_id "
            "WHERE va.report_id = ? AND COALESCE(va.exact, va.value) IS NOT COALESCE(vb.exact, vb.value)",
            (other, report_id)).fetchone()
        source = self._source(other)
        zh, en = (f"与 {source} 相比，", f" from {source}'s") if named else ("", "")
        if not n:
            said = Label(f"{zh}单元格完全相同", f"cells identical{en}")
        else:
            said = Label(f"{zh}{n} 个单元格不同（首个：{first_zh.split(chr(31))[1]}）",
                         f"{n} cell{'s' if n != 1 else ''} differ{'s' if n == 1 else ''}{en} "
                         f"(first: {first_en.split(chr(31))[1]})")
        return {"cells": said, "cells_differ": n, "compared_with": source}

    def republications(self) -> Republications:
        """Probable republications: summed reports of one year under names that nest (青川市白河县人民政府 and
        白河县人民政府: one name ends with the other, as a city portal prints a county's report) whose cells are
        identical, with :data:`REPUBLISHED_COUNTS` non-zero counts at least.  Never merged — 朝阳区 is in Beijing
        and in Changchun — but listed, so that the researcher maps them (``--agencies``): rows (year, agency,
        source, other agency, other source).  Names that nest in a chain (川北省青川市白河县人民政府 ⊃
        青川市白河县人民政府 ⊃ 白河县人民政府: county, city and province portals all print county reports) are one
        agency too: each longer name is listed with the chain's shortest (:func:`chains` joins them again).

        Reports so linked whose names do not nest in a chain (教育局 ≈ 白河县教育局 and ≈ 青川县教育局: if 教育局's
        cells equal both, the two county bureaus equal each other — a template copied between counties, or a report
        put under the wrong name) are no pair to map, which would merge them all: they are returned apart, one group
        per set of reports linked by matches, (year, ((agency, source), …)) the shortest name first.

        Below :data:`REPUBLISHED_COUNTS` (but not all zero) a chain is still listed, apart (``few``: small counts
        agree by chance, check first) — a township's report republished is summed twice otherwise, with no hint —
        while a fan of such names (城关镇人民政府 ≈ the 城关镇 of several counties) is what chance does: only the
        number of its reports is said (``left_out``).
        Each name is looked up by its endings (a dozen lookups a report), never compared with every other."""
        matches = self._republished()
        # the reports linked by matches (each match joins two), found by following the links
        links: dict[int, set[int]] = {}
        for a, b, _ in matches:
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
        many = {a for a, _, enough in matches if enough} | {b for _, b, enough in matches if enough}
        named = {rid: self.db.execute("SELECT year, agency, source, agency_key FROM reports WHERE report_id = ?",
                                      (rid,)).fetchone() for rid in links}
        pairs: list[Republished] = []
        few: list[Republished] = []
        groups: list[RepublishedGroup] = []
        left_out, done = 0, set()
        for rid in sorted(links):
            if rid in done:
                continue
            group, todo = {rid}, [rid]
            while todo:
                for other in links[todo.pop()] - group:
                    group.add(other)
                    todo.append(other)
            done |= group
            members = sorted(group, key=lambda i: (len(named[i][3]), named[i][3], named[i][2] or ""))
            keys = [named[i][3] for i in members]
            # a chain: every name ends with each shorter one (then all are one agency's); else a fan
            chain = all(longer.endswith(short) for short, longer in itertools.pairwise(keys))
            enough = bool(group & many)  # cells identical throughout: one report has the counts, all have
            if chain:
                (year, other, other_source, _), *longer = (named[i] for i in members)
                (pairs if enough else few).extend(
                    (year, agency, source, other, other_source) for _, agency, source, _ in longer)
            elif enough:
                groups.append((named[rid][0], tuple((named[i][1], named[i][2]) for i in members)))
            else:
                left_out += len(group)
        return Republications(sorted(pairs), sorted(few), sorted(groups), left_out)

    def _republished(self) -> list[tuple[int, int, bool]]:
        """(report, report of the shorter name, whether they have :data:`REPUBLISHED_COUNTS` non-zero counts) of
        each match :meth:`republications` lists: identical cells, not all zero."""
        by_key: dict[tuple[str, int], list[int]] = {}
        rows = self.db.execute("SELECT report_id, agency_key, year FROM reports WHERE counted = 1 AND year IS NOT NULL "
                               "AND agency_key IS NOT NULL AND agency_key NOT LIKE 'id:%'").fetchall()
        for rid, key, year in rows:
            by_key.setdefault((key, year), []).append(rid)
        matches: list[tuple[int, int, bool]] = []
        for rid, key, year in rows:
            for cut in range(1, len(key) - 1):  # the shorter name keeps two characters at least
                for other in by_key.get((key[cut:], year), ()):
                    if self._differ(rid, other, named=False)["cells_differ"] == 0 and (n := self._counts(rid)):
                        matches.append((rid, other, n >= REPUBLISHED_COUNTS))
        return matches

    def _counts(self, report_id: int) -> int:
        """A report's non-zero counts of its own (a total repeats its row's), up to :data:`REPUBLISHED_COUNTS`."""
        return int(self.db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM cell_values v JOIN cell_specs s USING (cell_id) "
            "WHERE v.report_id = ? AND v.value != 0 AND s.row_id != 'total' AND s.column_id != 'total' LIMIT ?)",
            (report_id, REPUBLISHED_COUNTS)).fetchone()[0])

    def _todo_pairs(self) -> Iterator[tuple[int, int]]:
        last = 0
        while True:  # read back in pages: nothing is held but a page
            page = self.db.execute("SELECT rowid, report_id, previous_report_id FROM temp.todo_pairs "
                                   "WHERE rowid > ? ORDER BY rowid LIMIT 1000", (last,)).fetchall()
            if not page:
                return
            last = page[-1][0]
            for _, rid, prev in page:
                yield rid, prev

    def _source(self, report_id: int) -> str:
        row = self.db.execute("SELECT source FROM reports WHERE report_id = ?", (report_id,)).fetchone()
        return str(row[0]) if row else str(report_id)

    def write_pairs(self, results: Iterable[tuple[int, int, Sequence[FindingRow]]]) -> None:
        """Store the cross-year findings of checked pairs (and remember the pairs as checked)."""
        with self.transaction():
            for rid, prev, rows in results:
                self.db.execute("INSERT OR IGNORE INTO series_pairs VALUES (?, ?)", (rid, prev))
                self.db.execute("INSERT OR IGNORE INTO temp.run_pairs VALUES (?, ?)", (rid, prev))
                self._findings(rid, prev, "series", rows)

    def pairs_checked(self) -> int:
        """The year pairs this run checked that the store holds (each once, however often its reports were stored)."""
        return int(self.db.execute("SELECT COUNT(*) FROM temp.run_pairs JOIN series_pairs "
                                   "USING (report_id, previous_report_id)").fetchone()[0])

    # ------------------------------------------------------------------ reading back

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        self.db.row_factory = sqlite3.Row
        try:
            return self.db.execute(sql, params).fetchall()
        finally:
            self.db.row_factory = None

    def findings_of(self, report_id: int) -> list[Finding]:
        """The stored findings of a report, as :class:`Finding` objects (for the renderers)."""
        out = []
        for code, sev, ptr, ptrs, labels, params, zh, en in self.db.execute(
                "SELECT code, severity, pointer, pointers, labels, " + FINDING_PARAMS + ", message_zh, message_en "
                "FROM findings f WHERE report_id = ? ORDER BY finding_id", (report_id,)):
            out.append(Finding(code=code, severity=Severity(sev), message=Label(zh, en), pointer=ptr or "",
                               pointers=tuple(json.loads(ptrs or "[]")), labels=tuple(json.loads(labels or "[]")),
                               params=json.loads(params or "{}")))
        return out


def _own(plugin: Any) -> bool:
    """Whether a plugin object (a module or an instance) is govdisclosure's own code."""
    module = plugin.__name__ if isinstance(plugin, types.ModuleType) else type(plugin).__module__
    return bool(module == "govdisclosure" or str(module).startswith("govdisclosure."))


def _under(path: bytes, folders: Iterable[bytes]) -> bool:
    return any(path == f or path.startswith(os.path.join(f, b"")) for f in folders)


def _has_entries(folder: bytes) -> bool:
    """Whether a folder holds anything but hidden entries (False when it cannot be listed: nothing to go by)."""
    try:
        with os.scandir(folder) as entries:
            return any(not e.name.startswith(b".") for e in entries)
    except OSError:
        return False


def read_report(db: sqlite3.Connection, report_id: int, registry: Registry) -> Any:
    """A stored report rebuilt into the model, from any connection to the store (a worker's read-only one)."""
    # a format's cell ids follow its cells' order (they are catalogued in that order): one JSON array back
    envelope, values = db.execute(
        "SELECT envelope, (SELECT json_group_array(COALESCE(exact, value)) FROM (SELECT value, exact FROM cell_values "
        "WHERE report_id = r.report_id ORDER BY cell_id)) FROM reports r WHERE report_id = ?", (report_id,)).fetchone()
    provenance = {p: json.loads(v) for p, v in db.execute(
        "SELECT s.pointer, c.provenance FROM cell_provenance c JOIN cell_specs s USING (cell_id) "
        "WHERE c.report_id = ?", (report_id,))}
    return rebuild(json.loads(envelope), json.loads(values), provenance, registry)


def size_of(path: str) -> int:
    """Bytes on disk of the store, with its write-ahead log."""
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
