"""Referential and structural rules over a loaded spec, one function a rule.

Each rule yields ``Problem``s. Errors make a spec unusable (an edge to a node
that does not exist); warnings point at a diagram that will render but is
probably not what was meant (a node nothing connects to). Add a rule by
writing a function and decorating it with ``@rule``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.errors import Pos, Problem, Severity
from ..core.suggest import did_you_mean
from .model import Diagram, Spec

MAX_NODES = 25  # beyond this a diagram no longer fits a whiteboard

Rule = Callable[[Spec], Iterator[Problem]]
RULES: list[Rule] = []
REFERENCE_RULES: list[Rule] = []  # about what names what: they hold on any well-formed part of a spec


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def reference_rule(fn: Rule) -> Rule:
    """A rule about references (an edge's ends, a group's members), run on the well-formed parts of a spec
    even when other parts are malformed, so one run reports every problem."""
    REFERENCE_RULES.append(fn)
    return rule(fn)


def run_checks(spec: Spec, *, references_only: bool = False) -> list[Problem]:
    return [p for r in (REFERENCE_RULES if references_only else RULES) for p in r(spec)]


def _error(pos: Pos, msg: str) -> Problem:
    return Problem(pos, msg, Severity.ERROR)


def _warning(pos: Pos, msg: str) -> Problem:
    return Problem(pos, msg, Severity.WARNING)


def _diagrams(spec: Spec) -> Iterator[Diagram]:
    return iter(spec.diagrams.values())


@rule
def id_matches_file_name(spec: Spec) -> Iterator[Problem]:
    stem = Path(spec.path).stem
    if spec.path.endswith((".yaml", ".yml")) and spec.id != stem:
        yield _error(spec.pos, f"spec id {spec.id!r} must equal the file name {stem!r} "
                     f"(rename the file or set id: {stem})")


@rule
def diagram_has_nodes(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        if not d.nodes:
            yield _error(d.pos, f"diagram {d.id!r} has no nodes; add at least one under 'nodes'")


@reference_rule
def edge_ends_exist(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        for e in d.edges:
            for end, pos in ((e.src, e.src_pos), (e.dst, e.dst_pos)):
                if end not in d.nodes:
                    hint = " (edges join nodes, not groups)" if end in d.groups else did_you_mean(end, d.nodes)
                    yield _error(pos, f"edge end {end!r} is not a node of diagram {d.id!r}{hint}")


@reference_rule
def no_edge_to_itself(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        for e in d.edges:
            if e.src == e.dst and not e.loop:
                yield _error(e.pos, f"edge {e.src} {e.arrow} {e.dst} goes from a node to itself; "
                             "write it as a mapping with 'loop: true' if you mean it")


@reference_rule
def group_members_exist(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        for g in d.groups.values():
            for ref in g.nodes:
                if ref.id not in d.nodes:
                    hint = " (it is a group: list it under 'groups')" if ref.id in d.groups else \
                        did_you_mean(ref.id, d.nodes)
                    yield _error(ref.pos, f"group {g.id!r} names node {ref.id!r}, which is not a node of "
                                 f"diagram {d.id!r}{hint}")
            for ref in g.groups:
                if ref.id not in d.groups:
                    yield _error(ref.pos, f"group {g.id!r} nests group {ref.id!r}, which does not exist"
                                 f"{did_you_mean(ref.id, d.groups)}")


@reference_rule
def ids_are_unique_in_diagram(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        for gid, g in d.groups.items():
            if gid in d.nodes:
                yield _error(g.pos, f"group id {gid!r} is also a node id in diagram {d.id!r}; "
                             "ids must be unique within a diagram")


@reference_rule
def one_parent_each(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        seen: dict[str, str] = {}
        for g in d.groups.values():
            for ref in (*g.nodes, *g.groups):
                if ref.id in seen and seen[ref.id] != g.id:
                    yield _error(ref.pos, f"{ref.id!r} is already inside group {seen[ref.id]!r}; "
                                 "a node or group sits in one group only (nest the groups instead)")
                elif ref.id in seen:
                    yield _error(ref.pos, f"{ref.id!r} is listed twice in group {g.id!r}")
                seen.setdefault(ref.id, g.id)


@reference_rule
def groups_do_not_nest_in_a_cycle(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        parent: dict[str, str] = {}
        for g in d.groups.values():
            for ref in g.groups:
                parent.setdefault(ref.id, g.id)  # a second parent is one_parent_each's error
        reported: set[str] = set()
        for start in d.groups:
            trail, gid = [], start
            while gid in parent and gid not in trail:
                trail.append(gid)
                gid = parent[gid]
            if gid in trail and gid not in reported:
                cycle = trail[trail.index(gid):]
                reported.update(cycle)
                shown = " inside ".join([*cycle, gid])
                yield _error(d.groups[gid].pos, f"groups nest in a cycle: {shown}")


@reference_rule
def rank_hints_name_nodes(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        for row in d.rank:
            for ref in row:
                if ref.id not in d.nodes:
                    yield _error(ref.pos, f"rank hint names {ref.id!r}, which is not a node of diagram "
                                 f"{d.id!r}{did_you_mean(ref.id, d.nodes)}")


@rule
def every_node_is_connected(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        if len(d.nodes) < 2:
            continue
        linked = {end for e in d.edges for end in (e.src, e.dst)}
        for n in d.nodes.values():
            if n.id not in linked and n.kind != "note":
                yield _warning(n.pos, f"node {n.id!r} has no edges; connect it or remove it")


@rule
def no_empty_group(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        for g in d.groups.values():
            if not g.nodes and not g.groups:
                yield _warning(g.pos, f"group {g.id!r} is empty; list its nodes under 'nodes'")


@rule
def no_duplicate_edge(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        counts = Counter((e.src, e.dst, e.label) for e in d.edges)
        done = set()
        for e in d.edges:
            k = (e.src, e.dst, e.label)
            if counts[k] > 1 and k not in done:
                done.add(k)
                yield _warning(e.pos, f"edge {e.src} -> {e.dst} is written {counts[k]} times")


@rule
def diagram_fits_a_whiteboard(spec: Spec) -> Iterator[Problem]:
    for d in _diagrams(spec):
        if len(d.nodes) > MAX_NODES:
            yield _warning(d.pos, f"diagram {d.id!r} has {len(d.nodes)} nodes; above {MAX_NODES} it stops "
                           "being readable on a slide or whiteboard (split it)")
