"""Where Graphviz puts things: one ``dot -Tjson`` run (``graphviz_json``), read as node and group boxes in
points (``layout``, for exports that keep the layout such as draw.io) or kept whole (``practice.frozen``,
for pictures that must not move)."""

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


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, Box]
    groups: dict[str, Box]  # by group id (the cluster name without "cluster_")


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
    data = graphviz_json(source, timeout=timeout)
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    nodes, groups = {}, {}
    for obj in data.get("objects", []):
        if "bb" in obj and obj.get("name", "").startswith("cluster_"):
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            groups[obj["name"][len("cluster_"):]] = Box((x0 + x1) / 2, height - (y0 + y1) / 2, x1 - x0, y1 - y0)
        elif "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            nodes[obj["name"]] = Box(x, height - y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    return Layout(width, height, nodes, groups)
