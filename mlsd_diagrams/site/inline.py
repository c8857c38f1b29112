"""A finished SVG file -> an SVG element to put inline in a page.

Many drawings share one page, so every id gets the drawing's prefix; the
pictograms, the same few PNGs in every drawing, become files of the site
(``assets/icons/<hash>.png``) instead of data URIs repeated in each drawing,
which halves the site. Nodes, edges and group boxes are tagged with their
spec ids (``data-node``, ``data-edge``, ``data-group``) for the page's quiz
and step reveal, and Graphviz's per-element ``<title>`` tooltips go (they
show node ids, which would give a quiz away). The drawing gets a ``<title>``
and ``<desc>`` for screen readers.
"""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_S = f"{{{SVG_NS}}}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_PNG_URI = "data:image/png;base64,"
ICON_FOLDER = "assets/icons"
PT_TO_PX = 4 / 3


@dataclass
class Icons:
    """The pictograms found so far: file name -> PNG bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, data: bytes) -> str:
        name = hashlib.sha256(data).hexdigest()[:16] + ".png"
        self.files[name] = data
        return f"{ICON_FOLDER}/{name}"


@dataclass(frozen=True)
class Inline:
    svg: str  # the <svg> element
    width: float  # natural size in CSS pixels
    height: float


def inline_svg(text: str, *, prefix: str, title: str, desc: str, icons: Icons) -> Inline:
    root = ET.fromstring(text.encode("utf-8"))
    _, _, w_pt, h_pt = (float(v) for v in root.get("viewBox", "0 0 0 0").split())
    for name in ("width", "height", "aria-label"):
        root.attrib.pop(name, None)
    for el in root.iter():
        if el.get("id"):
            el.set("id", f"{prefix}-{el.get('id')}")
        for name, value in list(el.attrib.items()):
            if "url(#" in value:
                el.set(name, value.replace("url(#", f"url(#{prefix}-"))
        href = el.get(XLINK_HREF) or el.get("href") or ""
        if href.startswith("#"):
            el.attrib.pop(XLINK_HREF, None)
            el.set("href", f"#{prefix}-{href[1:]}")
        elif href.startswith(_PNG_URI):
            el.attrib.pop(XLINK_HREF, None)
            el.set("href", icons.add(base64.b64decode(href[len(_PNG_URI):])))
    for g in root.iter(f"{_S}g"):
        _tag(g)
    _hoist_font(root)
    title_el = ET.Element(f"{_S}title", {"id": f"{prefix}-title"})
    title_el.text = title
    desc_el = ET.Element(f"{_S}desc", {"id": f"{prefix}-desc"})
    desc_el.text = desc
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    root.set("class", "diagram")
    root.set("focusable", "false")
    for el in root.iter():  # SVG as the default namespace, without registering it process-wide
        if isinstance(el.tag, str) and el.tag.startswith(_S):
            el.tag = el.tag[len(_S):]
    root.attrib = {"xmlns": SVG_NS, **root.attrib}
    svg = ET.tostring(root, encoding="unicode")
    return Inline(svg, round(w_pt * PT_TO_PX, 2), round(h_pt * PT_TO_PX, 2))


def _hoist_font(root: ET.Element) -> None:
    """Say the font family once, on the drawing (texts inherit it), instead of on every text: a tenth of a page."""
    families = [family for el in root.iter() if (family := el.get("font-family"))]
    if not families:
        return
    common = max(sorted(set(families)), key=families.count)
    for el in root.iter():
        if el.get("font-family") == common:
            del el.attrib["font-family"]
    root.set("font-family", common)


def _tag(g: ET.Element) -> None:
    """Name a node, edge or group box by its spec id and drop its tooltip."""
    kind = g.get("class")
    title = g.find(f"{_S}title")
    if title is None:
        return
    name = title.text or ""
    g.remove(title)
    if kind == "node":
        g.set("data-node", name)
        cx, cy = _label_point(g)
        g.set("data-cx", _n(cx))
        g.set("data-cy", _n(cy))
    elif kind == "edge":
        ends = re.split(r"->|--", name, maxsplit=1)
        g.set("data-edge", " ".join(e.split(":")[0] for e in ends))
    elif kind == "cluster" and name.startswith("cluster_"):
        g.set("data-group", name[len("cluster_"):])


def _label_point(g: ET.Element) -> tuple[float, float]:
    """Where a blank goes: the middle of the node's box across, the label's baseline down."""
    xs: list[float] = []
    ys: list[float] = []
    for shape in g:
        tag = shape.tag[len(_S):] if isinstance(shape.tag, str) else ""
        if tag in ("path", "polygon", "polyline"):
            numbers = [float(v) for v in _NUMBER.findall(shape.get("d") or shape.get("points") or "")]
            xs += numbers[0::2]
            ys += numbers[1::2]
        elif tag == "ellipse":
            xs.append(float(shape.get("cx", 0)))
            ys.append(float(shape.get("cy", 0)))
        elif tag == "image":  # a pictogram with no box around it (a person, a model)
            x0, y0 = float(shape.get("x", 0)), float(shape.get("y", 0))
            w, h = (float(shape.get(k, "0").removesuffix("px")) for k in ("width", "height"))
            xs += [x0, x0 + w]
            ys += [y0, y0 + h]
        if xs:
            break
    texts = [float(t.get("y", 0)) for t in g.iter(f"{_S}text")]
    if not xs:  # plain text, no box: its extent, estimated from the characters (DejaVu Sans averages 0.55 em)
        for t in g.iter(f"{_S}text"):
            x0, width = float(t.get("x", 0)), len("".join(t.itertext())) * float(t.get("font-size", 12)) * 0.55
            anchor = t.get("text-anchor", "start")
            left = x0 - width / 2 if anchor == "middle" else x0 - width if anchor == "end" else x0
            xs += [left, left + width]
    x = (min(xs) + max(xs)) / 2 if xs else 0.0
    y = sum(texts) / len(texts) if texts else (min(ys) + max(ys)) / 2 if ys else 0.0
    return x, y


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")
