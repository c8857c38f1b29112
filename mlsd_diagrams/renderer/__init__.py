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
from .graphviz import run_dot
from .options import DEFAULT_FORMATS, FORMATS, RenderOptions
from .svg import finish_svg

__all__ = ["DEFAULT_FORMATS", "FORMATS", "RenderOptions", "RenderResult", "render", "select", "write_images"]


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


def render(spec: Spec, out_dir: Path | str = "output", options: RenderOptions | None = None, *,
           diagrams: list[str] | None = None, **option_values) -> RenderResult:
    """Render the spec's diagrams into ``out_dir/<spec id>/<diagram id>.<format>``.

    Pass a ``RenderOptions`` or its fields as keywords: ``render(spec, "out", formats=["svg"], theme="dark")``.
    """
    options = options or RenderOptions(**option_values)
    theme = load_theme(options.theme)
    target = Path(out_dir) / spec.id
    result = RenderResult()
    for d in select(spec, diagrams):
        files, warnings = write_images(build_dot(d, theme), target, d.id, options, theme)
        result.files += files
        result.warnings += [f"{spec.id}/{d.id}: {w}" for w in warnings]
    return result


def write_images(source: str, target: Path, stem: str, options: RenderOptions, theme: Theme):
    """Lay DOT ``source`` out once and write ``target/stem.<format>`` for every format.

    The files appear only when all of them are ready; returns (files, Graphviz warnings).
    """
    finals = {fmt: target / f"{stem}.{fmt}" for fmt in options.formats}
    with staging(target) as tmp:
        staged = {fmt: tmp / f"{stem}.{fmt}" for fmt in options.formats}
        warnings = run_dot(source, staged, timeout=options.timeout)
        if "svg" in staged:
            svg = staged["svg"].read_text(encoding="utf-8")
            staged["svg"].write_text(finish_svg(svg, theme.font_fallbacks), encoding="utf-8")
        for fmt in options.formats:
            publish(staged[fmt], finals[fmt])
    return list(finals.values()), warnings
