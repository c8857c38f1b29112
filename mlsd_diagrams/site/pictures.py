"""Every picture the site shows, drawn through ``renderer.draw`` into a cache folder outside the site.

Diagrams are drawn from their frozen layout (``practice.frozen``), the one
that ``reveal`` and ``quiz`` draw their frames and blanks on, in the ``book``
theme for light pages and the ``dark`` theme for dark ones. The page then
hides and blanks elements of that one picture, so nothing moves between the
steps of a reveal. The DOT is built only when a picture is not up to date,
so a warm rebuild runs no Graphviz at all. Thumbnails are small PNGs of each
spec's system design.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..renderer import Drawing, RenderOptions, RenderResult, draw
from ..spec.model import Diagram, Spec
from ..themes import Theme, load_theme

LIGHT, DARK = "book", "dark"
THEMES = (LIGHT, DARK)
THUMB_SCALE = 0.3  # PNG pixels per SVG pixel: a system design about 450 px wide, sharp in a 300 px card


@dataclass(frozen=True)
class Pictures:
    svgs: dict[tuple[str, str, str], Path]  # (spec id, diagram id, theme) -> finished SVG
    thumbs: dict[tuple[str, str], Path]  # (spec id, theme) -> PNG
    result: RenderResult  # what was drawn this time, what was up to date, Graphviz's warnings


def thumbnail_diagram(spec: Spec) -> Diagram:
    """The picture on a spec's card: its system design, else the last serving diagram, else the first."""
    if "system" in spec.diagrams:
        return spec.diagrams["system"]
    serving = [d for d in spec.diagrams.values() if d.step == "serving"]
    return serving[-1] if serving else next(iter(spec.diagrams.values()))


def draw_pictures(specs: list[Spec], cache: Path, *, force: bool = False, timeout: float | None = None,
                  workers: int | None = None) -> Pictures:
    """Draw (or find up to date in ``cache``) every diagram in both themes and every thumbnail."""
    svgs: dict[tuple[str, str, str], Path] = {}
    thumbs: dict[tuple[str, str], Path] = {}
    total = RenderResult()
    for name in THEMES:
        theme = load_theme(name)
        drawings = []
        for spec in specs:
            for d in spec.diagrams.values():
                drawings.append(Drawing(cache / name / spec.id, d.id, ("site", d), _frozen_source(d, theme, timeout),
                                        f"{spec.id}/{d.id} ({name})"))
                svgs[spec.id, d.id, name] = cache / name / spec.id / f"{d.id}.svg"
        _add(total, draw(drawings, RenderOptions(formats=("svg",), theme=name, timeout=timeout), theme,
                         force=force, workers=workers))
        thumb_jobs = []
        for spec in specs:
            d = thumbnail_diagram(spec)
            thumb_jobs.append(Drawing(cache / f"thumbs-{name}", spec.id, ("thumb", d), _plain_source(d, theme),
                                      f"{spec.id}/{d.id} (thumbnail, {name})"))
            thumbs[spec.id, name] = cache / f"thumbs-{name}" / f"{spec.id}.png"
        _add(total, draw(thumb_jobs, RenderOptions(formats=("png",), theme=name, scale=THUMB_SCALE, timeout=timeout),
                         theme, force=force, workers=workers))
    return Pictures(svgs, thumbs, total)


def _add(total: RenderResult, part: RenderResult) -> None:
    total.files += part.files
    total.warnings += part.warnings
    total.rendered += part.rendered
    total.skipped += part.skipped


def _frozen_source(d: Diagram, theme: Theme, timeout: float | None):
    def source() -> str:
        from ..practice.frozen import freeze

        return freeze(d, theme, timeout=timeout).source()
    return source


def _plain_source(d: Diagram, theme: Theme):
    def source() -> str:
        from ..renderer.dot import build_dot

        return build_dot(d, theme)
    return source
