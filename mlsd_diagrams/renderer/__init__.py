"""Spec + theme -> image files: DOT from ``dot``, one Graphviz run, SVG finishing, atomic publishing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..spec.model import Diagram, Spec
from ..spec.types import did_you_mean
from ..themes import Theme, load_theme
from .dot import build_dot
from .files import publish, staging
from .graphviz import DEVICES, run_dot
from .svg import finish_svg

FORMATS = tuple(DEVICES)
DEFAULT_FORMATS = ("svg", "png")


@dataclass
class RenderResult:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def select(spec: Spec, diagram_ids: list[str] | None) -> list[Diagram]:
    """The diagrams to render, in spec order; an unknown id is a usage error."""
    if not diagram_ids:
        return list(spec.diagrams.values())
    for did in diagram_ids:
        if did not in spec.diagrams:
            raise UsageError(f"{spec.id} has no diagram {did!r}; it has: {', '.join(spec.diagrams)}"
                             f"{did_you_mean(did, spec.diagrams)}")
    return [spec.diagrams[did] for did in diagram_ids]


def render(spec: Spec, out_dir: Path | str = "output", *, formats=DEFAULT_FORMATS, theme: Theme | str = "book",
           diagrams: list[str] | None = None, timeout: float | None = None) -> RenderResult:
    """Render the spec's diagrams into ``out_dir/<spec id>/<diagram id>.<format>``."""
    theme = load_theme(theme) if isinstance(theme, str) else theme
    target = Path(out_dir) / spec.id
    result = RenderResult()
    for d in select(spec, diagrams):
        files, warnings = render_diagram(d, theme, target, formats, timeout=timeout)
        result.files += files
        result.warnings += [f"{spec.id}/{d.id}: {w}" for w in warnings]
    return result


def render_diagram(d: Diagram, theme: Theme, target: Path, formats, *, timeout: float | None = None):
    """One layout, every format; files appear only when all of them are ready."""
    source = build_dot(d, theme)
    finals = {fmt: target / f"{d.id}.{fmt}" for fmt in formats}
    with staging(target) as tmp:
        staged = {fmt: tmp / f"{d.id}.{fmt}" for fmt in formats}
        warnings = run_dot(source, staged, timeout=timeout)
        if "svg" in staged:
            svg = staged["svg"].read_text(encoding="utf-8")
            staged["svg"].write_text(finish_svg(svg, theme.font_fallbacks), encoding="utf-8")
        for fmt in formats:
            publish(staged[fmt], finals[fmt])
    return list(finals.values()), warnings
