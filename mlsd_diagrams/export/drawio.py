"""Diagram -> a draw.io (diagrams.net) file that opens editable, laid out where Graphviz puts things.

One ``dot -Tjson`` run (``renderer.layout``) gives every node's and group's
box. Groups become containers, so moving a pipeline box moves what is in it;
a child's geometry is relative to its container, as draw.io expects. Styles
come from the theme (fills, outlines, fonts) and the kind's Graphviz shape
(cylinder, ellipse, note ...); pictograms travel inside the file as data URIs.
Labels are HTML-escaped (cells use ``html=1``) with line breaks where the
renderer breaks them, then XML-escaped by ElementTree: they show exactly as
written and fit the boxes Graphviz sized for them.

diagrams.net sets text taller than Graphviz does: 1.2 x the font size a line
(mxGraph's ``LINE_HEIGHT``) against about 1.08 x. So a node's cell is fitted
to draw.io's own rules rather than copied from Graphviz's box: a pictogram
sits at the top of its cell (``imageVerticalAlign=top``) and its caption
starts under it (``verticalAlign=top`` with ``spacingTop`` past the
pictogram), the pictogram drawn smaller where Graphviz's box is short of
room for every line; a box too short for its lines grows about its centre.
Shapes keep their label inside them (no ``boundedLbl`` on a note, whose
margins draw.io takes from its cylinder and would push the text 40 px down).
"""

from __future__ import annotations

import base64
import math
import re
import xml.etree.ElementTree as ET

from .. import __version__
from ..spec.model import Diagram, Node
from ..themes import Theme

_PLAIN = ("plain", "plaintext", "none")
_SHAPES = {  # Graphviz shape -> draw.io style
    "cylinder": "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=6",
    "ellipse": "ellipse", "oval": "ellipse", "circle": "ellipse;aspect=fixed",
    "note": "shape=note;size=10",  # not boundedLbl (see above)
    "hexagon": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.15",
    "diamond": "rhombus",
    "parallelogram": "shape=parallelogram;perimeter=parallelogramPerimeter;size=0.15",
}
_ARROWS = {"->": ("none", "classic"), "<->": ("classic", "classic"), "--": ("none", "none")}
_LINES = {"solid": "", "dashed": "dashed=1;", "dotted": "dashed=1;dashPattern=1 3;", "bold": "strokeWidth=2.5;"}
_SAFE = re.compile(r"^[#A-Za-z0-9 ,._-]{1,60}$")  # theme values that may go into a style string
# How diagrams.net places a label: lines of 1.2 x the font size (mxConstants.LINE_HEIGHT), a spacing of 2 px
# around the text (mxText), a pictogram with imageVerticalAlign=top 5 px below that spacing
# (mxLabel.getImageBounds), and a label with verticalAlign=top 5 px below it (draw.io's mxText.baseSpacingTop).
LINE_HEIGHT = 1.2
SPACING = 2
IMAGE_INSET = 5
TEXT_INSET = 5
_GAP = 2  # between a pictogram and its caption


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
            n = d.nodes[nid]
            label = _label(n.label, theme.kind_style(n.kind)[2])
            box = (b.x - b.width / 2, b.y - b.height / 2, b.width, b.height)
            style, (x, y, w, h) = _node_cell(n, theme, label, box)
            _vertex(root, cell_id(nid, node=True), label, style, parent_cell, (x - ox, y - oy, w, h))

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


def _node_cell(n: Node, theme: Theme, label: str, box: tuple[float, float, float, float]):
    """A node's style and geometry (x, y, width, height): Graphviz's box, fitted to draw.io's text."""
    from . import pictogram

    attrs, _, _ = theme.kind_style(n.kind, n.color)
    x, y, w, h = box
    text = (label.count("<br>") + 1) * float(attrs.get("fontsize", 12)) * LINE_HEIGHT
    found = pictogram(n, theme)
    gv_style = str(attrs.get("style", ""))
    shape = str(attrs.get("shape", "box"))
    plain = shape in _PLAIN
    if found:
        # the pictogram at the top, the caption under it: as large as Graphviz's box leaves room for (at most
        # the renderer's size, never under half of it), and the box taller only if even that is short
        top, bottom = SPACING + IMAGE_INSET, 0 if plain else SPACING  # a drawn box keeps text off its border
        size = max(theme.icon_size // 2, min(theme.icon_size, math.floor(h - top - _GAP - text - bottom)))
        h = max(h, top + size + _GAP + text + bottom)
        base = f"shape=label;image={_data_uri(found[1])};imageWidth={size};imageHeight={size};" \
               f"imageAlign=center;imageVerticalAlign=top;verticalAlign=top;" \
               f"spacingTop={IMAGE_INSET + size + _GAP - TEXT_INSET}"
        base += ";rounded=1" if "rounded" in gv_style else ""
    else:
        if text + 2 * SPACING > h:  # more lines than draw.io fits in Graphviz's box: grow it about its centre
            y, h = y - (text + 2 * SPACING - h) / 2, text + 2 * SPACING
        if plain:
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
    }, wrap=False), (x, y, w, h)


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


def _data_uri(png: bytes) -> str:
    """A PNG as draw.io writes data URIs inside a style: no ';base64' (';' separates style entries)."""
    return "data:image/png," + base64.b64encode(png).decode("ascii")


def _n(value: float) -> str:
    return f"{round(value, 1) + 0.0:g}"  # + 0.0: never "-0"
