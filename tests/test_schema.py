"""The JSON Schema for editors: generated from the loader's own definition, committed, and in agreement with it.

After a deliberate change to the spec format, regenerate the committed copy:
``mlsd-diagrams schema > mlsd_diagrams/spec.schema.json`` (or run this file
with ``--update-golden``), then read the diff.
"""

import json
from pathlib import Path

import jsonschema
import pytest

from mlsd_diagrams.catalog import specs_dir
from mlsd_diagrams.core.errors import Pos, SpecError
from mlsd_diagrams.core.types import Ctx
from mlsd_diagrams.core.yamlsrc import Map, parse_file
from mlsd_diagrams.spec import load
from mlsd_diagrams.spec.schema import SPEC, json_schema

from .conftest import MINIMAL

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "mlsd_diagrams" / "spec.schema.json"
MODELINE = "# yaml-language-server: $schema=../mlsd_diagrams/spec.schema.json"
BUNDLED = sorted(specs_dir().glob("*.yaml"))
BAD = sorted((Path(__file__).parent / "bad_specs").glob("*.yaml"))
# The loader refuses control characters in text (terminal escapes, bidi overrides); the JSON Schema does not
# say so, so an editor cannot flag them. Everything else the loader refuses for its shape, the schema refuses.
SCHEMA_CANNOT_SEE = {"control_character", "escape_in_label"}


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_command_prints_the_generated_schema(run):
    result = run("schema")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == json_schema()
    assert result.stdout.endswith("}\n")


def test_committed_schema_is_in_sync(run, update_golden):
    printed = run("schema").stdout
    if update_golden:
        COMMITTED.write_text(printed, encoding="utf-8")
    assert COMMITTED.read_text(encoding="utf-8") == printed, \
        "mlsd_diagrams/spec.schema.json is stale: run `mlsd-diagrams schema > mlsd_diagrams/spec.schema.json`"


def test_schema_is_valid_draft_2020_12_with_descriptions():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    node = schema["properties"]["diagrams"]["additionalProperties"]["properties"]["nodes"]["additionalProperties"]
    assert "store" in node["properties"]["kind"]["enum"]  # what editors complete from
    assert node["properties"]["kind"]["description"]  # what editors show on hover


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_spec_starts_with_the_modeline(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE, f"{path.name} must start with: {MODELINE}"
    # the relative path is right from the repository's specs/ folder
    assert (ROOT / "specs" / first.split("=", 1)[1]).resolve() == COMMITTED.resolve()


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_spec_validates_against_the_schema(path, validator):
    tree, problems = parse_file(str(path))
    assert problems == []
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(tree)]
    assert errors == []


def _shape_ok(path: Path):
    """What the loader's schema says of a file's shape: True, False, or None when it does not parse."""
    try:
        tree, problems = parse_file(str(path))
    except SpecError:
        return None, None
    if problems:
        return None, None
    root = tree.pos if isinstance(tree, Map) else Pos(str(path), 1, 1)
    return SPEC.check(tree, root, "", Ctx()), tree


PARSEABLE = [p for p in BAD if _shape_ok(p)[0] is not None]  # the rest never reach the schema


@pytest.mark.parametrize("path", PARSEABLE, ids=[p.stem for p in PARSEABLE])
def test_schema_and_loader_agree_on_shape(path, validator):
    """Editors must flag what the loader refuses for its shape, and nothing the loader accepts."""
    loader_ok, tree = _shape_ok(path)
    schema_errors = list(validator.iter_errors(tree))
    if path.stem in SCHEMA_CANNOT_SEE:
        assert not loader_ok
        return
    assert loader_ok == (not schema_errors), [e.message for e in schema_errors]


def test_a_spec_the_loader_accepts_has_no_schema_errors(spec_file, tmp_path, validator):
    """Valid specs of every form, including one that only extends a bundled case study."""
    specs = [spec_file(MINIMAL)]
    extending = spec_file("id: my_search\nextends: visual_search\n")
    try:
        load(str(extending))
        specs.append(extending)
    except SpecError:
        pass  # this version has no `extends`
    for path in specs:
        tree, _ = parse_file(str(path))
        assert [e.message for e in validator.iter_errors(tree)] == [], path.name
