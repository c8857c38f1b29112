"""Where things go in a picture, decided from the diagram alone before any layout: the order siblings are
written in, which way a loop's way back is drawn, which node a note sits beside, and which side of a group
its title takes. ``renderer.dot`` turns these decisions into Graphviz attributes."""

from __future__ import annotations

from ..spec.model import Diagram


def settled_edges(d: Diagram, feedback: set[int] | None = None) -> dict[int, bool]:
    """The edges kept out of ranking (a loop's way back, ``Diagram.feedback_edges``, or ``constraint: false``)
    whose ends the other edges already put in order: index -> True when the edge runs back against that order.

    Left out of ranking (``constraint=false``), Graphviz routes such an edge last and it can swing round the
    whole picture. Since one end already leads to the other, ranking with it adds no order that was not there:
    written in the flow's direction (a way back from its target, the arrowhead at the tail) it becomes an
    ordinary edge that the layout places beside the path it runs along."""
    feedback = d.feedback_edges() if feedback is None else feedback
    ahead: dict[str, set[str]] = {n: set() for n in d.nodes}
    for i, e in enumerate(d.edges):
        if e.constraint and i not in feedback and e.src != e.dst:
            ahead[e.src].add(e.dst)

    def leads(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for nxt in ahead[todo.pop()]:
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    out: dict[int, bool] = {}
    for i, e in enumerate(d.edges):  # a minlen beyond 1 would add an order the spec turned off
        if (i in feedback or not e.constraint) and e.src != e.dst and (e.minlen or 0) <= 1:
            if leads(e.dst, e.src):
                out[i] = True
            elif leads(e.src, e.dst):
                out[i] = False
    return out


def titles_below(d: Diagram, direction: str, feedback: set[int] | None = None) -> set[str]:
    """Groups whose title goes at the bottom, so that no arrow runs through it: in a picture that reads down
    (TB) or up (BT), the groups whose edges all cross the top side (entering from above, or leaving upwards)
    and none the bottom. A group's title is on top otherwise, as in the book."""
    if direction not in ("TB", "BT"):
        return set()
    feedback = d.feedback_edges() if feedback is None else feedback
    forward = [e for i, e in enumerate(d.edges) if i not in feedback]
    out = set()
    for gid in d.groups:
        inside = {m for m in d.nodes if gid in d.ancestors(m)}
        entering = any(e.dst in inside and e.src not in inside for e in forward)
        leaving = any(e.src in inside and e.dst not in inside for e in forward)
        top, bottom = (entering, leaving) if direction == "TB" else (leaving, entering)
        if top and not bottom:
            out.add(gid)
    return out


def note_anchors(d: Diagram) -> dict[str, str]:
    """Each note and the node it annotates: the one node it is joined to by edges or, with no edges, the one
    node a rank hint sets beside it. A note joined to several nodes, or to none, annotates the picture."""
    out: dict[str, str] = {}
    for nid, n in d.nodes.items():
        if n.kind != "note":
            continue
        joined = {e.dst if e.src == nid else e.src for e in d.edges if nid in (e.src, e.dst) and e.src != e.dst}
        if not joined:
            joined = {other.id for row in d.rank if len(row) == 2 and nid in (r.id for r in row)
                      for other in row if other.id != nid}
        if len(joined) == 1:
            out[nid] = joined.pop()
    return out


def in_spec_order(ids: list[str], d: Diagram) -> list[str]:
    """Order siblings by where their first node appears in the spec, so the layout follows the writing."""
    order = {nid: i for i, nid in enumerate(d.nodes)}

    def first(member: str) -> int:
        if member in d.nodes:
            return order[member]
        inside = [order[n] for n in d.nodes if member in d.ancestors(n)]
        return min(inside, default=len(order))

    return sorted(ids, key=first)
