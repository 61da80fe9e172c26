"""The published JSON Schema: generated, committed, and in agreement with the loader."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.errors import LoadError
from govdisclosure.testing import reports

from .conftest import EXAMPLES, ROOT
from .test_model import BAD

VERSIONS = ("2019", "2021")


def _validator(version: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"report-{version}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("version", VERSIONS)
def test_committed_schema_is_fresh(version: str) -> None:
    committed = json.loads((ROOT / "schemas" / f"report-{version}.schema.json").read_text(encoding="utf-8"))
    assert committed == gd.schema(version), (
        f"schemas/report-{version}.schema.json is stale: run "
        f"govdisclosure schema --format-version {version} > schemas/report-{version}.schema.json")


def test_every_core_variant_has_its_committed_schema() -> None:
    """The parser writes core's variant (a 2021 table printing one （六）其他处理 row) for real reports;
    the base schema refuses it (``variant`` is null there), so its own schema is published too."""
    registry = gd.Registry.default()
    core = sorted((v.extends, v.id) for v in registry.variants.values())
    assert core == [("2021", "single-other-row")]
    for version, variant in core:
        path = ROOT / "schemas" / "variants" / f"{variant}.schema.json"
        committed = json.loads(path.read_text(encoding="utf-8"))
        assert committed == gd.schema(version, variant), (
            f"regenerate: govdisclosure schema --format-version {version} --variant {variant} > schemas/variants/"
            f"{path.name}")
    parsed = gd.to_data(gd.parse(ROOT / "tests" / "data" / "corpus" / "reports" /
                                 "021-huaian-hongze-district-2023-pdf.txt").report)
    assert parsed["variant"] == "single-other-row"
    schema = json.loads((ROOT / "schemas" / "variants" / "single-other-row.schema.json").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(parsed))


@pytest.mark.parametrize("version", VERSIONS)
def test_schema_is_valid_draft_2020_12(version: str) -> None:
    jsonschema.Draft202012Validator.check_schema(gd.schema(version))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_examples_validate_against_schema(path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = list(_validator(data["format_version"]).iter_errors(data))
    assert errors == []


def _loads_ok(doc) -> bool:
    try:
        gd.from_data(doc)
    except LoadError:
        return False
    return True


def _schema_ok(doc) -> bool:
    version = doc.get("format_version") if isinstance(doc, dict) else None
    if version not in VERSIONS:
        return False  # no schema claims it
    return _validator(version).is_valid(doc)


def _agree(doc) -> None:
    loader, schema = _loads_ok(doc), _schema_ok(doc)
    if loader != schema:
        schema_errors = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
                         for e in _validator(doc["format_version"]).iter_errors(doc)] if isinstance(doc, dict) and \
            doc.get("format_version") in VERSIONS else []
        try:
            gd.from_data(doc)
            loader_errors = []
        except LoadError as exc:
            loader_errors = exc.lines("en")
        pytest.fail(f"loader says {loader}, schema says {schema}\nloader: {loader_errors}\nschema: {schema_errors}")


@pytest.mark.parametrize("name,mutate,expected", BAD, ids=[b[0] for b in BAD])
def test_schema_rejects_what_the_loader_rejects(example_data, name, mutate, expected) -> None:
    data = copy.deepcopy(example_data("huaian-city-2024"))
    mutate(data)
    assert not _schema_ok(data)
    _agree(data)


@pytest.mark.parametrize("name", [p.stem for p in sorted(EXAMPLES.glob("*.json"))])
def test_schema_accepts_what_the_loader_accepts(example_data, name) -> None:
    data = example_data(name)
    assert _schema_ok(data)
    _agree(data)


def _mutations(doc: dict) -> list:
    """Cell-level damage the schema and the loader must both refuse, or both accept."""
    def cell_paths(node, prefix=()):
        for k, v in node.items():
            if isinstance(v, dict):
                yield from cell_paths(v, (*prefix, k))
            else:
                yield (*prefix, k)
    paths = [p for t in ("proactive", "requests", "review_litigation") for p in cell_paths(doc[t], (t,))]
    return paths


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(blanks=True), data=st.data())
def test_agreement_on_generated_documents(report, data) -> None:
    doc = gd.to_data(report)
    _agree(doc)
    paths = _mutations(doc)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(st.sampled_from([-1, "1", 1.5, True, [], {}, None, 0, "12.50", -7, "abc"]))
    mutated = copy.deepcopy(doc)
    node = mutated
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    _agree(mutated)
    # an unknown key at any level
    extra = copy.deepcopy(doc)
    node = extra
    for k in path[: data.draw(st.integers(0, len(path) - 1))]:
        node = node[k]
    node["unexpected"] = 0
    _agree(extra)
    assert not _loads_ok(extra)


def test_the_findings_schema_is_fresh_and_describes_every_output(tmp_path) -> None:
    import json as _json

    import jsonschema
    from click.testing import CliRunner

    from govdisclosure.cli import cli
    from govdisclosure.schemas import findings_schema

    committed = _json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    assert committed == findings_schema(), "regenerate: govdisclosure schema --findings > schemas/findings.schema.json"
    validator = jsonschema.Draft202012Validator(committed)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": "2021", "year": "x",\n "title": 3}', encoding="utf-8")
    published = ROOT / "examples" / "published" / "009-pingtan-2020-zfxxgknb.txt"
    examples = sorted((ROOT / "examples").glob("*.json"))
    out = CliRunner().invoke(cli, ["validate", "--output", "json", str(bad), str(published), *map(str, examples)])
    found = _json.loads(out.stdout)
    assert {f["severity"] for f in found} >= {"fatal", "error", "info"}
    assert list(validator.iter_errors(found)) == []
    assert not validator.is_valid([{**found[0], "severity": "catastrophic"}])
