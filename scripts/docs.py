"""Regenerate the reference pages in docs/ from the declarations (the spec format and the theme format).

    .venv/bin/python scripts/docs.py

tests/test_docs.py fails when a declaration changed and its page was not regenerated.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlsd_diagrams.core.reference import markdown  # noqa: E402 (after the path is set)
from mlsd_diagrams.spec.schema import SPEC  # noqa: E402
from mlsd_diagrams.themes import THEME  # noqa: E402


def pages() -> dict[Path, str]:
    """Each reference page and its text."""
    return {
        ROOT / "docs" / "spec-reference.md": markdown(
            SPEC.full, "Spec reference",
            "Every key of a spec file. A spec with `extends` names only what it changes: then only `id` is "
            "required. Editors can check specs with the JSON Schema (`mlsd-diagrams schema`)."),
        ROOT / "docs" / "theme-reference.md": markdown(
            THEME, "Theme reference",
            "Every key of a theme file. A user theme overrides `book` unless its `base` names another built-in "
            "theme; `mlsd-diagrams themes book` prints a complete one to start from."),
    }


if __name__ == "__main__":
    for path, text in pages().items():
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))
