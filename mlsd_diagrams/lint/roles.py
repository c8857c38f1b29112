"""What each component does in an ML system, read from its label, its kind and its edges.

Labels are read through ``practice.match.words``, the synonym vocabulary that
``check`` pairs components with ("ANN", "vector search" and "nearest neighbor
service" are one concept), so a learner's own wording is understood the same
way by both commands. The first role in ``_INFER`` whose test passes wins; a
node's ``role:`` key overrides the guess (``role: none`` stops it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..practice.match import words
from ..spec.model import Diagram, Node

STORES = {"store", "data", "queue"}
SOURCES = {"input", "queue", "store", "data", "actor", "client", "external"}  # where new data can come from
ARCHITECTURE_KINDS = {"layer", "tensor", "op", "loss"}

_DATASET = {"data", "dataset", "example", "label", "sample", "pair"}
_CANDIDATES = {"retrieval", "candidate", "filtering", "filter", "fof"}
_INTERACTIONS = {"interaction", "click", "impression", "feedback", "report", "engagement", "reaction", "log",
                 "event", "new", "queue"}
_MONITORING = {"monitoring", "monitor", "alert", "alerting", "dashboard", "drift"}

Test = Callable[[set[str], Node], bool]
_INFER: list[tuple[str, Test]] = [
    ("reranking", lambda w, n: "rerank" in w),
    ("monitoring", lambda w, n: bool(w & _MONITORING)),
    ("feature-store", lambda w, n: "featurestore" in w),
    ("index", lambda w, n: bool(w & {"index", "indexed"}) and n.kind in STORES),
    ("indexer", lambda w, n: "indexer" in w),
    ("nn-search", lambda w, n: "nnsearch" in w),
    ("training-data", lambda w, n: "training" in w and bool(w & _DATASET)),
    ("training", lambda w, n: "training" in w),
    ("retrieval", lambda w, n: bool(w & _CANDIDATES)),
    ("ranking", lambda w, n: "ranking" in w),
    ("encoder", lambda w, n: "encoder" in w),
    ("features", lambda w, n: "feature" in w),
    ("interactions", lambda w, n: bool(w & _INTERACTIONS) and n.kind in SOURCES),
]


def node_role(node: Node) -> str | None:
    """The role a node's own words and kind give it (None: none that lint cares about)."""
    if node.role:
        return None if node.role == "none" else node.role
    if node.kind == "note":
        return None
    w = set(words(node.label))
    return next((role for role, test in _INFER if test(w, node)), None)


def roles(d: Diagram) -> dict[str, str]:
    """Node id -> role, for the nodes that have one. A node with no role of its own that feeds a ranking
    node over an edge labelled with candidates ("2-hop candidates") is taken as retrieval."""
    out = {nid: r for nid, n in d.nodes.items() if (r := node_role(n))}
    for e in d.edges:
        if e.src not in out and out.get(e.dst) == "ranking" and "candidate" in words(e.label) \
                and not d.nodes[e.src].role:
            out[e.src] = "retrieval"
    return out


def with_role(d: Diagram, found: dict[str, str], *wanted: str) -> list[str]:
    return [nid for nid in d.nodes if found.get(nid) in wanted]


def successors(d: Diagram) -> dict[str, set[str]]:
    """Where data can flow from each node: along '->', and both ways along '<->' and '--'."""
    out: dict[str, set[str]] = {}
    for e in d.edges:
        out.setdefault(e.src, set()).add(e.dst)
        if e.arrow != "->":
            out.setdefault(e.dst, set()).add(e.src)
    return out


def reaches(d: Diagram, starts: Iterable[str], goals: Iterable[str]) -> bool:
    """Whether a path of edges leads from one of ``starts`` to one of ``goals`` (at least one edge long)."""
    nxt, goal = successors(d), set(goals)
    seen: set[str] = set()
    stack = [m for s in starts for m in nxt.get(s, ())]
    while stack:
        u = stack.pop()
        if u in goal:
            return True
        if u not in seen:
            seen.add(u)
            stack.extend(nxt.get(u, ()))
    return False


def is_system(d: Diagram) -> bool:
    """A system design: a serving diagram, or one with no step that draws no model architecture."""
    if d.step is not None:
        return d.step == "serving"
    return not any(n.kind in ARCHITECTURE_KINDS for n in d.nodes.values())


def is_architecture(d: Diagram) -> bool:
    return d.step == "model" and any(n.kind in {"layer", "tensor", "op"} for n in d.nodes.values())


def text_words(*texts: object) -> set[str]:
    """The normalised words of strings and (nested) lists of strings, such as framework bullets."""
    out: set[str] = set()
    for t in texts:
        if isinstance(t, str):
            out.update(words(t))
        elif isinstance(t, (list, tuple)):
            out.update(text_words(*t))
        elif isinstance(t, dict):
            out.update(text_words(*t.values()))
    return out


__all__ = ["is_architecture", "is_system", "node_role", "reaches", "roles", "text_words", "with_role"]
