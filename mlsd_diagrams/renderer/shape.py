"""How a diagram sits on a page or a slide: its proportions, the size its smallest text comes out at when
the picture is fitted to a 1600 x 900 slide, and its longest edge. ``validate --layout`` reports it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..spec.model import Diagram
from ..themes import Theme
from ..vocabulary import CSS_DPI

MIN_ASPECT, MAX_ASPECT = 0.5, 3.0  # width : height, from 1:2 (tall) to 3:1 (wide)
SLIDE = (1600, 900)  # pixels
MIN_SLIDE_TEXT = 9.0  # pixels: the smallest text must stay readable on the slide
PX_PER_PT = CSS_DPI / 72


@dataclass(frozen=True)
class PageShape:
    diagram: str
    width: float  # points, the whole canvas (title and padding included)
    height: float
    smallest_font: float  # points
    longest_edge: float  # points, straight from one end's centre to the other's
    labels_on_borders: tuple[str, ...] = ()  # "'label' on group 'id'": edge labels drawn across a group's border

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else math.inf

    @property
    def slide_text(self) -> float:
        """Pixels high of the smallest text when the picture is fitted to the slide (scaled up or down)."""
        scale = min(SLIDE[0] / (self.width * PX_PER_PT), SLIDE[1] / (self.height * PX_PER_PT))
        return self.smallest_font * PX_PER_PT * scale

    def problems(self) -> list[str]:
        out = []
        if self.aspect > MAX_ASPECT:
            out.append(f"{self.aspect:.2f}:1 is wider than {MAX_ASPECT:g}:1; fitted to a page its text shrinks "
                       "(stack the pipelines, or set direction: TB)")
        if self.aspect < MIN_ASPECT:
            out.append(f"1:{1 / self.aspect:.2f} is taller than 1:{1 / MIN_ASPECT:g} (set direction: LR, or "
                       "split the diagram)")
        if self.slide_text < MIN_SLIDE_TEXT:
            out.append(f"its smallest text is {self.slide_text:.1f} px on a {SLIDE[0]}x{SLIDE[1]} slide, under "
                       f"{MIN_SLIDE_TEXT:g} px (split the diagram)")
        out += [f"edge label {where}: Graphviz leaves labels out of a group's box (a rank hint that moves the edge "
                "away from the group's side helps)" for where in self.labels_on_borders]
        return out

    def line(self) -> str:
        w, h = round(self.width * PX_PER_PT), round(self.height * PX_PER_PT)
        return (f"{self.diagram}: {self.aspect:.2f}:1, {w}x{h} px; smallest text {self.smallest_font:g} pt, "
                f"{self.slide_text:.1f} px on a slide; longest edge {round(self.longest_edge * PX_PER_PT)} px")


def measure(d: Diagram, theme: Theme, *, timeout: float | None = None) -> PageShape:
    """Lay the diagram out (one ``dot -Tjson`` run) and measure it."""
    from .dot import build_dot
    from .layout import graphviz_json, read_layout

    data = graphviz_json(build_dot(d, theme), timeout=timeout)
    drawn = read_layout(data)
    on_borders = tuple(f"{label.text!r} on the border of group {gid!r}" for label in drawn.labels
                       for gid, group in drawn.groups.items() if label.box.straddles(group))
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    pad = 2 * 72 * _number(theme.graph.get("pad"), 0.0)
    centres = {}
    for obj in data.get("objects", []):
        if "pos" in obj and not obj.get("name", "").startswith("cluster_"):
            x, y = (float(v) for v in obj["pos"].split(",")[:2])
            centres[obj["name"]] = (x, y)
    longest = max((math.dist(centres[e.src], centres[e.dst]) for e in d.edges
                   if e.src in centres and e.dst in centres), default=0.0)
    return PageShape(d.id, x1 - x0 + pad, y1 - y0 + pad, _smallest_font(d, theme), longest, on_borders)


def _smallest_font(d: Diagram, theme: Theme) -> float:
    default = _number(theme.node.get("fontsize"), 14.0)
    sizes = [_number(theme.kind_style(n.kind, n.color)[0].get("fontsize"), default) for n in d.nodes.values()]
    if any(e.text for e in d.edges):
        sizes.append(_number(theme.edge.get("fontsize"), default))
    if d.groups:
        sizes.append(_number(theme.cluster.get("fontsize"), default))
    return min(sizes, default=default)


def _number(value: object, fallback: float) -> float:
    try:
        return float(str(value).split(",")[0]) if value is not None else fallback
    except ValueError:
        return fallback


CANDIDATES = ("LR", "TB")
# each trial is a whole layout: past this many nodes (far beyond a whiteboard) a layout takes seconds, and
# three of them would triple a render, so such a diagram reads left to right unless its spec says otherwise
TRIAL_LIMIT = 150
SAME_TEXT = 0.05  # text sizes on a slide this close (5 %) read the same; the shorter longest edge decides
_chosen: dict[str, str] = {}  # the choice per diagram and theme, made once a process (two layouts each)


def best_direction(d: Diagram, theme: Theme) -> str:
    """For a diagram whose spec names no direction: lay it out left to right and top to bottom, and keep the
    one that fits a page best: its proportions within bounds, then the larger text on a slide, where text
    within ``SAME_TEXT`` of the largest counts as the same size and the shorter longest edge decides.
    Deterministic: the same diagram always gets the same answer. Past ``TRIAL_LIMIT`` nodes, left to right."""
    from dataclasses import replace

    from .cache import fingerprint

    if len(d.nodes) > TRIAL_LIMIT:
        return CANDIDATES[0]
    key = fingerprint(d, theme)
    if key not in _chosen:
        shapes = [measure(replace(d, direction=c), theme) for c in CANDIDATES]
        fit = min(round(_outside(s.aspect), 3) for s in shapes)
        fitting = [k for k, s in enumerate(shapes) if round(_outside(s.aspect), 3) == fit]
        largest = max(shapes[k].slide_text for k in fitting)
        readable = [k for k in fitting if shapes[k].slide_text >= largest * (1 - SAME_TEXT)]
        best = min(readable, key=lambda k: (round(shapes[k].longest_edge), k))
        _chosen[key] = CANDIDATES[best]
    return _chosen[key]


def _outside(aspect: float) -> float:
    """How far proportions lie outside the bounds (0 inside), on a log scale so tall and wide weigh alike."""
    return max(0.0, math.log(aspect / MAX_ASPECT), math.log(MIN_ASPECT / aspect))
