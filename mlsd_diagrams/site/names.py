"""Where things are in the site: file names and anchors, decided in one place."""

from __future__ import annotations

from ..spec.model import Spec

INDEX_FILE = "index.html"
THUMB_FOLDER = "assets/thumbs"


def chapter_file(spec: Spec) -> str:
    return f"{spec.id}.html"


def diagram_anchor(diagram_id: str) -> str:
    return f"d-{diagram_id}"


def step_anchor(step: str) -> str:
    return f"step-{step}"


def thumb_file(spec: Spec, theme: str) -> str:
    return f"{THUMB_FOLDER}/{spec.id}-{theme}.png"


def spec_label(spec: Spec) -> str:
    """'Chapter 2' for a case study, 'The framework' style for a chapter-less spec."""
    return f"Chapter {spec.chapter}" if spec.chapter else "Your design"
