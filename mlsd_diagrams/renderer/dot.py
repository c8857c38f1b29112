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
from dataclasses import dataclass, field

import diagrams
from diagrams import Cluster
from diagrams import Edge as DEdge
from diagrams import Node as DNode

from ..icons import ICON_DIR
from ..spec.icons import is_icon_path
from ..spec.model import Diagram, Group
from ..themes import Theme

_STYLES = {"solid": "", "dashed": "dashed", "dotted": "dotted", "bold": "bold"}
WORD_JOINER = "\u2060"
ICON_PORT = "pictogram"  # the pictogram's cell: arrows to a bare pictogram end at it, not at its caption
EDGE_WRAP = 24  # characters per line of an edge label (draw.io export wraps the same)
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

    def __init__(self, group: Group, theme: Theme, direction: str, extra: dict | None = None):
        attrs = {**_str(theme.cluster), "label": f"<{text_html(group.label, 100)}>"}
        if direction == "BT" and attrs.get("labelloc", "t") == "t":
            attrs["labelloc"] = "b"  # Graphviz flips cluster labels with the ranks; keep titles on top
        attrs.update(_str(extra or {}))
        super().__init__(group.label, graph_attr=attrs)
        self.name = self.dot.name = f"cluster_{group.id}"


# Attributes callers may override per node, edge, group or graph (practice tools: overlay colours, hidden
# elements, frozen positions). Nothing that carries text or names a file: labels only come from the spec,
# through ``text_html``.
OVERRIDABLE = frozenset({
    "color", "fillcolor", "fontcolor", "pencolor", "bgcolor", "style", "penwidth", "peripheries", "shape",
    "arrowhead", "arrowtail", "fixedsize", "width", "height", "margin", "fontsize",
    "id", "pos", "bb", "lp", "lwidth", "lheight", "layout", "notranslate",
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


def build_dot(diagram: Diagram, theme: Theme, *, blank: dict[str, str] | None = None,
              overrides: Overrides | None = None) -> str:
    """The DOT source of ``diagram`` in ``theme``. ``blank`` replaces the labels of some nodes;
    ``overrides`` restyles or pins single elements."""
    return contextvars.copy_context().run(_build, diagram, theme, blank or {}, overrides or Overrides())


def _build(d: Diagram, theme: Theme, blank: dict[str, str], over: Overrides) -> str:
    if d.direction is None:  # the spec leaves it to us: the direction that gives a page-shaped picture
        from .shape import best_direction

        direction = best_direction(d, theme)
    else:
        direction = d.direction
    canvas = diagrams.Diagram(
        "", filename=d.id, direction=direction, curvestyle="curved", outformat="svg", show=False,
        graph_attr={**_str(theme.graph), **_str(theme.title), "label": f"<{text_html(d.title, 80)}>",
                    "imagepath": str(ICON_DIR), **_str(over.graph)},
        node_attr={"fixedsize": "false", "width": "0", "height": "0", "labelloc": "c", "imagescale": "false"},
        edge_attr=_str(theme.edge),
    )
    diagrams.setdiagram(canvas)
    made: dict[str, DNode] = {}

    def add_node(nid: str) -> None:
        n = d.nodes[nid]
        attrs, icon, wrap = theme.kind_style(n.kind, n.color)
        # a custom icon only as the loader's checked absolute path; an unchecked path is never handed to Graphviz
        icon = (n.icon_file.path if n.icon_file else None) or (None if is_icon_path(n.icon) else n.icon) or icon
        label = node_label(blank.get(nid, n.label), icon, wrap, theme.icon_size)
        made[nid] = DNode(label, nodeid=nid, **{**_str(attrs), **_str(over.nodes.get(nid, {}))})

    members = {container: groups + nodes for container, (groups, nodes) in d.members().items()}

    def add_group(gid: str) -> None:
        with _Group(d.groups[gid], theme, direction, over.groups.get(gid, {})):
            for member in _in_spec_order(members.get(gid, []), d):
                add_group(member) if member in d.groups else add_node(member)

    for member in _in_spec_order(members.get(None, []), d):
        add_group(member) if member in d.groups else add_node(member)

    feedback = d.feedback_edges()
    pictograms = {nid for nid, n in d.nodes.items() if _bare_pictogram(n, theme)}
    for index, e in enumerate(d.edges):
        attrs = _str(theme.edge)  # diagrams sets font attributes on every edge; the theme's must win
        if e.text:
            attrs["label"] = f"<{text_html(e.text, EDGE_WRAP)}>"
        for name in ("weight", "minlen"):
            if getattr(e, name) is not None:
                attrs[name] = str(getattr(e, name))
        if not e.constraint or index in feedback:  # a loop back must not turn the picture round
            attrs["constraint"] = "false"
        if e.src in pictograms:
            attrs["tailport"] = ICON_PORT
        if e.dst in pictograms:
            attrs["headport"] = ICON_PORT
        attrs.update(_str(over.edges.get(index, {})))
        style = attrs.pop("style", _STYLES[e.style])
        edge = DEdge(style=style, **attrs)
        edge.forward, edge.reverse = e.arrow in ("->", "<->"), e.arrow == "<->"
        made[e.src].connect(made[e.dst], edge)

    for k, row in enumerate(d.rank):
        with canvas.dot.subgraph(name=f"rank_{k}") as s:
            s.attr(rank="same")
            for ref in row:
                s.node(ref.id)
    diagrams.setdiagram(None)
    return canvas.dot.source


def _in_spec_order(ids: list[str], d: Diagram) -> list[str]:
    """Order siblings by where their first node appears in the spec, so the layout follows the writing."""
    order = {nid: i for i, nid in enumerate(d.nodes)}

    def first(member: str) -> int:
        if member in d.nodes:
            return order[member]
        inside = [order[n] for n in d.nodes if member in d.ancestors(n)]
        return min(inside, default=len(order))

    return sorted(ids, key=first)


def _str(attrs: dict) -> dict:
    return {k: str(v) for k, v in attrs.items()}


def _bare_pictogram(n, theme: Theme) -> bool:
    """A node drawn as a pictogram over its caption with no box around them (a person, a phone, the model's
    cloud): arrows should reach the picture."""
    attrs, icon, _ = theme.kind_style(n.kind, n.color)
    return bool(n.icon or icon) and str(attrs.get("shape", "")) in ("plain", "plaintext", "none")
