"""Reveal: numbered frames that build a diagram up, for slides, on one frozen layout.

``--by group``: one frame per top-level group, and per node outside every
group, in the order the diagram is laid out (its first node in the spec).
``--by step``: one frame per framework step, in framework order; a node's
step is its own ``step``, else its group's, else the earliest one among the
nodes it shares an edge or a rank hint with, else the diagram's; nodes with
none come first.

Every frame is drawn from the full diagram's one layout (``frozen``): what is
not revealed yet is invisible but still there, so every node keeps its
coordinates and the canvas its size, and slides do not jump. An edge appears
with the later of its two ends; a group box with its first node.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..spec.model import Diagram, Spec
from ..vocabulary import REVEAL_BY as BY
from ..vocabulary import STEP_TITLES, STEPS


@dataclass(frozen=True)
class Frame:
    title: str  # what this frame adds: a group label, a node label or a step title
    nodes: tuple[str, ...]  # the node ids it adds


@dataclass
class RevealResult:
    frames: dict[str, list[Frame]] = field(default_factory=dict)  # by diagram id
    files: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # frames of an earlier, longer reveal
    warnings: list[str] = field(default_factory=list)


def frames(d: Diagram, by: str = "group") -> list[Frame]:
    """The frames that build ``d`` up; each node appears in exactly one."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}; got {by!r}")
    return _by_step(d) if by == "step" else _by_group(d)


def _by_group(d: Diagram) -> list[Frame]:
    units: dict[str, list[str]] = {}
    for nid in d.nodes:  # spec order: the order the layout follows too
        units.setdefault((d.ancestors(nid) or [nid])[-1], []).append(nid)  # by outermost group
    return [Frame(d.groups[u].label if u in d.groups else d.nodes[u].label, tuple(ids)) for u, ids in units.items()]


def _by_step(d: Diagram) -> list[Frame]:
    def own(nid: str) -> str | None:
        """The node's step, or else the innermost group's around it."""
        return next((s for s in (d.nodes[nid].step, *(d.groups[g].step for g in d.ancestors(nid))) if s), None)

    # A node with no step of its own (a note beside a step, say) comes with the earliest step among the
    # nodes it is joined to by an edge or a rank hint; failing that, with the diagram's step.
    near: dict[str, set[str]] = {nid: set() for nid in d.nodes}
    for a, b in [(e.src, e.dst) for e in d.edges] + [(x.id, y.id) for row in d.rank for x in row for y in row]:
        if a in near and b in near and a != b:
            near[a].add(b)
            near[b].add(a)

    def step(nid: str) -> str | None:
        found = own(nid)
        if found:
            return found
        around = [s for s in (own(n) for n in near[nid]) if s]
        return min(around, key=STEPS.index) if around else d.step

    by_step: dict[str | None, list[str]] = {}
    for nid in d.nodes:
        by_step.setdefault(step(nid), []).append(nid)
    order = [None, *STEPS]
    return [Frame(STEP_TITLES.get(s, "Context") if s else "Context", tuple(by_step[s]))
            for s in order if s in by_step]


def reveal(spec: Spec, out_dir: Path | str = "output", options=None, *, by: str = "group",
           diagrams: list[str] | None = None) -> RevealResult:
    """Write ``<out>/<spec id>/reveal/<diagram>-<NN>.<format>``: frame 1 shows the first part, the last
    frame the whole diagram."""
    from ..renderer import Drawing, RenderOptions, draw, select
    from ..themes import load_theme
    from .frozen import freeze

    options = options or RenderOptions()
    theme = load_theme(options.theme)
    target = Path(out_dir) / spec.id / "reveal"
    result = RevealResult()
    drawings = []
    for d in select(spec, diagrams):
        steps = frames(d, by)
        result.frames[d.id] = steps
        frozen = freeze(d, theme, timeout=options.timeout)
        digits = max(2, len(str(len(steps))))
        shown: list[str] = []
        for k, frame in enumerate(steps, 1):
            shown += frame.nodes
            source = frozen.source(hide=[n for n in d.nodes if n not in shown])
            drawings.append(Drawing(target, f"{d.id}-{k:0{digits}d}", source, functools.partial(str, source),
                                    f"{spec.id}/{d.id} frame {k}"))
    drawn = draw(drawings, options, theme)
    result.files += drawn.files
    result.warnings += drawn.warnings
    for did, steps in result.frames.items():
        result.removed += _remove_stale(target, did, len(steps))
    return result


def _remove_stale(target: Path, did: str, count: int) -> list[Path]:
    """Frames numbered past ``count`` are left from an earlier reveal of a bigger diagram: a slide deck
    picking up every ``system-*.png`` would show them, so they go."""
    pattern = re.compile(rf"^{re.escape(did)}-(\d+)\.(svg|png|pdf)$")
    removed = []
    for f in sorted(target.iterdir()):
        m = pattern.match(f.name)
        if m and int(m.group(1)) > count:
            f.unlink()
            removed.append(f)
    return removed
