"""The parser's fast paths give what the plain ones give: the direct build of the typed report
(``from_values``) makes what ``from_data`` makes of the same canonical data, and where a value is not
plain, fails as ``from_data`` fails; a statement searched from its words finds what a whole search finds."""

from __future__ import annotations

import copy
import json
import pickle
import random
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.ingest.assemble import tables_of
from govdisclosure.model.convert import from_data, from_values, plain_report, to_data

REPORT = Path(__file__).parent / "data" / "corpus" / "reports" / "013-pingtan-2024-zfxxgknb.txt"


def _envelope(report: gd.Report) -> dict:
    data = to_data(report)
    return {k: v for k, v in data.items()
            if k not in ("format_version", "variant") and k not in {t.id for t in report.spec.tables}}


def test_same_report() -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    built = from_values(_envelope(report), report.values(), spec, tables_of(spec))
    assert built == report and built.provenance == report.provenance
    assert gd.dump(built) == gd.dump(report)


@pytest.mark.parametrize("bad", [-1, 10**15, True, "7", 1.5])
def test_a_value_not_plain_fails_as_from_data(bad: object) -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    values = (bad, *report.values()[1:])
    envelope = _envelope(report)
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(values)}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, values, spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]


def test_an_amount_and_provenance_not_plain() -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    amount = next(i for i, c in enumerate(spec.cells()) if c.column.kind.name == "AMOUNT")
    values = list(report.values())
    values[amount] = Decimal("1E+2")
    envelope = _envelope(report)
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(tuple(values))}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, tuple(values), spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]
    envelope["provenance"] = {**envelope.get("provenance", {}), spec.cells()[0].pointer: {"raw": "a\x00b"}}
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(report.values())}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, report.values(), spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]


def test_number_first_statement_searched_from_its_words() -> None:
    """The narrative's one number-first pattern is searched from before its first word: the same matches."""
    from govdisclosure.formats import published
    from govdisclosure.ingest.narrative import stated

    spec = gd.parse(REPORT).report.spec
    name, index, words, lead = published.NUMBER_FIRST
    pattern = published.stated_patterns(spec)[name][index]
    # a digit first (the engine skips to digits), none before it (nor a digit and a comma: the end of a number)
    first = r"(\d(?<!\d\d)(?<!\d,\d)(?:\d{0,2}(?:,\d{3}){1,4}|\d{0,14}))"
    assert pattern.pattern.startswith(first + "件(?:申请)?(?:" + "|".join(words) + ")") and lead == 22
    # the same matches as with the lookbehinds first
    plain = re.compile(r"(?<!\d)(?<!\d,)(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})" + pattern.pattern.removeprefix(first))
    for text in ("前言" * 50 + "123456789012345件申请结转下一年度", "共5件顺延至下年度", "12件结转到下年度", "无",
                 "1234567890123456件结转下年度", "a12件结转下年度", "x٣件顺延下一年度", "共1,105件顺延至下年度",
                 "前言" * 50 + "123,456,789,012,345件申请结转下一年度", "1,123,456,789,012,345件结转下年度",
                 "12,34件结转下年度", "1,2345件结转下年度"):
        assert stated(text, spec).get("carried_forward") == (
            int(m.group(1).replace(",", "")) if (m := plain.search(text)) else None)
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_received_statement_searched_from_its_words() -> None:
    """The received statement is searched from at most its reach before its first 公开申请: the same counts."""
    from govdisclosure.formats import published
    from govdisclosure.ingest import narrative

    spec = gd.parse(REPORT).report.spec
    name, index, words, lead = published.WORDS_AFTER
    pattern = published.stated_patterns(spec)[name][index]
    # two characters, then at most 20, then the words: a match starts at most ``lead`` before them
    assert pattern.pattern.startswith("(?:收到|受理|新收|接收|办理)[^。;,]{0,20}?" + words[0]) and lead == 22
    for text in ("前言" * 50 + "收到" + "甲" * 20 + "公开申请12件", "收到" + "甲" * 21 + "公开申请12件", "无",
                 "受理公开申请3件", "一审收到公开申请3件，新收公开申请4件", "上年收到公开申请5件，本年受理" + "乙" * 19
                 + "公开申请6件", "办理公开申请共1,234件"):
        unbounded = narrative._first(text, pattern)
        assert narrative.stated(text, spec).get(name) == (
            int(unbounded.group(1).replace(",", "")) if unbounded else None)


def test_column_word_clauses_read_directly_or_by_bisection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clause's ends searched from each column word (the first few), or bisected among every separator after
    them (a text dense with such clauses): the same clauses, so the same cells."""
    import random

    from govdisclosure.ingest import narrative

    labels = narrative._labels(gd.Registry.default())
    pieces = [*"。;,；，件", *narrative._CELL_WORD_LIST, *(label for label, _ in labels), "12", "3", "文件"]
    rng = random.Random(12)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    direct = [(list(narrative._clauses(t)), narrative.stated_cells(t, labels)) for t in texts]
    monkeypatch.setattr(narrative, "DIRECT_CLAUSES", 0)
    assert [(list(narrative._clauses(t)), narrative.stated_cells(t, labels)) for t in texts] == direct
    # the column words found one by one: where the engine finds them in one alternation
    alternation = re.compile("|".join(narrative._CELL_WORD_LIST))
    for t in [*texts, "现行有效制发印发出台废止", "制制发发", ""]:
        assert list(narrative._cell_words(t)) == [m.span() for m in alternation.finditer(t)]
    assert any(cells for _, cells in direct) and any(len(clauses) > 8 for clauses, _ in direct)


@pytest.mark.parametrize("entries", [{"/requests/total/natural_person": {}},
                                     {"/requests/total/natural_person": {"raw": None}},
                                     {"/no/such/cell": {"raw": "1"}}])
def test_provenance_that_says_nothing_or_names_no_cell(entries: dict) -> None:
    report = gd.parse(REPORT).report
    spec = report.spec
    envelope = _envelope(report)
    envelope["provenance"] = {**envelope.get("provenance", {}), **entries}
    with pytest.raises(gd.LoadError) as slow:
        from_data({**envelope, **tables_of(spec)(report.values())}, spec)
    with pytest.raises(gd.LoadError) as fast:
        from_values(envelope, report.values(), spec, tables_of(spec))
    assert [f.to_dict() for f in fast.value.findings] == [f.to_dict() for f in slow.value.findings]


# ---------------------------------------------------------------- canonical data built directly

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _slow(data: dict, spec) -> object:
    """What the converter makes of the data (the report, or the findings of the error it raises)."""
    from govdisclosure.model.convert import _structured

    body = {k: v for k, v in data.items() if k not in ("format_version", "variant")}
    try:
        return _structured(data, body, spec)
    except gd.LoadError as exc:
        return [f.to_dict() for f in exc.findings]


def _fast(data: dict, spec) -> object:
    try:
        return from_data(data, spec)
    except gd.LoadError as exc:
        return [f.to_dict() for f in exc.findings]


def _same(fast: object, slow: object) -> None:
    assert fast == slow
    if isinstance(slow, gd.Report):  # the same values of the same types (3 is not 3.0, "a" is not a str subclass)
        assert type(fast) is type(slow)
        assert [type(v) for v in fast.values()] == [type(v) for v in slow.values()]
        assert pickle.loads(pickle.dumps(fast)) == slow
        assert repr(fast) == repr(slow)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_canonical_data_built_directly(path: Path) -> None:
    """A report's canonical data goes through the generated builder (no fallback) to the converter's report."""
    from govdisclosure.model.build import data_builder

    report = gd.load(path)
    data = to_data(report)
    body = {k: v for k, v in data.items() if k not in ("format_version", "variant")}
    built, _ = data_builder(report.spec)(body)
    _same(built, _slow(data, report.spec))
    assert gd.dump(built) == path.read_text(encoding="utf-8")
    assert attrs.evolve(built, title="x").title == "x"


class _Str(str):
    pass


def _edits(data: dict, spec) -> list[tuple[str, Callable[[dict], None]]]:
    cell = spec.cells()[0].pointer
    amount = next(c for c in spec.cells() if c.column.kind.name == "AMOUNT")
    signed = next((c for c in spec.cells() if c.column.kind.name == "SIGNED"), spec.cells()[1])

    def at(pointer: str) -> tuple[dict, str]:
        *path, last = pointer.strip("/").split("/")
        node = data
        for key in path:
            node = node[key]
        return node, last

    def put(pointer: str, value: object) -> Callable[[dict], None]:
        def edit(d: dict) -> None:
            node, last = at(pointer)
            node[last] = value
        return edit

    def drop(pointer: str) -> Callable[[dict], None]:
        def edit(d: dict) -> None:
            node, last = at(pointer)
            node.pop(last, None)
        return edit

    prov = next(iter(data.get("provenance", {})), cell)
    return [
        ("count 3.0", put(cell, Decimal("3.0"))), ("count 3.5", put(cell, Decimal("3.5"))),
        ("count float", put(cell, 3.0)), ("count bool", put(cell, True)), ("count str", put(cell, "3")),
        ("count negative", put(cell, -1)), ("count huge", put(cell, 10**15)), ("count None", put(cell, None)),
        ("signed negative", put(signed.pointer, -5)), ("signed huge", put(signed.pointer, -10**15)),
        ("amount number", put(amount.pointer, Decimal("12.50"))), ("amount int", put(amount.pointer, 12)),
        ("amount float", put(amount.pointer, 0.1 + 0.2)), ("amount exp", put(amount.pointer, "1E+2")),
        ("amount bad", put(amount.pointer, "12元")), ("amount None", put(amount.pointer, None)),
        ("row missing", drop(cell)), ("row extra", put(cell.rsplit("/", 1)[0] + "/extra", 1)),
        ("table missing", drop("/" + spec.tables[0].id)), ("extra key", put("/extra", 1)),
        ("year str", put("/year", "2020")), ("year 1999", put("/year", 1999)), ("year 2020.0", put("/year", 2020.0)),
        ("year missing", drop("/year")), ("year None", put("/year", None)),
        ("title None", put("/title", None)), ("title missing", drop("/title")), ("title int", put("/title", 5)),
        ("title control", put("/title", "a\x01b")), ("title surrogate", put("/title", "a\ud800b")),
        ("title subclass", put("/title", _Str("t"))),
        ("agency None", put("/agency", None)), ("agency missing", drop("/agency")),
        ("agency level name", put("/agency", {"name": "x", "level": "县级政府部门", "region": None})),
        ("agency level", put("/agency", {"level": "township"})), ("agency extra", put("/agency", {"x": 1})),
        ("date bad", put("/published_on", "2020-13-01")), ("date ok", put("/published_on", "2020-02-29")),
        ("period", put("/period", {"start": "2020-01-01", "end": "2020-12-31"})),
        ("period half", put("/period", {"start": "2020-01-01"})), ("period None", put("/period", None)),
        ("notice", put("/notice", "n")), ("parts missing", drop("/parts")), ("parts extra", put("/parts/x", "a")),
        ("parts list", put("/parts", ["a"])), ("stated", put("/stated", {"received": 3, "fees": "1.5"})),
        ("stated fee number", put("/stated", {"fees": Decimal("1.50")})), ("stated bad", put("/stated", {"x": 1})),
        ("stated count 2.0", put("/stated", {"received": 2.0})),
        ("provenance empty entry", put("/provenance", {cell: {}})),
        ("provenance None field", put("/provenance", {cell: {"line": None}})),
        ("provenance None beside", put("/provenance", {cell: {"line": 3, "raw": None}})),
        ("provenance unknown cell", put("/provenance", {"/no/cell": {"line": 3}})),
        ("provenance unknown field", put("/provenance", {cell: {"line": 3, "lines": 4}})),
        ("provenance line 3.0", put("/provenance", {cell: {"line": Decimal("3.0")}})),
        ("provenance line str", put("/provenance", {cell: {"line": "3"}})),
        ("provenance raw control", put("/provenance", {cell: {"raw": "\x00"}})),
        ("provenance key subclass", put("/provenance", {_Str(cell): {"line": 3}})),
        ("provenance list", put("/provenance", [])), ("provenance entry list", put("/provenance", {cell: []})),
        ("provenance all fields", put("/provenance", {cell: {
            "raw": "r", "unit": "元", "source": "s", "line": 1, "column": 2, "page": 3, "label": "l", "note": "n",
            "candidates": "1|2"}})),
        ("provenance reordered", put("/provenance", {prov: {"line": 4, "raw": "7"}, cell: {"raw": "8", "line": 5}})),
        ("provenance missing", drop("/provenance")),
        ("text over the limit", put("/parts/other", "字" * 2_000_001)),
    ]


def _edit_count() -> int:
    report = gd.load(EXAMPLES[0])
    return len(_edits(to_data(report), report.spec))


@pytest.mark.parametrize("index", range(_edit_count()))
@pytest.mark.parametrize("path", EXAMPLES[:1] + EXAMPLES[-1:], ids=lambda p: p.stem)
def test_data_not_plain_gives_what_the_converter_gives(path: Path, index: int) -> None:
    """Each edit of canonical data: the builder's way and the converter's give the same report, or the
    same problems (the builder hands what it does not take as it is to the converter)."""
    report = gd.load(path)
    data = to_data(report)
    _edits(data, report.spec)[index][1](data)  # the edit changes the data it was made for
    _same(_fast(copy.deepcopy(data), report.spec), _slow(copy.deepcopy(data), report.spec))


@pytest.mark.parametrize("source", ["report.txt", "a\x01b.txt", None])
def test_the_source_of_every_provenance_entry(source: str | None) -> None:
    """``from_values`` with a source: as ``from_data`` with the source in each entry (a source a text may not
    hold fails alike)."""
    report = gd.parse(REPORT).report
    spec = report.spec
    envelope = _envelope(report)
    entries = {p: {k: v for k, v in e.items() if k != "source"} for p, e in envelope["provenance"].items()}
    envelope["provenance"] = entries
    merged = {**envelope, "provenance": {p: {**e, **({"source": source} if source else {})}
                                         for p, e in entries.items()}}
    _same(_fast_values(envelope, report.values(), spec, source),
          _slow({**merged, **tables_of(spec)(report.values())}, spec))


def _fast_values(envelope: dict, values: tuple, spec, source: str | None) -> object:
    try:
        return from_values(envelope, values, spec, tables_of(spec), source=source)
    except gd.LoadError as exc:
        return [f.to_dict() for f in exc.findings]


def test_built_objects_are_the_classes_own_and_frozen() -> None:
    """Each object a builder makes is of the model's class (not the class it was built as), frozen,
    equal and hashed as ``__init__`` makes it."""
    report = gd.parse(REPORT).report
    slow = _slow(to_data(report), report.spec)
    for built, made in ((report, slow), (report.requests.total, slow.requests.total),  # type: ignore[attr-defined]
                        (next(iter(report.provenance.values())), next(iter(slow.provenance.values()))),
                        (report.parts, slow.parts), (report.agency, slow.agency)):
        assert type(built) is type(made) and not type(built).__name__.endswith("Building")
        assert built == made and hash(built) == hash(made)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            built.title = "x"  # type: ignore[misc,union-attr]


@pytest.mark.parametrize("where", ["title", "provenance", "cell", "extra"])
def test_json_nested_too_deep_is_refused_before_anything_else(where: str) -> None:
    """The JSON loader tries the builder before it measures the nesting (a report the builder takes
    nests no deeper than the model): a document nested too deep, anywhere, is still refused for that."""
    report = gd.load(EXAMPLES[0])
    data = to_data(report)
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    cell = report.spec.cells()[0].pointer
    if where == "title":
        data["title"] = deep
    elif where == "provenance":
        data["provenance"] = {cell: {"raw": deep}}
    elif where == "cell":
        data[report.spec.tables[0].id] = deep
    else:
        data["format_version"] = deep
    with pytest.raises(gd.LoadError) as exc:
        gd.loads(json.dumps(data, ensure_ascii=False, default=str))
    assert [f.code for f in exc.value.findings] == ["GD-LOAD-LIMIT"]
    assert "nested deeper" in exc.value.findings[0].message.en
    assert plain_report(to_data(report), gd.Registry.default()) == report


def _states() -> list[object]:
    """Every state a corpus report passes through, stage by stage."""
    from govdisclosure.ingest import PIPELINE
    from govdisclosure.ingest.budget import Budget
    from govdisclosure.ingest.state import State

    text = REPORT.read_text(encoding="utf-8")
    state = State(registry=gd.Registry.default(), source="<text>", budget=Budget(len(text)), data=text)
    out = [state]
    for _name, stage in PIPELINE:
        state = stage(state)
        out.append(state)
    return out


def test_a_state_changed_as_attrs_evolve_changes_it() -> None:
    from govdisclosure.ingest.state import State

    states = _states()
    fields = [f.name for f in attrs.fields(State)]
    for i, state in enumerate(states):
        other = states[(i + 3) % len(states)]
        for changed in ([], fields[i % len(fields):][:3], fields):  # none, a few, all
            changes = {name: getattr(other, name) for name in changed}
            fast, plain = state.but(**changes), attrs.evolve(state, **changes)
            assert type(fast) is State and fast == plain
            assert all(getattr(fast, name) is getattr(plain, name) for name in fields)
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                fast.text = ""  # type: ignore[misc]
    with pytest.raises(KeyError):
        states[0].but(texts="")


def _plain_finding(code: object, pointer: str = "", file: str | None = None, line: int | None = None,
                   **params: object) -> gd.Finding:
    """A parser's finding as Code.__call__ made it before it said its params in one pass."""
    from govdisclosure.findings import Finding
    from govdisclosure.formats.spec import Label

    def text(template: str, lang: str) -> str:
        shown = {k: (v.get(lang) if isinstance(v, Label) else " | ".join(map(str, v)) if isinstance(v, tuple)
                     else v) for k, v in params.items()}
        return template.format(**shown)

    kept = {k: (list(v) if isinstance(v, tuple) else v.zh if isinstance(v, Label) else v) for k, v in params.items()}
    if line is not None:
        kept["line"] = line
    return Finding(code=code.code, severity=code.severity, pointer=pointer, file=file, line=line,  # type: ignore[attr-defined]
                   pointers=(pointer,) if pointer else (), params=kept,
                   message=Label(text(code.message.zh, "zh"), text(code.message.en, "en")))  # type: ignore[attr-defined]


def test_a_parser_finding_says_its_params_as_the_plain_way() -> None:
    import string

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from govdisclosure.formats.spec import Label
    from govdisclosure.ingest.findings import CATALOGUE

    words = st.text(max_size=6)
    value = st.one_of(words, st.integers(), st.none(), st.decimals(allow_nan=False, places=2),
                      st.tuples(st.integers(), words), st.lists(st.integers(), max_size=3).map(tuple),
                      st.builds(Label, words, words))

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(CATALOGUE), st.data(), st.one_of(st.none(), st.integers(1, 500)), words)
    def check(code: object, data: st.DataObject, line: int | None, pointer: str) -> None:
        names = {n for t in (code.message.zh, code.message.en)  # type: ignore[attr-defined]
                 for _, n, _, _ in string.Formatter().parse(t) if n}
        extra = data.draw(st.dictionaries(st.sampled_from(["x", "y", "part", "level"]), value, max_size=2))
        params = {**extra, **{n: data.draw(value) for n in sorted(names)}}
        fast = code(pointer=pointer, file="a.txt", line=line, **params)  # type: ignore[operator]
        plain = _plain_finding(code, pointer, "a.txt", line, **params)
        assert fast == plain and fast.to_dict() == plain.to_dict()
        assert list(fast.params) == list(plain.params)

    check()


def test_a_state_started_as_its_class_makes_it() -> None:
    from govdisclosure.ingest.budget import Budget
    from govdisclosure.ingest.state import State, start

    registry, previous = gd.Registry.default(), gd.parse(REPORT).report
    fields = [f.name for f in attrs.fields(State)]
    for given in ({}, {"previous": previous}, {"kind": "html", "data": b"<p>x</p>"}, {"previous": None, "data": "x"}):
        budget = Budget(7)
        fast = start(registry=registry, source="a.txt", budget=budget, **given)  # type: ignore[arg-type]
        plain = State(registry=registry, source="a.txt", budget=budget, **given)  # type: ignore[arg-type]
        assert type(fast) is State and fast == plain
        for name in fields:  # the same values; a factory's made afresh, never shared with another state
            assert getattr(fast, name) == getattr(plain, name)
            assert (getattr(fast, name) is getattr(plain, name)) == (name in given or name in ("registry", "budget")
                                                                   or not isinstance(getattr(plain, name), dict))
        assert start(registry=registry, source="", budget=budget).parts is not fast.parts
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            fast.kind = "pdf"  # type: ignore[misc]


def test_a_comma_separating_cells_is_found_as_the_plain_definition_finds_it() -> None:
    """tokens' _CELL_COMMA starts with the comma (the engine skips to each) and finds one where the plain
    definition does: after a digit and before no group of three digits, or before a digit and after no digit."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from govdisclosure.ingest import tokens

    plain = re.compile(r"(?<=\d),(?!\d{3}(?!\d))|(?<!\d),(?=\d)")

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="0123456789,x |", max_size=16))
    def same(line: str) -> None:
        assert bool(tokens._CELL_COMMA.search(line)) == bool(plain.search(line))

    same()


def test_provenance_is_written_as_the_plain_way_writes_it() -> None:
    """dump writes each entry's fields that say something, in the class's order, by a generated function: what the
    plain comprehension writes, on entries with any field set or not (zero and empty texts are something)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from govdisclosure.model import CellProvenance
    from govdisclosure.model.convert import _provenance_data

    fields = [f.name for f in attrs.fields(CellProvenance)]
    # a caller's odd values too (a float, a bool, a list): the writer must say them, and dump must look in them
    value = (st.none() | st.integers(min_value=0, max_value=10**6) | st.text(max_size=5)
             | st.sampled_from([1.5, float("nan"), True, [2.0], (1,)]))
    entry = st.fixed_dictionaries({name: value for name in fields}).map(lambda d: CellProvenance(**d))

    @settings(max_examples=200, deadline=None)
    @given(st.dictionaries(st.text(max_size=8), entry, max_size=6))
    def check(entries: dict[str, CellProvenance]) -> None:
        plain = {k: {f: v for f in fields if (v := getattr(p, f)) is not None} for k, p in entries.items()}
        written, texts_and_ints = _provenance_data(entries)
        assert written == plain
        assert [list(d) for d in written.values()] == [list(d) for d in plain.values()]  # the keys' order too
        assert texts_and_ints == all(type(v) in (str, int) for d in plain.values() for v in d.values())

    check()


def test_stated_patterns_searched_from_their_words_or_literal_heads() -> None:
    """Each statement pattern is searched from before the first of its words (or the literal it starts with), looked
    for from where their last character first stands: the same counts as the engine's search of the whole text."""
    from govdisclosure.formats import published
    from govdisclosure.ingest import narrative

    spec = gd.parse(REPORT).report.spec
    heads = {name: [words for _, words, _ in plans] for name, plans in narrative._stated_plans(spec)}
    assert heads["fees"] == [("处理费",)] and heads["carried_forward"][0] == ("结转",)
    assert narrative._literal_head("ab?c") == "a" and narrative._literal_head(r"行政\(复议") == "行政"
    assert narrative._literal_head("(?:x)") == "" and narrative._literal_head("费{2}") == ""
    pieces = ["行政复议", "行政诉讼", "处理费", "结转", "下年度", "公开申请", "收到", "共", "12", "3", "件", "起", "元",
              "议", "讼", "费", "转", "，", "。", "一审", "上年", "顺延", "1,105", ".5", "申请"]
    rng = random.Random(16)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        expected: dict[str, object] = {}
        for name, patterns in published.stated_patterns(spec).items():
            for pattern in patterns:
                if m := narrative._first(text, pattern):
                    value = narrative._fee(m.group(1)) if name == "fees" else int(m.group(1).replace(",", ""))
                    if value is not None:
                        expected[name] = value
                    break
        assert narrative.stated(text, spec) == expected
    assert any(narrative.stated(t, spec) for t in texts)
