"""Diagram -> Mermaid flowchart: groups as (nested) subgraphs, kinds as shapes, the theme's fills as classes.

Only the classic shape syntax is used (``[( )]``, ``(( ))`` ...), which every
Mermaid that GitHub has shipped understands. Ids get a prefix (``n_``, ``g_``)
so no spec id can be a Mermaid keyword (``end``, ``graph``, ``style``) or
start an edge decoration (``o``, ``x``). Every label is quoted, and characters
that mean something to Mermaid or to HTML are written as Mermaid entity
codes, so labels show exactly as written. The diagram's title goes into the
front matter, which GitHub shows above the chart.
"""

from __future__ import annotations

import json
import re

from ..spec.model import Diagram
from ..themes import Theme

# kind -> (opening, closing) of the node shape
SHAPES = {
    "actor": ('(["', '"])'),     # stadium
    "client": ('(["', '"])'),    # stadium
    "input": ('[/"', '"/]'),     # parallelogram
    "output": ('[\\"', '"\\]'),  # parallelogram leaning the other way
    "service": ('("', '")'),     # rounded box
    "step": ('["', '"]'),        # box
    "model": ('{{"', '"}}'),     # hexagon
    "store": ('[("', '")]'),     # cylinder
    "queue": ('[["', '"]]'),     # box with side bars
    "data": ('[/"', '"\\]'),     # trapezoid
    "external": ('("', '")'),    # rounded box, dashed border (class below)
    "note": ('>"', '"]'),        # flag
    "layer": ('["', '"]'),
    "tensor": ('["', '"]'),
    "op": ('(("', '"))'),        # circle
    "loss": ('("', '")'),
}
DEFAULT_SHAPE = ('["', '"]')

# (arrow, style) -> link; Mermaid has one dotted line, so dashed and dotted look alike
_LINKS = {
    ("->", "solid"): "-->", ("->", "dashed"): "-.->", ("->", "dotted"): "-.->", ("->", "bold"): "==>",
    ("<->", "solid"): "<-->", ("<->", "dashed"): "<-.->", ("<->", "dotted"): "<-.->", ("<->", "bold"): "<==>",
    ("--", "solid"): "---", ("--", "dashed"): "-.-", ("--", "dotted"): "-.-", ("--", "bold"): "===",
}

# Characters Mermaid or the browser would read as syntax or markup, as Mermaid entity codes.
_ENTITIES = {
    "#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "|": "#124;", ";": "#59;", "`": "#96;",
    "%": "#37;",  # '%%' starts a comment, and '%%{init: ...}%%' anywhere in the text reconfigures the chart
}
# Everything a reader or Mermaid's parser may take for a line break.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_INDENT = "    "
# Mermaid (11.x) shows '&' and '<' in a front-matter title as '&amp;' and '&lt;', and entity codes are not read
# there; such a title is kept as a comment instead, so what is shown is always what was written.
_TITLE_UNSAFE = set("&<%")


def escape(text: str) -> str:
    """Text for inside a quoted Mermaid label: shown literally; line breaks become ``<br>``."""
    escaped = "".join(_ENTITIES.get(c, c) for c in _LINE_BREAKS.sub("\n", text))
    return escaped.replace("\n", "<br>") or " "


def one_line(text: str) -> str:
    """Text for a comment line: on one line, with no '%' to start a directive."""
    return _LINE_BREAKS.sub(" ", text).replace("%", " ")


def node_id(nid: str) -> str:
    return f"n_{nid}"


def group_id(gid: str) -> str:
    return f"g_{gid}"


def export(d: Diagram, theme: Theme) -> str:
    lines = [f"%% {one_line(d.title)}", f"flowchart {d.flow}"]
    if not set(d.title) & _TITLE_UNSAFE:
        lines = ["---", f"title: {json.dumps(one_line(d.title), ensure_ascii=False)}", "---", *lines[1:]]
    inside = d.members()

    def emit(container: str | None, depth: int) -> None:
        groups, nodes = inside.get(container, ([], []))
        pad = _INDENT * depth
        for gid in groups:
            lines.append(f'{pad}subgraph {group_id(gid)}["{escape(d.groups[gid].label)}"]')
            emit(gid, depth + 1)
            lines.append(f"{pad}end")
        for nid in nodes:
            n = d.nodes[nid]
            opening, closing = SHAPES.get(n.kind, DEFAULT_SHAPE)
            lines.append(f"{pad}{node_id(nid)}{opening}{escape(n.label)}{closing}")

    emit(None, 1)
    for e in d.edges:
        link = _LINKS[(e.arrow, e.style)]
        label = e.text
        text = f'|"{escape(label)}"|' if label else ""
        lines.append(f"{_INDENT}{node_id(e.src)} {link}{text} {node_id(e.dst)}")
    lines += _styles(d, theme)
    return "\n".join(lines) + "\n"


def _styles(d: Diagram, theme: Theme) -> list[str]:
    """The theme's colours: one class per kind in use, a style line per recoloured node, dashed group boxes."""
    out = []
    kinds = list(dict.fromkeys(n.kind for n in d.nodes.values()))
    for kind in kinds:
        attrs, _, _ = theme.kind_style(kind)
        css = _node_css(attrs, theme)
        if css:
            out.append(f"{_INDENT}classDef k_{kind} {css}")
            ids = [node_id(n.id) for n in d.nodes.values() if n.kind == kind]
            out.append(f"{_INDENT}class {','.join(ids)} k_{kind}")
    for n in d.nodes.values():
        fill = color(theme.palette.get(n.color)) if n.color else None
        if fill:
            out.append(f"{_INDENT}style {node_id(n.id)} fill:{fill}")
    c = theme.cluster
    box = _props(fill=color(c.get("bgcolor")) or "none", stroke=color(c.get("pencolor") or c.get("color")),
                 text=color(c.get("fontcolor")), dashed="dashed" in str(c.get("style", "")))
    for gid in d.groups:
        out.append(f"{_INDENT}style {group_id(gid)} {box}")
    return out


def _node_css(attrs: dict, theme: Theme) -> str:
    """Graphviz node attributes -> Mermaid style properties (colours only; the kind gives the shape).

    Kinds the theme draws as a bare pictogram (shape plain) keep a visible outline here: Mermaid has no pictograms.
    """
    style = str(attrs.get("style", ""))
    fill = color(attrs.get("fillcolor")) if "filled" in style else None
    if str(attrs.get("shape", "")) in ("plain", "plaintext", "none"):
        fill = fill or color(theme.graph.get("bgcolor"))
    return _props(fill=fill, stroke=color(attrs.get("color")), text=color(attrs.get("fontcolor")),
                  dashed="dashed" in style)


def _props(fill, stroke, text, dashed) -> str:
    props = [f"fill:{fill}"] if fill else []
    props += [f"stroke:{stroke}"] if stroke else []
    props += [f"color:{text}"] if text else []
    props += ["stroke-dasharray:5 4"] if dashed else []
    return ",".join(props)


_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{3,20})$")


def color(value) -> str | None:
    """A theme colour fit for a Mermaid style line (``#rrggbb`` or a name); anything else is left out."""
    return str(value) if value is not None and _COLOR.match(str(value)) else None
