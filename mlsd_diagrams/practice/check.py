"""Check: compare your design with the reference, component by component and edge by edge.

Components are paired by ``match`` (labels in your own words, kinds and
structure, solved as one assignment), so your ids and wording need not be the
reference's. Edges match when their ends match (an edge drawn both ways or
without arrowhead matches either way). The score is precision (how much of
yours is in the reference) and recall (how much of the reference is in
yours), for components and for edges. Notes are annotations, not components:
they are not scored. Each of your diagrams is compared with the reference
diagram of the same id, or else with the one it answers best.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import UsageError

if TYPE_CHECKING:  # the renderer loads diagrams and Graphviz bindings; only drawing an overlay needs it
    from ..renderer.dot import Overrides
from ..core.assignment import best_assignment
from ..spec.model import Diagram, Edge, Group, Ref, Spec
from .match import Match, diagram_affinity, match_nodes


@dataclass
class DiagramCheck:
    mine: Diagram
    ref: Diagram
    matches: list[Match] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # reference node ids you do not have
    extra: list[str] = field(default_factory=list)  # your node ids the reference does not have
    matched_edges: list[tuple[Edge, Edge]] = field(default_factory=list)  # (reference, yours)
    missing_edges: list[Edge] = field(default_factory=list)  # reference edges, not rewired
    extra_edges: list[Edge] = field(default_factory=list)  # your edges, not rewired
    rewired: list[tuple[Edge, Edge]] = field(default_factory=list)  # (reference edge, your edge in its place)
    scored_nodes: tuple[int, int] = (0, 0)  # (yours, reference), notes left out
    scored_edges: tuple[int, int] = (0, 0)

    @property
    def id(self) -> str:
        return self.ref.id

    @property
    def node_precision(self) -> float:
        return _ratio(len(self.matches), self.scored_nodes[0])

    @property
    def node_recall(self) -> float:
        return _ratio(len(self.matches), self.scored_nodes[1])

    @property
    def edge_precision(self) -> float:
        return _ratio(len(self.matched_edges), self.scored_edges[0])

    @property
    def edge_recall(self) -> float:
        return _ratio(len(self.matched_edges), self.scored_edges[1])

    @property
    def identical(self) -> bool:
        return not (self.missing or self.extra or self.missing_edges or self.extra_edges or self.rewired) \
            and all(m.how == "id" for m in self.matches)

    def ref_to_mine(self) -> dict[str, str]:
        return {m.ref: m.mine for m in self.matches}

    def rewired_components(self) -> list[tuple[str, list[str], list[str]]]:
        """Matched components whose neighbours (among matched components) differ: (your id, gained, lost),
        gained and lost named by reference id."""
        to_ref = {m.mine: m.ref for m in self.matches}
        mine_n, ref_n = _neighbours(self.mine.edges, to_ref), _neighbours(self.ref.edges, {m.ref: m.ref for m in
                                                                                            self.matches})
        out = []
        for m in self.matches:
            gained = sorted(mine_n.get(m.ref, set()) - ref_n.get(m.ref, set()))
            lost = sorted(ref_n.get(m.ref, set()) - mine_n.get(m.ref, set()))
            if gained or lost:
                out.append((m.mine, gained, lost))
        return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _neighbours(edges, rename: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in edges:
        if e.src in rename and e.dst in rename and e.src != e.dst:
            out.setdefault(rename[e.src], set()).add(rename[e.dst])
            out.setdefault(rename[e.dst], set()).add(rename[e.src])
    return out


@dataclass
class CheckReport:
    mine: Spec
    ref: Spec
    diagrams: list[DiagramCheck]
    overlays: list[Path] = field(default_factory=list)

    def text(self) -> str:
        return report_text(self)


def compare(mine: Spec, ref: Spec, diagrams: list[str] | None = None) -> CheckReport:
    """Compare each of your diagrams with the reference diagram it answers (or the ones named)."""
    if diagrams:
        for did in diagrams:
            for spec in (mine, ref):
                if did not in spec.diagrams:
                    raise UsageError(f"{spec.id} has no diagram {did!r}; it has: {', '.join(spec.diagrams)}")
        pairs = [(did, did) for did in diagrams]
    else:
        pairs = pair_diagrams(mine, ref)
        if not pairs:
            raise UsageError(f"no diagram of {mine.id} resembles one of {ref.id} ({mine.id}: "
                             f"{', '.join(mine.diagrams)}; {ref.id}: {', '.join(ref.diagrams)}); "
                             "name the one to compare with --diagram after giving yours the same id")
    return CheckReport(mine, ref, [compare_diagrams(mine.diagrams[a], ref.diagrams[b]) for a, b in pairs])


PAIRING_THRESHOLD = 0.2


def pair_diagrams(mine: Spec, ref: Spec) -> list[tuple[str, str]]:
    """(your diagram id, reference diagram id): the same id first; each other diagram of yours with the
    reference diagram it resembles most, one to one, when the resemblance means something."""
    pairs = [(did, did) for did in mine.diagrams if did in ref.diagrams]
    left = [d for d in mine.diagrams.values() if d.id not in ref.diagrams]
    right = [d for d in ref.diagrams.values() if d.id not in mine.diagrams]
    if left and right:
        affinity = [[diagram_affinity(a, b) for b in right] for a in left]
        pairs += [(left[i].id, right[j].id) for i, j in best_assignment(affinity)
                  if affinity[i][j] >= PAIRING_THRESHOLD]
    order = {did: k for k, did in enumerate(mine.diagrams)}
    return sorted(pairs, key=lambda p: order[p[0]])


def compare_diagrams(mine: Diagram, ref: Diagram) -> DiagramCheck:
    result = DiagramCheck(mine, ref)
    my_nodes = [n for n in mine.nodes.values() if n.kind != "note"]
    ref_nodes = [n for n in ref.nodes.values() if n.kind != "note"]
    result.matches = match_nodes(mine, ref)
    matched_mine = {m.mine for m in result.matches}
    matched_ref = {m.ref for m in result.matches}
    result.missing = [n.id for n in ref_nodes if n.id not in matched_ref]
    result.extra = [n.id for n in my_nodes if n.id not in matched_mine]
    result.scored_nodes = (len(my_nodes), len(ref_nodes))

    scored = lambda d: [e for e in d.edges if not _touches_note(e, d)]  # noqa: E731
    my_edges, ref_edges = scored(mine), scored(ref)
    result.scored_edges = (len(my_edges), len(ref_edges))
    to_ref = {m.mine: m.ref for m in result.matches}
    unused = list(my_edges)
    missing = []
    for r in ref_edges:
        found = next((e for e in unused if _same_edge(e, r, to_ref)), None)
        if found is None:
            missing.append(r)
        else:
            unused.remove(found)
            result.matched_edges.append((r, found))
    # A missing edge and an extra one that share an end: the same connection drawn to another place. Only an
    # edge between components both designs have counts as rewired; one to an extra component is an addition.
    for r in missing:
        partner = next((e for e in unused if e.src in to_ref and e.dst in to_ref
                        and (to_ref[e.src] == r.src or to_ref[e.dst] == r.dst)), None)
        if partner is None:
            result.missing_edges.append(r)
        else:
            unused.remove(partner)
            result.rewired.append((r, partner))
    result.extra_edges = unused
    return result


def _touches_note(e: Edge, d: Diagram) -> bool:
    return any(d.nodes[end].kind == "note" for end in (e.src, e.dst) if end in d.nodes)


def _same_edge(mine: Edge, ref: Edge, to_ref: dict[str, str]) -> bool:
    src, dst = to_ref.get(mine.src), to_ref.get(mine.dst)
    if (src, dst) == (ref.src, ref.dst):
        return True
    either_way = mine.arrow != "->" or ref.arrow != "->"
    return either_way and (dst, src) == (ref.src, ref.dst)


# --- the report ------------------------------------------------------------------------------

def _edge(e: Edge) -> str:
    return f"{e.src} {e.arrow} {e.dst}"


def _pct(x: float) -> str:
    return f"{math.floor(100 * x + 1e-9)}%"  # rounded down: only a perfect score shows 100%


def report_text(report: CheckReport) -> str:
    lines = [f"Checking {report.mine.path} against {report.ref.id} ({report.ref.title})", ""]
    for c in report.diagrams:
        (n_mine, n_ref), (e_mine, e_ref) = c.scored_nodes, c.scored_edges
        if c.identical:
            lines += [f"{c.id}: the same as the reference ({n_ref} components, {e_ref} edges): 100%", ""]
            continue
        nm, em = len(c.matches), len(c.matched_edges)
        lines += [
            f"{c.id}: {c.ref.title}" + (f" (yours: {c.mine.id})" if c.mine.id != c.ref.id else ""),
            f"  components  precision {_pct(c.node_precision)} ({nm}/{n_mine})  recall {_pct(c.node_recall)} "
            f"({nm}/{n_ref})",
            f"  edges       precision {_pct(c.edge_precision)} ({em}/{e_mine})  recall {_pct(c.edge_recall)} "
            f"({em}/{e_ref})",
            "  matched components (yours = reference):",
        ]
        width = max((len(m.mine) for m in c.matches), default=0)
        for m in c.matches:
            mine, ref = c.mine.nodes[m.mine].label, c.ref.nodes[m.ref].label
            names = repr(mine) if mine == ref else f"{mine!r} = {ref!r}"
            lines.append(f"    {m.mine:<{width}} = {m.ref}: {names}: {', '.join(m.why)}")
        if not c.matches:
            lines.append("    (none)")
        lines += _listing("missing components (in the reference, not in yours)",
                          [f"{nid}: {c.ref.nodes[nid].label!r}" for nid in c.missing])
        lines += _listing("extra components (in yours, not in the reference)",
                          [f"{nid}: {c.mine.nodes[nid].label!r}" for nid in c.extra])
        lines += _listing("missing edges (reference ids)", [_edge(e) for e in c.missing_edges])
        lines += _listing("extra edges (your ids)", [_edge(e) for e in c.extra_edges])
        lines += _listing("rewired edges (the reference's edge: yours in its place)",
                          [f"{_edge(r)}: yours has {_edge(m)}" for r, m in c.rewired])
        lines += _listing("rewired components (+ joined only in yours, - only in the reference; reference ids)",
                          [f"{mid}: " + ", ".join([f"+{g}" for g in gained] + [f"-{x}" for x in lost])
                           for mid, gained, lost in c.rewired_components()])
        lines.append("")
    if report.overlays:
        lines.append("Overlay (red dashed: missing, orange: extra): " + ", ".join(map(str, report.overlays)))
    return "\n".join(lines).rstrip("\n") + "\n"


def _listing(title: str, items: list[str]) -> list[str]:
    return [f"  {title}:", *(f"    {i}" for i in items)] if items else []


# --- the overlay picture -----------------------------------------------------------------------

MISSING_COLOR = "#D32F2F"
EXTRA_COLOR = "#E65100"
EXTRA_FILL = "#FFE0C2"  # when a theme has no orange in its palette


def overlay(c: DiagramCheck, ref_id: str, theme) -> tuple[Diagram, Overrides]:
    """Your diagram plus the reference's missing components and edges: (diagram, renderer overrides)."""
    from ..renderer.dot import Overrides

    mine, ref = c.mine, c.ref
    to_mine = c.ref_to_mine()
    taken = set(mine.nodes) | set(mine.groups)
    new_id = {}
    for rid in c.missing:
        nid = f"ref_{rid}"
        while nid in taken:
            nid += "_"
        taken.add(nid)
        new_id[rid] = nid
        to_mine[rid] = nid
    nodes = dict(mine.nodes)
    for rid in c.missing:
        nodes[new_id[rid]] = replace(ref.nodes[rid], id=new_id[rid])
    groups = dict(mine.groups)
    ref_parent = ref.parent_of()
    missing_groups = {}
    for rid in c.missing:
        # Into your group of the same id if you have one, else into a copy of the reference's group.
        gid = ref_parent.get(rid)
        if gid is None:
            continue
        if gid not in mine.groups:
            if gid not in missing_groups:
                nid = f"ref_{gid}"
                while nid in taken:
                    nid += "_"
                taken.add(nid)
                missing_groups[gid] = nid
                groups[nid] = Group(id=nid, label=ref.groups[gid].label, pos=ref.groups[gid].pos)
            gid = missing_groups[gid]
        g = groups[gid]
        groups[gid] = replace(g, nodes=(*g.nodes, Ref(new_id[rid], g.pos)))
    missing_edges = [*c.missing_edges, *(r for r, _ in c.rewired)]
    added = [replace(e, src=to_mine[e.src], dst=to_mine[e.dst], style="dashed") for e in missing_edges
             if e.src in to_mine and e.dst in to_mine]
    edges = (*mine.edges, *added)
    title = f"{mine.title}\ncompared with {ref_id}: red dashed = missing, orange = extra"
    d = replace(mine, nodes=nodes, groups=groups, edges=edges, title=title)

    extra_edges = {id(e) for e in (*c.extra_edges, *(m for _, m in c.rewired))}
    over = Overrides(
        nodes={**{nid: _outline(mine.nodes[nid].kind, theme, extra=True) for nid in c.extra},
               **{new_id[rid]: _outline(ref.nodes[rid].kind, theme, extra=False) for rid in c.missing}},
        edges={**{i: {"color": EXTRA_COLOR, "fontcolor": EXTRA_COLOR, "penwidth": "1.4"}
                  for i, e in enumerate(mine.edges) if id(e) in extra_edges},
               **{len(mine.edges) + i: {"color": MISSING_COLOR, "fontcolor": MISSING_COLOR, "penwidth": "1.4"}
                  for i in range(len(added))}},
        groups={gid: {"pencolor": MISSING_COLOR, "fontcolor": MISSING_COLOR} for gid in missing_groups.values()},
    )
    return d, over


def _outline(kind: str, theme, *, extra: bool) -> dict[str, str]:
    attrs, _, _ = theme.kind_style(kind)
    shape = str(attrs.get("shape", "box"))
    styles = {s.strip() for s in str(attrs.get("style", "")).split(",")} - {"", "filled", "dashed", "solid"}
    if shape in ("plain", "plaintext", "none"):  # pictogram kinds have no outline to colour: draw a box
        shape, styles = "box", {"rounded"}
    if extra:
        fill = str(theme.palette.get("orange", EXTRA_FILL))  # the theme's orange keeps its text readable
        return {"shape": shape, "style": ",".join(sorted(styles | {"filled"})), "color": EXTRA_COLOR,
                "fillcolor": fill, "penwidth": "1.6"}
    return {"shape": shape, "style": ",".join(sorted(styles | {"dashed"})), "color": MISSING_COLOR,
            "fontcolor": MISSING_COLOR, "penwidth": "1.6"}


def check(mine: Spec, ref: Spec, out_dir: Path | str = "output", options=None, *,
          diagrams: list[str] | None = None) -> CheckReport:
    """Compare, and draw an overlay of each diagram that differs: ``<out>/<your id>/check/<diagram>.<format>``."""
    from ..renderer import Drawing, RenderOptions, draw
    from ..renderer.dot import build_dot
    from ..themes import load_theme

    options = options or RenderOptions()
    theme = load_theme(options.theme)
    report = compare(mine, ref, diagrams)
    target = Path(out_dir) / mine.id / "check"
    drawings = []
    for c in report.diagrams:
        if c.identical:
            continue  # nothing to point at
        d, over = overlay(c, ref.id, theme)
        source = build_dot(d, theme, overrides=over)
        drawings.append(Drawing(target, c.id, source, functools.partial(str, source), f"{mine.id}/{c.id}"))
    report.overlays += draw(drawings, options, theme).files
    return report


__all__ = ["CheckReport", "DiagramCheck", "Match", "check", "compare", "compare_diagrams", "match_nodes",
           "pair_diagrams"]
