"""One diagram of a spec + a theme -> DOT source, built with the ``diagrams`` library.

``diagrams`` keeps the diagram being built in a context variable and renders
when its ``with`` block ends. We build inside a copied context (so nothing
leaks between builds or threads), pass explicit node ids (so the source is
the same on every run) and only take the DOT text: Graphviz runs elsewhere,
once per diagram. All text goes into Graphviz as HTML-like labels built from
escaped strings, so nothing a spec says can become markup or an attribute.
"""

from __future__ import annotations

import contextvars
import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import diagrams
from diagrams import Cluster
from diagrams import Edge as DEdge
from diagrams import Node as DNode

from ..icons import ICON_DIR
from ..spec.icons import is_icon_path
from ..spec.model import Diagram, Edge, Group, Node
from ..themes import Theme
from ..vocabulary import CSS_DPI
from .placement import in_spec_order, note_anchors, settled_edges, titles_below

_STYLES = {"solid": "", "dashed": "dashed", "dotted": "dotted", "bold": "bold"}
# The page's margin, in inches: half a pixel at 96 dpi less on each side. Graphviz clips its PNG to the page,
# whose size in pixels is rarely whole, and rounds the canvas to the nearest pixel: rounded up, the last
# column or row is only partly covered and comes out see-through. A canvas one pixel smaller than the page
# is always covered. Graphviz's layout reads the same attribute, as whole points (so 0, not 8) between the
# top-level groups and around them: a diagram with two or more top-level groups keeps the default, and its
# PNG is made opaque afterwards (renderer.pngmeta.opaque_page).
SHAVE = f"{-0.5 / CSS_DPI:.7f}"
_SWAP_ENDS = {"arrowhead": "arrowtail", "arrowtail": "arrowhead"}
WORD_JOINER = "\u2060"
ICON_PORT = "pictogram"  # the pictogram's cell: arrows to a bare pictogram end at it, not at its caption
EDGE_WRAP = 24  # characters per line of an edge label (draw.io export wraps the same)
# the digit inside a circled number (①) is 0.63 of a plain digit's height in DejaVu Sans, the symbol font:
# drawn 1.6 times the label's size, the step number reads as large as the label's own digits
SEQ_SCALE = 1.6
_ESCAPE = re.compile(r"\\(?=[GNEHTL\\])")  # and "\\\\", which Graphviz turns into one backslash


def text_html(text: str, wrap: int) -> str:
    """Escape and wrap a label: every character is shown as written; lines break at ``wrap``."""
    lines = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, wrap, break_long_words=False, break_on_hyphens=True) or [""])
    body = "<BR/>".join(_no_escapes(html.escape(line, quote=True)) for line in lines)
    # Graphviz 2.43 rejects an HTML label that is empty or only ']' ("syntax error"): a space and a
    # character reference show the same text and always parse
    return body.replace("]", "&#93;") or " "


def _no_escapes(text: str) -> str:
    """Graphviz expands \\N, \\G, \\E, \\H, \\T, \\L in every label, HTML ones included, and has no
    way to quote them; an invisible word joiner after the backslash keeps the text as written
    (``svg.finish_svg`` takes it out again)."""
    return _ESCAPE.sub("\\\\" + WORD_JOINER, text)


def edge_label(e: Edge, theme: Theme) -> str:
    """An edge's label: its step number as a circled digit, drawn large enough that the digit inside the
    circle is as tall as the digits of the label (``SEQ_SCALE``), then the label, wrapped."""
    body = text_html(e.label, EDGE_WRAP) if e.label else ""
    if not e.seq:
        return body
    size = float(str(theme.edge.get("fontsize", theme.node.get("fontsize", 14))))
    # circled one..twenty; the space after it is unbreakable and at the number's size, so that it shows in
    # every theme (an SVG text run drops a leading space; a marker font draws the number wider than measured)
    mark = f'<FONT POINT-SIZE="{size * SEQ_SCALE:g}">{chr(0x2460 + e.seq - 1)}'
    return f"{mark}&#160;</FONT>{body}" if body else f"{mark}</FONT>"


def node_label(text: str, icon: str | None, wrap: int, icon_size: int) -> str:
    body = text_html(text, wrap)
    if not icon:
        return f"<{body}>"
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f'<TR><TD PORT="{ICON_PORT}" FIXEDSIZE="TRUE" WIDTH="{icon_size}" HEIGHT="{icon_size}">'
            f'<IMG SRC="{html.escape(icon if icon.endswith(".png") else f"{icon}.png", quote=True)}" SCALE="TRUE"/>'
            f"</TD></TR>"
            f"<TR><TD>{body}</TD></TR></TABLE>>")


class _Group(Cluster):
    """A Cluster named by the group's id: diagrams names clusters by label, so equal labels would merge."""

    def __init__(self, group: Group, theme: Theme, direction: str, extra: dict | None = None, *,
                 title_below: bool = False):
        attrs = {**_str(theme.cluster), "label": f"<{text_html(group.label, 100)}>"}
        if attrs.get("labelloc", "t") == "t" and title_below != (direction == "BT"):
            attrs["labelloc"] = "b"  # Graphviz flips cluster labels with the ranks (BT): "b" is on top there
        attrs.update(_str(extra or {}))
        super().__init__(group.label, graph_attr=attrs)
        self.name = self.dot.name = f"cluster_{group.id}"


# Attributes callers may override per node, edge, group or graph (practice tools: overlay colours, hidden
# elements, frozen positions). Nothing that carries text or names a file: labels only come from the spec,
# through ``text_html``.
OVERRIDABLE = frozenset({
    "color", "fillcolor", "fontcolor", "pencolor", "bgcolor", "style", "penwidth", "peripheries", "shape",
    "arrowhead", "arrowtail", "fixedsize", "width", "height", "margin", "fontsize",
    "id", "pos", "bb", "lp", "xlp", "lwidth", "lheight", "layout", "notranslate",
})


@dataclass(frozen=True)
class Overrides:
    """Graphviz attributes laid over the theme: by node id, by edge index (in ``Diagram.edges``), by group id,
    and for the graph."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[int, dict[str, str]] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)
    graph: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for attrs in (*self.nodes.values(), *self.edges.values(), *self.groups.values(), self.graph):
            bad = sorted(set(attrs) - OVERRIDABLE)
            if bad:
                raise ValueError(f"cannot override Graphviz attribute(s) {', '.join(bad)}")


def node_icon(n: Node, theme: Theme) -> str | None:
    """The pictogram a node shows: a custom icon as the loader's checked absolute path (an unchecked path is
    never handed to Graphviz), else a built-in pictogram's name (its kind's, unless the node names one)."""
    return (n.icon_file.path if n.icon_file else None) or (None if is_icon_path(n.icon) else n.icon) \
        or theme.kind_style(n.kind, n.color)[1]


def build_dot(diagram: Diagram, theme: Theme, *, blank: dict[str, str] | None = None,
              overrides: Overrides | None = None, images: Callable[[Node], str] | None = None) -> str:
    """The DOT source of ``diagram`` in ``theme``. ``blank`` replaces the labels of some nodes;
    ``overrides`` restyles or pins single elements. ``images`` names the image file of each node that shows
    a pictogram (``node_icon``); by default, this installation's own files (built-in ones through the
    ``imagepath`` of the icons folder), and with ``images`` no folder of this machine at all."""
    return contextvars.copy_context().run(_build, diagram, theme, blank or {}, overrides or Overrides(), images)


def _build(d: Diagram, theme: Theme, blank: dict[str, str], over: Overrides,
           images: Callable[[Node], str] | None = None) -> str:
    if d.direction is None:  # the spec leaves it to us: the direction that gives a page-shaped picture
        from .shape import best_direction

        direction = best_direction(d, theme)
    else:
        direction = d.direction
    top_groups = d.members().get(None, ([], []))[0]
    canvas = diagrams.Diagram(
        "", filename=d.id, direction=direction, curvestyle="curved", outformat="svg", show=False,
        graph_attr={**({"margin": SHAVE} if len(top_groups) < 2 else {}), **_str(theme.graph), **_str(theme.title),
                    "label": f"<{text_html(d.title, 80)}>",
                    **({} if images else {"imagepath": str(ICON_DIR)}), **_str(over.graph)},
        node_attr={"fixedsize": "false", "width": "0", "height": "0", "labelloc": "c", "imagescale": "false"},
        edge_attr=_str(theme.edge),
    )
    diagrams.setdiagram(canvas)
    made: dict[str, DNode] = {}

    def add_node(nid: str) -> None:
        n = d.nodes[nid]
        attrs, _, wrap = theme.kind_style(n.kind, n.color)
        icon = node_icon(n, theme)
        label = node_label(blank.get(nid, n.label), images(n) if images and icon else icon, wrap, theme.icon_size)
        made[nid] = DNode(label, nodeid=nid, **{**_str(attrs), **_str(over.nodes.get(nid, {}))})

    members = {container: groups + nodes for container, (groups, nodes) in d.members().items()}
    feedback = d.feedback_edges()
    below = titles_below(d, direction, feedback)

    def add_group(gid: str) -> None:
        with _Group(d.groups[gid], theme, direction, over.groups.get(gid, {}), title_below=gid in below):
            for member in in_spec_order(members.get(gid, []), d):
                add_group(member) if member in d.groups else add_node(member)

    for member in in_spec_order(members.get(None, []), d):
        add_group(member) if member in d.groups else add_node(member)

    rows = [[ref.id for ref in row] for row in d.rank]
    beside: set[tuple[str, str]] = set()  # (note, node) pairs in one rank: a note sits next to what it annotates
    for note, anchor in note_anchors(d).items():
        if not any(note in row for row in rows):  # a rank hint that places the note wins
            rows.append([anchor, note])
        if any(note in row and anchor in row for row in rows):
            beside |= {(note, anchor), (anchor, note)}
    settled = settled_edges(d, feedback)
    pictograms = {nid for nid, n in d.nodes.items() if _bare_pictogram(n, theme)}
    for index, e in enumerate(d.edges):
        attrs = _str(theme.edge)  # diagrams sets font attributes on every edge; the theme's must win
        if e.text:
            # Graphviz draws the label of an edge between two nodes of one rank (a flat edge) outside the
            # layout: across the line or, with ports, over a group's border when the picture reads sideways.
            # A label placed once the layout is done (xlabel) sits beside the line, clear of the nodes.
            flat = any(e.src in row and e.dst in row for row in rows)
            sideways = direction in ("LR", "RL")
            attrs["xlabel" if flat and sideways else "label"] = f"<{edge_label(e, theme)}>"
        for name in ("weight", "minlen"):
            if getattr(e, name) is not None:
                attrs[name] = str(getattr(e, name))
        if (e.src, e.dst) in beside:
            # Graphviz keeps the ends of a flat edge minlen x nodesep apart, and doubles minlen when any edge
            # has a label; 0 leaves the one nodesep between neighbours
            attrs.setdefault("minlen", "0")
        back = settled.get(index, False)
        if (not e.constraint or index in feedback) and index not in settled:
            attrs["constraint"] = "false"  # a loop back must not turn the picture round
        tail, head = (e.dst, e.src) if back else (e.src, e.dst)
        # an arrow reaches a bare pictogram at the picture, unless its caption lies in the way: an edge leaving
        # downwards (top to bottom) or arriving from below (bottom to top) would have to wrap round the caption.
        # A plain line (--) keeps to the node: Graphviz 2.43 draws an arrowhead on a dir=none edge that has a
        # port when it is routed outside the ranking (constraint=false, or between nodes of one rank).
        arrowed = e.arrow != "--"
        if tail in pictograms and direction != "TB" and arrowed:
            attrs["tailport"] = ICON_PORT
        if head in pictograms and direction != "BT" and arrowed:
            attrs["headport"] = ICON_PORT
        attrs.update(_str(over.edges.get(index, {})))
        style = attrs.pop("style", _STYLES[e.style])
        if back:  # written from its target, so the spec's head is the tail: the arrowheads change ends
            attrs = {_SWAP_ENDS.get(k, k): v for k, v in attrs.items()}
        edge = DEdge(style=style, **attrs)
        at_dst, at_src = e.arrow in ("->", "<->"), e.arrow == "<->"
        edge.forward, edge.reverse = (at_src, at_dst) if back else (at_dst, at_src)
        made[tail].connect(made[head], edge)

    for k, row in enumerate(rows):
        with canvas.dot.subgraph(name=f"rank_{k}") as s:
            s.attr(rank="same")
            for nid in row:
                s.node(nid)
    diagrams.setdiagram(None)
    return canvas.dot.source


def _str(attrs: dict) -> dict:
    return {k: str(v) for k, v in attrs.items()}


def _bare_pictogram(n, theme: Theme) -> bool:
    """A node drawn as a pictogram over its caption with no box around them (a person, a phone, the model's
    cloud): arrows should reach the picture."""
    attrs, icon, _ = theme.kind_style(n.kind, n.color)
    return bool(n.icon or icon) and str(attrs.get("shape", "")) in ("plain", "plaintext", "none")
