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
from importlib import resources

import diagrams
from diagrams import Cluster, Edge as DEdge, Node as DNode

from ..spec.model import Diagram, Group
from ..themes import Theme

ICON_DIR = resources.files("mlsd_diagrams") / "icons"
_STYLES = {"solid": "", "dashed": "dashed", "dotted": "dotted", "bold": "bold"}
WORD_JOINER = "\u2060"
_ESCAPE = re.compile(r"\\(?=[GNEHTL])")


def text_html(text: str, wrap: int) -> str:
    """Escape and wrap a label: every character is shown as written; lines break at ``wrap``."""
    lines = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, wrap, break_long_words=False, break_on_hyphens=True) or [""])
    return "<BR/>".join(_no_escapes(html.escape(line, quote=True)) for line in lines)


def _no_escapes(text: str) -> str:
    """Graphviz expands \\N, \\G, \\E, \\H, \\T, \\L in every label, HTML ones included, and has no
    way to quote them; an invisible word joiner after the backslash keeps the text as written
    (``svg.finish_svg`` takes it out again)."""
    return _ESCAPE.sub("\\\\" + WORD_JOINER, text)


def seq_mark(n: int) -> str:
    return chr(0x2460 + n - 1)  # circled digit one..twenty


def node_label(text: str, icon: str | None, wrap: int, icon_size: int) -> str:
    body = text_html(text, wrap)
    if not icon:
        return f"<{body}>"
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{icon_size}" HEIGHT="{icon_size}">'
            f'<IMG SRC="{icon}.png" SCALE="TRUE"/></TD></TR>'
            f"<TR><TD>{body}</TD></TR></TABLE>>")


class _Group(Cluster):
    """A Cluster named by the group's id: diagrams names clusters by label, so equal labels would merge."""

    def __init__(self, group: Group, theme: Theme, direction: str):
        attrs = {**_str(theme.cluster), "label": f"<{text_html(group.label, 100)}>"}
        if direction == "BT" and attrs.get("labelloc", "t") == "t":
            attrs["labelloc"] = "b"  # Graphviz flips cluster labels with the ranks; keep titles on top
        super().__init__(group.label, graph_attr=attrs)
        self.name = self.dot.name = f"cluster_{group.id}"


def build_dot(diagram: Diagram, theme: Theme, *, blank: dict[str, str] | None = None) -> str:
    """The DOT source of ``diagram`` in ``theme``. ``blank`` replaces the labels of some nodes."""
    return contextvars.copy_context().run(_build, diagram, theme, blank or {})


def _build(d: Diagram, theme: Theme, blank: dict[str, str]) -> str:
    canvas = diagrams.Diagram(
        "", filename=d.id, direction=d.direction, curvestyle="curved", outformat="svg", show=False,
        graph_attr={**_str(theme.graph), **_str(theme.title), "label": f"<{text_html(d.title, 80)}>",
                    "imagepath": str(ICON_DIR)},
        node_attr={"fixedsize": "false", "width": "0", "height": "0", "labelloc": "c", "imagescale": "false"},
        edge_attr=_str(theme.edge),
    )
    diagrams.setdiagram(canvas)
    made: dict[str, DNode] = {}

    def add_node(nid: str) -> None:
        n = d.nodes[nid]
        attrs, icon, wrap = theme.kind_style(n.kind, n.color)
        icon = n.icon or icon
        label = node_label(blank.get(nid, n.label), icon, wrap, theme.icon_size)
        made[nid] = DNode(label, nodeid=nid, **_str(attrs))

    parent = d.parent_of()
    members: dict[str | None, list[str]] = {}
    for gid in d.groups:
        members.setdefault(parent.get(gid), []).append(gid)
    for nid in d.nodes:
        members.setdefault(parent.get(nid), []).append(nid)

    def add_group(gid: str) -> None:
        with _Group(d.groups[gid], theme, d.direction):
            for member in _in_spec_order(members.get(gid, []), d, parent):
                add_group(member) if member in d.groups else add_node(member)

    for member in _in_spec_order(members.get(None, []), d, parent):
        add_group(member) if member in d.groups else add_node(member)

    for e in d.edges:
        label = e.label
        attrs = _str(theme.edge)  # diagrams sets font attributes on every edge; the theme's must win
        if e.seq:
            label = f"{seq_mark(e.seq)} {label}".strip()
        if label:
            attrs["label"] = f"<{text_html(label, 24)}>"
        for name in ("weight", "minlen"):
            if getattr(e, name) is not None:
                attrs[name] = str(getattr(e, name))
        if not e.constraint:
            attrs["constraint"] = "false"
        edge = DEdge(style=_STYLES[e.style], **attrs)
        edge.forward, edge.reverse = e.arrow in ("->", "<->"), e.arrow == "<->"
        made[e.src].connect(made[e.dst], edge)

    for k, row in enumerate(d.rank):
        with canvas.dot.subgraph(name=f"rank_{k}") as s:
            s.attr(rank="same")
            for ref in row:
                s.node(ref.id)
    diagrams.setdiagram(None)
    return canvas.dot.source


def _in_spec_order(ids: list[str], d: Diagram, parent: dict[str, str]) -> list[str]:
    """Order siblings by where their first node appears in the spec, so the layout follows the writing."""
    order = {nid: i for i, nid in enumerate(d.nodes)}

    def first(member: str) -> int:
        if member in d.nodes:
            return order[member]
        inside = [order[n] for n in d.nodes if _inside(n, member, parent)]
        return min(inside, default=len(order))

    return sorted(ids, key=first)


def _inside(nid: str, gid: str, parent: dict[str, str]) -> bool:
    seen = set()
    while nid in parent and nid not in seen:
        seen.add(nid)
        nid = parent[nid]
        if nid == gid:
            return True
    return False


def _str(attrs: dict) -> dict:
    return {k: str(v) for k, v in attrs.items()}
