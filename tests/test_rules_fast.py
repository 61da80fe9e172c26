"""The rule engine's and the structural checks' faster paths give what the plain way gives.

The plain way, written out here as it was: every rule run through ``_run_rule`` (a balance judged on every
instance, not only on those the generated test lets through), the checks as they read the report before
(``report.cell``, every table's values), a finding made by attrs' ``__init__`` and labelled by
``spec.label_at`` pointer by pointer.  Compared on the corpus's complete reports, mutated.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.findings import Finding, Severity
from govdisclosure.labels import Label
from govdisclosure.model import Report
from govdisclosure.registry import Registry
from govdisclosure.rules import checks, engine
from govdisclosure.rules.types import Check, Equation, RuleContext, run_complete

from .conftest import DATA

COMPLETE = ("001-hutubi-shanggongxinju-2020-seed.txt", "009-pingtan-2020-zfxxgknb.txt", "012-pingtan-2022-zfxxgknb.txt",
            "013-pingtan-2024-zfxxgknb.txt", "020-huaian-city-2024-pdf.txt", "021-huaian-hongze-district-2023-pdf.txt",
            "022-huaian-hongze-district-2024-pdf.txt")


@pytest.fixture(scope="module")
def parsed() -> list[gd.LoadResult]:
    return [gd.parse((DATA / "corpus" / "reports" / name).read_text(encoding="utf-8"), from_="text")
            for name in COMPLETE]


# ----------------------------------------------------------------------------- the plain way


class _PlainContext(RuleContext):
    __slots__ = ()

    def finding(self, *, pointer: str = "", pointers: Any = (), labels: Any = (), **params: Any) -> Finding:
        ptrs = tuple(pointers) or ((pointer,) if pointer else ())
        named = tuple(labels)
        if not named and self.spec is not None and ptrs:
            found = [self.spec.label_at(p) for p in ptrs]
            if all(found):
                named = tuple(label.zh for label in found if label is not None)
        return _plain_make(self.rule.code, self.rule.severity, self.rule.message, pointer=pointer, pointers=ptrs,
                           labels=named, params=params)


def _plain_make(code: str, severity: Any, template: Label, *, pointer: str = "", pointers: Any = (),
                labels: Any = (), file: str | None = None, line: int | None = None, column: int | None = None,
                page: int | None = None, params: dict[str, Any] | None = None, **more: Any) -> Finding:
    zh: dict[str, Any] = {**params, **more} if params else more
    named = [(key, value) for key, value in zh.items() if isinstance(value, Label)]
    en = zh
    if named:
        en = zh.copy()
        for key, value in named:
            zh[key], en[key] = value.zh, value.en
    return Finding(code=code, severity=severity, message=Label(template.zh.format_map(zh), template.en.format_map(en)),
                   pointer=pointer, pointers=tuple(pointers) or ((pointer,) if pointer else ()), labels=tuple(labels),
                   params=zh, file=file, line=line, column=column, page=page)


def _sections(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    for part, pointer in ((p, f"/{p.id}" if p.is_table else f"/parts/{p.id}") for p in report.spec.parts):
        if part.is_table:
            values = ctx.values(report, part.id)
            empty = not values or (values[0] is None and values.count(None) == len(values))
        else:
            text = getattr(report.parts, part.id)
            empty = not text or text.isspace()
        if empty:
            yield ctx.finding(pointer=pointer, part=part.heading)


def _t2_published(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    for path, row_spec, block in report.spec.rows("proactive"):
        columns = {c.id: c for c in block.columns}
        if not {"made", "published", "total_published"} <= columns.keys():
            continue
        base = f"/proactive/{path[0]}"
        published, total, made = (report.cell(f"{base}/{c}") for c in ("published", "total_published", "made"))
        if published is None:
            continue
        for other, bad in (("total_published", total is not None and published > total),
                           ("made", made is not None and made < published)):
            if bad:
                a, b = columns["published"].label, columns[other].label
                yield ctx.finding(pointer=f"{base}/{'published' if other == 'total_published' else 'made'}",
                                  pointers=[f"{base}/published", f"{base}/{other}"],
                                  row=row_spec.label, a=a, av=published, b=b, bv=report.cell(f"{base}/{other}"))


def _text_numbers(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    if report.stated is None:
        return
    for stated in report.spec.stated:
        said = getattr(report.stated, stated.id, None)
        readings = stated.readings
        if said is None or not readings:
            continue
        sums = []
        for pointers in readings:
            values = [report.cell(p) for p in pointers]
            present = [v for v in values if v is not None]
            if len(present) < len(values):
                break
            sums.append(sum(present))
        else:
            if said not in sums:
                shown = [(total, [report.spec.label_at(p) or Label(p, p) for p in pointers])
                         for total, pointers in zip(sums, readings, strict=True)]
                table = Label(" / ".join(f"{t}（{' + '.join(n.zh for n in names)}）" for t, names in shown),
                              " / ".join(f"{t} ({' + '.join(n.en for n in names)})" for t, names in shown))
                yield ctx.finding(pointer=f"/stated/{stated.id}", pointers=list(readings[0]), said=said,
                                  table=table, what=stated.label)


_PLAIN_CHECKS = {checks._sections: _sections, checks._t2_published: _t2_published,
                 checks._text_numbers: _text_numbers}


def _plain(report: Report, loaded: tuple[Finding, ...]) -> list[Finding]:
    registry = Registry.default()
    memo: dict[Any, Any] = {}
    out: list[Finding] = []
    for rule in registry.runnable(report.spec):
        if isinstance(rule, Equation) and rule.scope == "report":
            plan = engine._plan(rule, report.spec, None)
            out.extend(engine._judged(rule, plan, report.values(), list(plan.instances), None))
        elif isinstance(rule, Check) and rule.scope == "report":
            ctx = _PlainContext(rule, memo, registry=registry, load_findings=loaded, spec=report.spec)
            out.extend(_PLAIN_CHECKS.get(rule.check, rule.check)(report, ctx))  # type: ignore[call-arg, arg-type]
    return sorted(out, key=lambda f: (f.severity.rank, f.code))


# ----------------------------------------------------------------------------- mutated reports


def _mutated(report: Report, data: st.DataObject) -> Report:
    cells = report.spec.cells()
    picked = data.draw(st.lists(st.integers(0, len(cells) - 1), max_size=6), label="cells")
    values = {cells[i].pointer: data.draw(st.none() | st.integers(0, 5000), label=cells[i].pointer) for i in picked}
    if data.draw(st.booleans(), label="a total moved by one"):
        total = data.draw(st.sampled_from([c.pointer for c in cells if c.column.id == "total"]), label="total")
        old = report.cell(total)
        values[total] = (old or 0) + 1
    out = report.with_cells(values)
    if data.draw(st.booleans(), label="a part emptied"):
        part = data.draw(st.sampled_from(["overview", "other", "problems"]), label="part")
        out = attrs.evolve(out, parts=attrs.evolve(out.parts, **{part: data.draw(st.sampled_from(["", " ", None]))}))
    if out.stated is not None and data.draw(st.booleans(), label="a stated count changed"):
        out = attrs.evolve(out, stated=attrs.evolve(out.stated, received=data.draw(st.none() | st.integers(0, 5000))))
    if data.draw(st.booleans(), label="a table wholly blank"):
        table = data.draw(st.sampled_from([t.id for t in report.spec.tables]), label="table")
        out = out.with_cells({c.pointer: None for c in cells if c.table.id == table})
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validate_gives_what_the_plain_engine_gives(parsed: list[gd.LoadResult], data: st.DataObject) -> None:
    result = parsed[data.draw(st.integers(0, len(parsed) - 1), label="report")]
    report = _mutated(result.report, data)
    fast = engine.evaluate(report, Registry.default().runnable(report.spec), load_findings=result.findings)
    plain = _plain(report, result.findings)
    assert [f.to_dict() for f in fast] == [f.to_dict() for f in plain]
    assert fast == plain


def test_the_corpus_reports_as_published(parsed: list[gd.LoadResult]) -> None:
    for result in parsed:
        fast = engine.evaluate(result.report, Registry.default().runnable(result.report.spec),
                               load_findings=result.findings)
        assert [f.to_dict() for f in fast] == [f.to_dict() for f in _plain(result.report, result.findings)]
        assert run_complete(result.report, {}) == (None not in result.report.values())


# ----------------------------------------------------------------------------- a finding


_words = st.text(max_size=8)
_labels = st.builds(Label, _words, _words)
_params = st.dictionaries(st.sampled_from(["a", "b", "c"]),
                          st.one_of(st.integers(), _words, _labels, st.lists(st.integers(), max_size=3)), max_size=3)


@given(code=st.sampled_from(["GD-A-B", "GD-M-X"]), severity=st.sampled_from([*Severity, "info", "error"]),
       pointer=_words, pointers=st.lists(_words, max_size=3), labels=st.lists(_words, max_size=3),
       params=st.none() | _params, more=_params, where=st.tuples(*[st.none() | st.integers(0, 9)] * 3),
       file=st.none() | _words)
def test_a_finding_made_is_what_attrs_init_makes(code: str, severity: Any, pointer: str, pointers: list[str],
                                                  labels: list[str], params: dict[str, Any] | None,
                                                  more: dict[str, Any], where: tuple[int | None, ...],
                                                  file: str | None) -> None:
    template = Label("{a} {b} {c}", "{c}: {b} {a}")
    full = {"a": 0, "b": 0, "c": 0, **(params or {}), **more}
    line, column, page = where
    made = Finding.make(code, severity, template, pointer=pointer, pointers=pointers, labels=labels, file=file,
                        line=line, column=column, page=page, params=dict(full))
    plain = _plain_make(code, severity, template, pointer=pointer, pointers=pointers, labels=labels, file=file,
                        line=line, column=column, page=page, params=dict(full))
    assert type(made) is Finding
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert made.to_dict() == plain.to_dict()
    assert pickle.loads(pickle.dumps(made)) == made
    assert attrs.evolve(made, file="x") == attrs.evolve(plain, file="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.code = "GD-C-D"  # type: ignore[misc]


def test_a_subclass_makes_its_findings_with_its_own_init() -> None:
    @attrs.frozen(kw_only=True)
    class Mine(Finding):
        extra: int = 7

    made = Mine.make("GD-A-B", "info", Label("{a}", "{a}"), pointer="/x", a=1)
    assert type(made) is Mine and made.extra == 7 and made.message == Label("1", "1")


class _Index:
    """An object an array of integers takes (by ``__index__``), though it is no int."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


def _plain_values_reference(spec: Any, values: tuple[Any, ...]) -> bool:
    """``rules.types._plain`` as it was: blanks always left out before the arrays take the values."""
    from array import array
    from decimal import Decimal

    from govdisclosure.rules import types

    counts, signed, amounts = types._kinds(spec)
    try:
        array("Q", [v for v in counts(values) if v is not None])
        array("q", [v for v in signed(values) if v is not None])
    except (TypeError, OverflowError):
        return False
    return all(values[i] is None or (((type(values[i]) is Decimal and values[i].is_finite())
                                      or type(values[i]) is int) and values[i] >= 0) for i in amounts)


_ODD_VALUES = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([2**62 - 1, 2**62, -2**62 + 1, -2**62, 2**63 - 1, 2**63,
                                                                         2**64 - 1, 2**64, -2**63, -2**63 - 1, True,
                                                                         False, 1.0, "1"]),
                        st.builds(_Index, st.integers(-2, 2**64)))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_plain_values_are_found_as_the_plain_way_finds_them(parsed: list[gd.LoadResult], data: st.DataObject) -> None:
    from govdisclosure.rules import types

    report = data.draw(st.sampled_from(parsed)).report
    values = list(report.values())
    for _ in range(data.draw(st.integers(0, 4))):
        values[data.draw(st.integers(0, len(values) - 1))] = data.draw(_ODD_VALUES)
    changed = tuple(values)
    plain = types._plain(report.spec, changed)
    assert bool(plain) == _plain_values_reference(report.spec, changed)
    # _COMPLETE: plain, and no value blank (what run_complete then takes without looking)
    assert (plain == types._COMPLETE) == (bool(plain) and None not in changed)


def test_a_checks_values_of_no_table_are_the_models_error_in_both_builds() -> None:
    # (review 18: compiled, the run's reader took a table's id only, and a plugin's bug raised a TypeError there)
    from govdisclosure.errors import UnknownFormatError

    report = gd.parse(str(DATA / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt")).report
    rule = next(iter(gd.Registry.default().rules.values()))
    for table in (5, b"requests", "nope"):
        with pytest.raises(UnknownFormatError) as expected:
            report.values(table)  # type: ignore[arg-type]
        with pytest.raises(UnknownFormatError) as got:
            RuleContext(rule).values(report, table)  # type: ignore[arg-type]
        assert str(got.value) == str(expected.value)
    assert RuleContext(rule).values(report, "requests") == report.values("requests")
