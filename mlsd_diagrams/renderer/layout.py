"""Where Graphviz puts things: one ``dot -Tjson`` run (``graphviz_json``), read as node and group boxes in
points (``layout``, for exports that keep the layout such as draw.io, and for measuring a picture) or kept
whole (``practice.frozen``, for pictures that must not move)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import GraphvizError
from .graphviz import run_dot


@dataclass(frozen=True)
class Box:
    x: float  # centre, points, y growing downwards (as in SVG)
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2

    def gap(self, other: Box) -> float:
        """The distance between the two boxes: 0 when they touch or overlap."""
        dx = max(0.0, other.left - self.right, self.left - other.right)
        dy = max(0.0, other.top - self.bottom, self.top - other.bottom)
        return (dx * dx + dy * dy) ** 0.5

    def straddles(self, other: Box) -> bool:
        """Part inside ``other`` and part outside: this box lies across one of ``other``'s border lines."""
        overlaps = (self.left < other.right and other.left < self.right and self.top < other.bottom
                    and other.top < self.bottom)
        inside = (other.left <= self.left and self.right <= other.right and other.top <= self.top
                  and self.bottom <= other.bottom)
        return overlaps and not inside


@dataclass(frozen=True)
class EdgeLabel:
    tail: str  # node ids as Graphviz has the edge (a way back is drawn from its target)
    head: str
    text: str
    box: Box  # around the drawn text


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, Box]
    groups: dict[str, Box]  # by group id (the cluster name without "cluster_")
    labels: tuple[EdgeLabel, ...] = ()  # every edge label where Graphviz drew it (label or xlabel)


def graphviz_json(source: str, *, timeout: float | None = None) -> dict:
    """Graphviz's own layout of DOT ``source`` (``dot -Tjson``): every object with its attributes."""
    from . import graphviz_output

    with tempfile.TemporaryDirectory(prefix="mlsd-layout-") as tmp:
        out = Path(tmp) / "layout.json"
        run_dot(source, {"json": out}, timeout=timeout)
        try:
            data = json.loads(graphviz_output(out))
        except ValueError:
            raise GraphvizError("Graphviz wrote a layout that is not valid JSON; it may have crashed") from None
    if not isinstance(data, dict) or "bb" not in data:
        raise GraphvizError("Graphviz wrote a layout without a bounding box; it may have crashed")
    return data


def layout(source: str, *, timeout: float | None = None) -> Layout:
    """Node and group boxes of DOT ``source``."""
    return read_layout(graphviz_json(source, timeout=timeout))


def read_layout(data: dict) -> Layout:
    """Node, group and edge label boxes of a layout ``graphviz_json`` returned."""
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    nodes, groups = {}, {}
    for obj in data.get("objects", []):
        if "bb" in obj and obj.get("name", "").startswith("cluster_"):
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            groups[obj["name"][len("cluster_"):]] = Box((x0 + x1) / 2, height - (y0 + y1) / 2, x1 - x0, y1 - y0)
        elif "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            nodes[obj["name"]] = Box(x, height - y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    names = {obj.get("_gvid"): obj.get("name", "") for obj in data.get("objects", [])}
    labels = []
    for edge in data.get("edges", []):
        box = _text_box(edge.get("_ldraw_", []), height)
        if box:
            labels.append(EdgeLabel(names.get(edge.get("tail"), ""), names.get(edge.get("head"), ""),
                                    "".join(op.get("text", "") for op in edge["_ldraw_"] if op.get("op") == "T"), box))
    return Layout(width, height, nodes, groups, tuple(labels))


def _text_box(ops: list[dict], height: float) -> Box | None:
    """The box around the text a Graphviz drawing draws: each run from its baseline, 0.25 of its font size
    below it to 0.9 above (descenders to accents)."""
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    size = 14.0
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y = (float(v) for v in op["pt"])
            width = float(op["width"])
            left = {"l": x, "c": x - width / 2, "r": x - width}[op.get("align", "c")]
            x0, x1 = min(x0, left), max(x1, left + width)
            y0, y1 = min(y0, height - y - 0.9 * size), max(y1, height - y + 0.25 * size)
    if x0 > x1:
        return None
    return Box((x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0)
