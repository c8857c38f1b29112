"""Jupyter display: a ``Diagram`` shows inline as SVG, a ``Spec`` as its title and every diagram.

``import mlsd_diagrams`` in a running IPython kernel registers these with the
kernel's display formatters (``load_ipython_extension``); ``%load_ext
mlsd_diagrams.notebook`` does the same by hand. The model stays plain data:
display lives here, above the renderer.
"""

from __future__ import annotations

import functools
import html
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .renderer import Drawing, RenderOptions, draw
from .renderer.dot import build_dot
from .spec.model import Diagram, Spec
from .themes import load_theme


def diagram_svg(diagram: Diagram, theme: str = "book", size: str | None = None) -> str:
    """The finished SVG of one diagram (pictograms embedded), rendered in a scratch folder, scaled to fit the
    notebook's column (``size``: a canvas ratio such as "16:9", as for render)."""
    options = RenderOptions(formats=("svg",), theme=theme, size=size)
    style = load_theme(theme)
    with tempfile.TemporaryDirectory(prefix="mlsd-svg-") as tmp:
        picture = Drawing(Path(tmp), diagram.id, diagram, functools.partial(build_dot, diagram, style), diagram.id)
        (svg,) = draw([picture], options, style).files
        return _fit_column(svg.read_text(encoding="utf-8"))


def _fit_column(svg: str) -> str:
    """Never wider than the column; the height follows (the SVG has a viewBox)."""
    return svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)


@dataclass(frozen=True)
class Shown:
    """A diagram with display options; a notebook cell that returns it shows the picture."""

    diagram: Diagram
    theme: str = "book"
    size: str | None = None

    def _repr_svg_(self) -> str:
        return diagram_svg(self.diagram, self.theme, self.size)


def show(diagram: Diagram, *, theme: str = "book", size: str | None = None) -> Shown:
    """Show a diagram in a notebook with a theme or canvas of your choice: ``show(d, theme="dark")``."""
    return Shown(diagram, theme, size)


def spec_html(spec: Spec, theme: str = "book") -> str:
    """A spec's title and every diagram as inline SVG figures (one SVG cannot hold several)."""
    parts = [f"<h3>{html.escape(spec.title)}</h3>"]
    for d in spec.diagrams.values():
        svg = diagram_svg(d, theme)
        parts.append(f"<figure>{svg[svg.find('<svg'):]}<figcaption><code>{html.escape(d.id)}</code>"
                     "</figcaption></figure>")
    return "\n".join(parts)


def load_ipython_extension(ipython: Any) -> None:
    """Register the formatters with an IPython shell (what ``%load_ext`` calls)."""
    formatters = ipython.display_formatter.formatters
    formatters["image/svg+xml"].for_type(Diagram, diagram_svg)
    formatters["text/html"].for_type(Spec, spec_html)
