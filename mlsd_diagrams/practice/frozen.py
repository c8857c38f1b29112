"""One layout, many pictures: Graphviz lays a diagram out once; every later picture is drawn from it.

Quiz images (labels blanked) and reveal frames (elements hidden) must keep
every node exactly where the full diagram has it. Laying each variant out
again would move things (a shorter label makes a smaller box, a missing node
frees its rank). So we run ``dot -Tjson`` once on the full diagram, then give
every variant Graphviz's own result back: node centres and sizes, edge
splines and label positions, group boxes and the canvas, rendered with the
``nop2`` engine (``neato -n2``), which draws positions as given and moves
nothing. Hidden elements stay in the graph as ``style=invis``, so the canvas
is the same size in every picture too.

Why not only pin node centres: ``neato -n2`` then routes the edges itself
(they no longer match the rendered diagram) and, without their boxes,
misplaces the groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..spec.model import Diagram
from ..themes import Theme

_EDGE_ID = "mlsd_edge_{}"


@dataclass(frozen=True)
class Frozen:
    """A diagram laid out once. Coordinates are Graphviz's (points, y growing upwards)."""

    diagram: Diagram
    theme: Theme
    nodes: dict[str, dict[str, str]]  # pos, width, height
    edges: dict[int, dict[str, str]]  # pos, lp, xlp; by index in diagram.edges
    groups: dict[str, dict[str, str]]  # bb, lp, lwidth, lheight
    graph: dict[str, str]  # bb, lp, lwidth, lheight

    def centres(self) -> dict[str, tuple[float, float]]:
        centres = {}
        for nid, a in self.nodes.items():
            x, y = a["pos"].split(",")[:2]
            centres[nid] = (float(x), float(y))
        return centres

    def source(self, *, hide: Iterable[str] = (), blank: dict[str, str] | None = None,
               nodes: dict[str, dict[str, str]] | None = None) -> str:
        """DOT for one picture: the nodes in ``hide`` (and every edge and group left without a visible
        node) are invisible; ``blank`` replaces labels; ``nodes`` adds per-node attributes."""
        from ..renderer.dot import Overrides, build_dot

        d = self.diagram
        hidden = set(hide)
        visible_groups = _groups_showing(d, set(d.nodes) - hidden)
        node_attrs = {nid: {**a, "fixedsize": "shape", **(nodes or {}).get(nid, {})} for nid, a in self.nodes.items()}
        for nid in hidden:
            node_attrs[nid]["style"] = "invis"
        edge_attrs = {i: dict(a) for i, a in self.edges.items()}
        for i, e in enumerate(d.edges):
            if e.src in hidden or e.dst in hidden:
                edge_attrs.setdefault(i, {})["style"] = "invis"
        group_attrs = {gid: {**a, **({} if gid in visible_groups else {"style": "invis"})}
                       for gid, a in self.groups.items()}
        over = Overrides(nodes=node_attrs, edges=edge_attrs, groups=group_attrs,
                         graph={**self.graph, "layout": "nop2"})
        return build_dot(d, self.theme, blank=blank, overrides=over)


def freeze(diagram: Diagram, theme: Theme, *, timeout: float | None = None) -> Frozen:
    """Lay ``diagram`` out once (one Graphviz run) and keep every position."""
    from ..renderer.dot import Overrides, build_dot
    from ..renderer.layout import graphviz_json

    # Graphviz lists edges grouped by tail, not in the order written; an id ties each back to its index.
    tags = Overrides(edges={i: {"id": _EDGE_ID.format(i)} for i in range(len(diagram.edges))})
    data = graphviz_json(build_dot(diagram, theme, overrides=tags), timeout=timeout)
    label_keys = ("lp", "lwidth", "lheight")
    nodes, groups = {}, {}
    for obj in data.get("objects", []):
        name = obj.get("name", "")
        if name.startswith("cluster_") and "bb" in obj:
            groups[name[len("cluster_"):]] = _pick(obj, ("bb", *label_keys))
        elif "pos" in obj and name in diagram.nodes:
            nodes[name] = _pick(obj, ("pos", "width", "height"))
    edge_index = {_EDGE_ID.format(i): i for i in range(len(diagram.edges))}
    edges = {edge_index[e["id"]]: _pick(e, ("pos", "lp", "xlp"))  # xlp: a label Graphviz places after the layout
             for e in data.get("edges", []) if e.get("id") in edge_index}
    graph = _pick(data, ("bb", *label_keys))
    return Frozen(diagram, theme, nodes, edges, groups, graph)


def _pick(obj: dict, keys: tuple[str, ...]) -> dict[str, str]:
    return {k: str(obj[k]) for k in keys if k in obj}


def _groups_showing(d: Diagram, shown: set[str]) -> set[str]:
    """Groups that hold (directly or through nested groups) at least one shown node."""
    return {gid for nid in shown for gid in d.ancestors(nid)}
