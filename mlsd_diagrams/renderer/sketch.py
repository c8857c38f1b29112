"""Hand-drawn strokes for the whiteboard theme: outlines that wobble like a marker.

Works on the finished SVG, so the SVG, PNG and PDF all show the same
strokes. Every outlined shape is split in two: its fill keeps the exact
shape (text stays inside its box), and its outline is redrawn as cubic
curves whose straight runs bow a little, whose corners move a little and
whose closing stroke overshoots the start, as a pen does. Edge curves keep
their ends (so arrows still touch their boxes) and wobble in between.
Arrowheads and text are left alone.

The wobble is pseudo-random but seeded by each shape's own coordinates, so
the same diagram always gets the same strokes (same spec, same bytes).
"""

from __future__ import annotations

import itertools
import math
import random
import re
import xml.etree.ElementTree as ET
import zlib

_S = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[MCLZmclz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SHAPES = {f"{_S}path", f"{_S}polygon", f"{_S}polyline", f"{_S}ellipse"}
_KAPPA = 0.5522847498

Point = tuple[float, float]
Segment = tuple[Point, Point, Point]  # control 1, control 2, end (a cubic from the previous end)


def roughen(root: ET.Element, roughness: float) -> None:
    """Redraw the outlines of every shape under ``root`` (in place)."""
    for parent in list(root.iter()):
        edge = parent.get("class") == "edge"
        for index in range(len(parent) - 1, -1, -1):
            el = parent[index]
            if el.tag not in _SHAPES or _no_paint(el.get("stroke")):
                continue
            if edge and el.tag != f"{_S}path":
                continue  # arrowheads: a wobble would blunt them
            subpaths = _geometry(el)
            if not subpaths:
                continue
            rng = random.Random(zlib.crc32(repr(subpaths).encode()) ^ round(roughness * 1000))
            d = " ".join(_rough(start, segs, closed, roughness, rng, keep_ends=edge)
                         for start, segs, closed in subpaths)
            stroke = ET.Element(f"{_S}path", {
                "fill": "none", "stroke": el.get("stroke", "none"), "stroke-width": el.get("stroke-width", "1"),
                "stroke-linecap": "round", "stroke-linejoin": "round", "d": d})
            if dash := el.get("stroke-dasharray"):
                stroke.set("stroke-dasharray", dash)
            if _no_paint(el.get("fill")):
                parent[index] = stroke
            else:
                el.set("stroke", "none")
                for attr in ("stroke-width", "stroke-dasharray"):
                    el.attrib.pop(attr, None)
                parent.insert(index + 1, stroke)


def _no_paint(value: str | None) -> bool:
    return value is None or value in ("none", "transparent")


def _geometry(el: ET.Element) -> list[tuple[Point, list[Segment], bool]]:
    """The element as subpaths of cubic segments: (start, segments, closed)."""
    tag = el.tag[len(_S):]
    if tag in ("polygon", "polyline"):
        nums = [float(v) for v in re.split(r"[\s,]+", el.get("points", "").strip()) if v]
        pts = list(zip(nums[0::2], nums[1::2], strict=False))
        closed = tag == "polygon"
        if closed and len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]
        if len(pts) < 2:
            return []
        ring = pts + [pts[0]] if closed else pts
        return [(ring[0], [_line(a, b) for a, b in itertools.pairwise(ring)], closed)]
    if tag == "ellipse":
        cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
        rx, ry = float(el.get("rx", 0)), float(el.get("ry", 0))
        if rx <= 0 or ry <= 0:
            return []
        kx, ky = rx * _KAPPA, ry * _KAPPA
        start = (cx + rx, cy)
        segs = [((cx + rx, cy + ky), (cx + kx, cy + ry), (cx, cy + ry)),
                ((cx - kx, cy + ry), (cx - rx, cy + ky), (cx - rx, cy)),
                ((cx - rx, cy - ky), (cx - kx, cy - ry), (cx, cy - ry)),
                ((cx + kx, cy - ry), (cx + rx, cy - ky), (cx + rx, cy))]
        return [(start, segs, True)]
    return _parse_path(el.get("d", ""))


def _parse_path(d: str) -> list[tuple[Point, list[Segment], bool]]:
    tokens = _TOKEN.findall(d)
    out: list[tuple[Point, list[Segment], bool]] = []
    i, cmd = 0, ""
    start: Point | None = None
    cur: Point = (0.0, 0.0)  # a path starts with M, which sets it
    segs: list[Segment] = []

    def number():
        nonlocal i
        v = float(tokens[i])
        i += 1
        return v

    try:
        while i < len(tokens):
            if tokens[i].isalpha():
                cmd = tokens[i]
                i += 1
                if cmd in "Zz":
                    if start is not None:
                        if cur != start:
                            segs.append(_line(cur, start))
                        out.append((start, segs, True))
                        cur, start, segs = start, None, []
                    continue
            if cmd == "M":
                if start is not None and segs:
                    out.append((start, segs, False))
                start = cur = (number(), number())
                segs = []
                cmd = "L"  # further pairs after M are lines
            elif cmd == "L":
                p = (number(), number())
                segs.append(_line(cur, p))
                cur = p
            elif cmd == "C":
                c1 = (number(), number())
                c2 = (number(), number())
                p = (number(), number())
                segs.append((c1, c2, p))
                cur = p
            else:
                return []  # relative or arc commands: Graphviz never writes them; leave such a shape as it is
    except (IndexError, ValueError, TypeError):
        return []
    if start is not None and segs:
        closed = segs[-1][2] == start
        out.append((start, segs, closed))
    return out


def _line(a: Point, b: Point) -> Segment:
    return ((a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3),
            (a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3), b)


def _rough(start: Point, segs: list[Segment], closed: bool, r: float, rng: random.Random, *, keep_ends: bool) -> str:
    jitter = 0.7 * r

    def moved(p: Point, amount: float) -> Point:
        return (p[0] + rng.uniform(-amount, amount), p[1] + rng.uniform(-amount, amount))

    # Move each corner once, so neighbouring segments still meet.
    ends = [start] + [s[2] for s in segs]
    if keep_ends:
        ends = [ends[0]] + [moved(p, jitter * 0.5) for p in ends[1:-1]] + [ends[-1]]
    else:
        ends = [moved(p, jitter) for p in ends]
        if closed:
            ends[-1] = ends[0]
    out = [f"M{_p(ends[0])}"]
    for k, (c1, c2, _) in enumerate(segs):
        a, b = ends[k], ends[k + 1]
        src_a, src_b = (start if k == 0 else segs[k - 1][2]), segs[k][2]
        # keep the curve's own shape, following its moved ends
        c1 = (c1[0] + a[0] - src_a[0], c1[1] + a[1] - src_a[1])
        c2 = (c2[0] + b[0] - src_b[0], c2[1] + b[1] - src_b[1])
        length = math.dist(a, b)
        if length > 4:
            nx, ny = (b[1] - a[1]) / length, -(b[0] - a[0]) / length
            bow = r * min(2.4, 0.45 + 0.012 * length) * rng.uniform(-1, 1)
            wave = bow * rng.uniform(0.3, 1.0)
            c1 = (c1[0] + nx * bow, c1[1] + ny * bow)
            c2 = (c2[0] + nx * wave, c2[1] + ny * wave)
        out.append(f"C{_p(c1)} {_p(c2)} {_p(b)}")
    if closed and segs:
        # the pen runs on a little past where it started
        a, b = ends[0], ends[1] if len(ends) > 1 else ends[0]
        length = math.dist(a, b)
        if length > 1:
            run = min(length * 0.25, 5 * r) * rng.uniform(0.5, 1.0)
            t = (b[0] - a[0]) / length, (b[1] - a[1]) / length
            drift = rng.uniform(-0.6, 0.6) * r
            out.append(f"L{_p((a[0] + t[0] * run - t[1] * drift, a[1] + t[1] * run + t[0] * drift))}")
    return "".join(out)


def _p(p: Point) -> str:
    return f"{p[0]:.2f},{p[1]:.2f}"
