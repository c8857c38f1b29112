"""The reference pages in docs/ are written from the declarations and kept current."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
_spec = importlib.util.spec_from_file_location("docs", ROOT / "scripts" / "docs.py")
docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs)
PAGES = docs.pages()


@pytest.mark.parametrize("path", sorted(PAGES), ids=lambda p: p.name)
def test_reference_page_is_current(path):
    assert path.read_text(encoding="utf-8") == PAGES[path], \
        f"{path.relative_to(ROOT)} is stale: run `.venv/bin/python scripts/docs.py` and commit docs/"


def test_every_key_of_the_format_is_documented():
    from mlsd_diagrams.spec.schema import SPEC

    page = PAGES[ROOT / "docs" / "spec-reference.md"]
    diagram = SPEC.full.fields["diagrams"].type.value
    for record in (SPEC.full, diagram, diagram.fields["nodes"].type.value):
        for key in record.fields:
            assert f"| `{key}` |" in page
    assert "| `style` | one of `solid`, `dashed`, `dotted`, `bold` |  | `solid` |" in page  # the declared default
    assert "| `feedback` | `true` or `false` |  | `false` |" in page  # edge options are documented too
