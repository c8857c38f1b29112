"""Diagram -> a draw.io (diagrams.net) file that opens editable, laid out where Graphviz puts things.

One ``dot -Tjson`` run (``renderer.layout``) gives every node's and group's
box. Groups become containers, so moving a pipeline box moves what is in it;
a child's geometry is relative to its container, as draw.io expects. Styles
come from the theme (fills, outlines, fonts) and the kind's Graphviz shape
(cylinder, ellipse, note ...); pictograms travel inside the file as data URIs.
Labels are HTML-escaped (cells use ``html=1``) with line breaks where the
renderer breaks them, then XML-escaped by ElementTree: they show exactly as
written and fit the boxes Graphviz sized for them.
"""

from __future__ import annotations

import base64
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .. import __version__
from ..icons import ICON_DIR
from ..spec.model import Diagram
from ..themes import Theme

_PLAIN = ("plain", "plaintext", "none")
_SHAPES = {  # Graphviz shape -> draw.io style
    "cylinder": "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=6",
    "ellipse": "ellipse", "oval": "ellipse", "circle": "ellipse;aspect=fixed",
    "note": "shape=note;size=10;boundedLbl=1",
    "hexagon": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.15",
    "diamond": "rhombus",
    "parallelogram": "shape=parallelogram;perimeter=parallelogramPerimeter;size=0.15",
}
_ARROWS = {"->": ("none", "classic"), "<->": ("classic", "classic"), "--": ("none", "none")}
_LINES = {"solid": "", "dashed": "dashed=1;", "dotted": "dashed=1;dashPattern=1 3;", "bold": "strokeWidth=2.5;"}
_SAFE = re.compile(r"^[#A-Za-z0-9 ,._-]{1,60}$")  # theme values that may go into a style string


def export(d: Diagram, theme: Theme) -> str:
    from ..renderer.dot import EDGE_WRAP, build_dot
    from ..renderer.layout import layout

    boxes = layout(build_dot(d, theme))
    width, height = boxes.width, boxes.height
    mxfile = ET.Element("mxfile", host="mlsd-diagrams", agent=f"mlsd-diagrams {__version__}")
    page = ET.SubElement(mxfile, "diagram", id=d.id, name=d.title)
    model = ET.SubElement(page, "mxGraphModel", {
        "dx": _n(width), "dy": _n(height), "grid": "1", "gridSize": "10", "guides": "1", "tooltips": "1",
        "connect": "1", "arrows": "1", "fold": "1", "page": "1", "pageScale": "1",
        "pageWidth": str(math.ceil(width)), "pageHeight": str(math.ceil(height)), "math": "0", "shadow": "0",
        **({"background": bg} if (bg := _safe(theme.graph.get("bgcolor"))) else {}),
    })
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", id="0")
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    font = {**theme.graph, **theme.title}
    # Graphviz keeps the title's space at the top of its bounding box; the title goes there
    title_height = float(font.get("fontsize", 14)) * 1.6
    _vertex(root, "title", _label(d.title, 80), _style("text;align=center;verticalAlign=middle", {
        "fontSize": font.get("fontsize"), "fontColor": font.get("fontcolor"), "fontFamily": font.get("fontname")}),
            "1", (0, 0, width, title_height))

    inside = d.members()
    origin: dict[str | None, tuple[float, float]] = {None: (0.0, 0.0)}  # container -> its top-left

    def place(container: str | None) -> None:
        groups, nodes = inside.get(container, ([], []))
        parent_cell = cell_id(container) if container else "1"
        ox, oy = origin[container]
        for gid in groups:
            b = boxes.groups.get(gid)
            if b is None:  # an empty group has no box in the layout
                continue
            x, y = b.x - b.width / 2, b.y - b.height / 2
            origin[gid] = (x, y)
            _vertex(root, cell_id(gid), _label(d.groups[gid].label, 100), _group_style(theme), parent_cell,
                    (x - ox, y - oy, b.width, b.height))
            place(gid)
        for nid in nodes:
            b = boxes.nodes[nid]
            x, y = b.x - b.width / 2, b.y - b.height / 2
            n = d.nodes[nid]
            _vertex(root, cell_id(nid, node=True), _label(n.label, theme.kind_style(n.kind)[2]), _node_style(n, theme),
                    parent_cell, (x - ox, y - oy, b.width, b.height))

    place(None)
    for k, e in enumerate(d.edges, 1):
        start, end = _ARROWS[e.arrow]
        style = _style(f"edgeStyle=none;rounded=0;endArrow={end};startArrow={start};{_LINES[e.style]}"
                       f"labelBackgroundColor={_safe(theme.graph.get('bgcolor')) or '#FFFFFF'}", {
                           "strokeColor": theme.edge.get("color"), "fontColor": theme.edge.get("fontcolor"),
                           "fontSize": theme.edge.get("fontsize"), "fontFamily": theme.edge.get("fontname")},
                       wrap=False)
        cell = ET.SubElement(root, "mxCell", {
            "id": f"e{k}", "value": _label(e.text, EDGE_WRAP), "style": style, "edge": "1", "parent": "1",
            "source": cell_id(e.src, node=True), "target": cell_id(e.dst, node=True)})
        ET.SubElement(cell, "mxGeometry", relative="1", attrib={"as": "geometry"})
    ET.indent(mxfile)
    return ET.tostring(mxfile, encoding="unicode") + "\n"


def cell_id(some_id: str, node: bool = False) -> str:
    """Cell ids: ``n_<node id>`` and ``g_<group id>`` (a node and a group may share an id in a spec)."""
    return f"{'n' if node else 'g'}_{some_id}"


def _vertex(root, cid: str, value: str, style: str, parent: str, box) -> None:
    x, y, w, h = box
    cell = ET.SubElement(root, "mxCell", {"id": cid, "value": value, "style": style, "vertex": "1", "parent": parent})
    ET.SubElement(cell, "mxGeometry", x=_n(x), y=_n(y), width=_n(w), height=_n(h), attrib={"as": "geometry"})


def _label(text: str, wrap: int) -> str:
    """A label as cells with ``html=1`` take it: HTML-escaped, with the renderer's line breaks (``<br>``).

    Breaking lines where Graphviz did keeps each label inside the box Graphviz sized for it.
    """
    from ..renderer.dot import WORD_JOINER, text_html

    return text_html(text, wrap).replace("<BR/>", "<br>").replace("\\" + WORD_JOINER, "\\")


def _node_style(n, theme: Theme) -> str:
    attrs, icon, _ = theme.kind_style(n.kind, n.color)
    icon_file = n.icon_file  # a custom PNG the loader checked
    image = _data_uri(icon_file.data) if icon_file else _png_uri(ICON_DIR / f"{n.icon or icon}.png") \
        if (n.icon or icon) else None
    gv_style = str(attrs.get("style", ""))
    shape = str(attrs.get("shape", "box"))
    plain = shape in _PLAIN
    if image:
        size = theme.icon_size - 6  # Graphviz packs pictogram and text tight; draw.io's text box is taller
        base = f"shape=label;image={image};imageWidth={size};imageHeight={size};" \
               f"imageAlign=center;imageVerticalAlign=top;verticalAlign=bottom;spacingBottom=2"
        base += ";rounded=1" if "rounded" in gv_style else ""
    elif plain:
        base = "text;verticalAlign=middle"
    elif shape == "box" and "diagonals" in gv_style:
        base = "shape=process;backgroundOutline=1;size=0.08"
    else:
        base = _SHAPES.get(shape, "rounded=1" if "rounded" in gv_style else "rounded=0")
    fill = attrs.get("fillcolor") if "filled" in gv_style and not plain else "none"
    stroke = "none" if plain else attrs.get("color")
    return _style(base + (";dashed=1" if "dashed" in gv_style else ""), {
        "fillColor": fill, "strokeColor": stroke, "strokeWidth": attrs.get("penwidth"),
        "fontColor": attrs.get("fontcolor"), "fontSize": attrs.get("fontsize"), "fontFamily": attrs.get("fontname"),
    }, wrap=False)


def _group_style(theme: Theme) -> str:
    c = theme.cluster
    return _style("rounded=1;arcSize=4;container=1;collapsible=0;recursiveResize=0;verticalAlign=top;align=left;"
                  "spacingLeft=8" + (";dashed=1" if "dashed" in str(c.get("style", "")) else ""), {
                      "fillColor": c.get("bgcolor") or "none", "strokeColor": c.get("pencolor") or c.get("color"),
                      "strokeWidth": c.get("penwidth"), "fontColor": c.get("fontcolor"),
                      "fontSize": c.get("fontsize"), "fontFamily": c.get("fontname")})


def _style(base: str, values: dict, wrap: bool = True) -> str:
    safe = {k: _safe(v) for k, v in values.items()}
    parts = [base, *(f"{k}={v}" for k, v in safe.items() if v is not None), "html=1"]
    parts += ["whiteSpace=wrap"] if wrap else []
    return ";".join(p for p in parts if p) + ";"


def _safe(value) -> str | None:
    """A theme value for a style string: theme files may come from anyone, so no ';' or '=' gets through."""
    if value is None:
        return None
    text = str(value)
    return text if _SAFE.match(text) else None


def _png_uri(path) -> str | None:
    """A bundled pictogram as a data URI (see ``_data_uri``)."""
    try:
        return _data_uri(Path(str(path)).read_bytes())
    except OSError:
        return None


def _data_uri(png: bytes) -> str:
    """A PNG as draw.io writes data URIs inside a style: no ';base64' (';' separates style entries)."""
    return "data:image/png," + base64.b64encode(png).decode("ascii")


def _n(value: float) -> str:
    return f"{round(value, 1) + 0.0:g}"  # + 0.0: never "-0"
