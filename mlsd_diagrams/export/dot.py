"""Diagram -> the DOT source the renderer hands to Graphviz (``dot -Tsvg`` draws it as ``render`` would).

Pictograms are found through the ``imagepath`` the source names: the icons
folder of this installation. Labels keep an invisible word joiner after a
backslash (see ``renderer.dot``), so Graphviz shows them as written.
"""

from __future__ import annotations

from ..spec.model import Diagram
from ..themes import Theme


def export(d: Diagram, theme: Theme) -> str:
    from ..renderer.dot import build_dot  # imports diagrams; needs no Graphviz program

    source = build_dot(d, theme)
    return source if source.endswith("\n") else source + "\n"
