"""Finish Graphviz's SVG so it travels, and is the one picture every format is made from.

Graphviz links each image by file path, which breaks on any other machine;
we inline the pictograms as PNG data URIs (the form every SVG client
reads: browsers, PowerPoint, LibreOffice, Inkscape; nested SVG images are
not), repainted in the theme's colours. Fonts get CSS fallbacks, the size is stated exactly, an
optional slide canvas and transparency are applied, and a sketch theme
roughens the strokes. PNG and PDF are drawn from this finished SVG
(``raster``), so all three formats show the same picture.

Only our own icons can appear (the theme and spec schemas allow nothing
else); any other image reference is dropped.
"""

from __future__ import annotations

import base64
import html
import math
import os
import re
import xml.etree.ElementTree as ET
from functools import cache, lru_cache

from ..icons import ICON_DIR
from ..spec.icons import png_data_uri
from ..themes import Theme
from .options import ratio

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_S = f"{{{SVG_NS}}}"
HREF = f"{{{XLINK_NS}}}href"
ICON_PX = 128  # pictograms show at about 40 pt: 128 px is sharp on a 2x screen and stays small
PX = 0.75  # one CSS pixel in points (SVG user units here are Graphviz's points)
SLIDE_MARGIN = 0.06  # of the canvas height, on every side
_PNG_URI = re.compile(r'data:image/png;base64,[A-Za-z0-9+/=]+')


def finish_svg(svg: str, theme: Theme, *, transparent: bool = False, size: str | None = None) -> str:
    """Graphviz's SVG -> the SVG we ship: self-contained, themed, sized."""
    root = parse_graphviz_svg(svg.replace("\\\u2060", "\\"))  # see dot._no_escapes
    graph = root.find(f"{_S}g")
    x0, y0, width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split())

    title = _diagram_title(graph)
    if graph is not None and title:
        t = graph.find(f"{_S}title")
        if t is not None:
            t.text = title

    family = theme.font_fallbacks
    for el in root.iter():
        if el.get("font-family") is not None:
            _set_font(el, family)
        for attr in ("fill", "stroke"):
            if el.get(attr) == "transparent":  # CSS 3, not SVG 1.1: some importers paint it black
                el.set(attr, "none")
    if theme.symbol_font:
        _symbol_runs(root, theme.symbol_font)

    _embed_icons(root, theme)
    background = _background(graph)
    if transparent:
        _clear_background(root, graph, background)
    if theme.sketch:
        from .sketch import roughen

        roughen(root, theme.sketch)

    if size:
        x0, y0, width, height = _canvas(x0, y0, width, height, size)
    # Whole CSS pixels (0.75 pt), so a browser or a PNG has no half-covered last row or column.
    width, height = math.ceil(width / PX - 0.01) * PX, math.ceil(height / PX - 0.01) * PX
    if not transparent:
        fill = background.get("fill") if background is not None else None
        rect = ET.Element(f"{_S}rect", {"x": _n(x0), "y": _n(y0), "width": _n(width), "height": _n(height),
                                         "fill": fill or theme.background, "stroke": "none"})
        root.insert(0, rect)
    root.set("width", f"{_n(width)}pt")
    root.set("height", f"{_n(height)}pt")
    root.set("viewBox", f"{_n(x0)} {_n(y0)} {_n(width)} {_n(height)}")
    if title:
        root.set("role", "img")
        root.set("aria-label", title)
    strip_active(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _svg_text(root) + "\n"


def _svg_text(root: ET.Element) -> str:
    """Serialise with SVG as the default namespace and the ``xlink`` prefix, written out here rather than
    registered in ElementTree's process-wide namespace table (a library call changes no global state)."""
    xlink = f"{{{XLINK_NS}}}"
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith(_S):
            el.tag = el.tag[len(_S):]
        for name in [n for n in el.attrib if n.startswith(xlink)]:
            el.attrib[f"xlink:{name[len(xlink):]}"] = el.attrib.pop(name)
    root.attrib = {"xmlns": SVG_NS, "xmlns:xlink": XLINK_NS, **root.attrib}
    return ET.tostring(root, encoding="unicode")


def raster_source(svg: str, theme: Theme) -> bytes:
    """The finished SVG with vector pictograms, for drawing PNG and PDF (sharp icons at any scale)."""
    swap = {_png_uri(name, theme.icon_colors()): _svg_uri(name, theme.icon_colors()) for name in icon_names()}
    return _PNG_URI.sub(lambda m: swap.get(m.group(0), m.group(0)), svg).encode("utf-8")


def _set_font(el, family: str) -> None:
    """Graphviz writes a font name such as "Comic Neue Bold" as the family; say the weight in CSS."""
    words = el.get("font-family", "").split()
    while len(words) > 1 and words[-1].lower() in _STYLE_WORDS:
        attr, value = _STYLE_WORDS[words.pop().lower()]
        el.set(attr, value)
    el.set("font-family", family)


_STYLE_WORDS = {"bold": ("font-weight", "bold"), "italic": ("font-style", "italic"),
                "oblique": ("font-style", "italic")}


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _diagram_title(graph) -> str:
    """The diagram's title: the graph's own label, a text element directly inside the graph group."""
    if graph is None:
        return ""
    return " ".join("".join(t.itertext()) for t in graph.findall(f"{_S}text")).strip()


def _canvas(x0: float, y0: float, w: float, h: float, size: str) -> tuple[float, float, float, float]:
    """The smallest canvas of ratio ``size`` that holds the diagram with a margin on every side, centred."""
    rw, rh = ratio(size)
    r = rw / rh
    m = SLIDE_MARGIN
    canvas_h = max(h / (1 - 2 * m), w / (r - 2 * m))
    canvas_w = canvas_h * r
    return x0 - (canvas_w - w) / 2, y0 - (canvas_h - h) / 2, canvas_w, canvas_h


def _background(graph):
    """Graphviz paints the background as the graph's first polygon, with no stroke."""
    if graph is None:
        return None
    first = graph.find(f"{_S}polygon")
    return first if first is not None and first.get("stroke") in ("none", "transparent") else None


def _clear_background(root, graph, background) -> None:
    colour = (background.get("fill") or "").lower() if background is not None else ""
    if background is not None:
        graph.remove(background)
    # Group boxes filled with the page colour hide the edges behind them; on no page they become see-through.
    for cluster in root.iter(f"{_S}g"):
        if cluster.get("class") == "cluster":
            for shape in cluster:
                if shape.get("fill", "").lower() == colour:
                    shape.set("fill", "none")


# Characters most fonts have; anything else (circled step numbers, arrows, Greek) gets the symbol font.
def _needs_symbol_font(c: str) -> bool:
    o = ord(c)
    return o >= 0x0370 and not (0x2010 <= o <= 0x2027 or o == 0x20AC)


def _symbol_runs(root, font: str) -> None:
    """Wrap runs of rare characters in a tspan naming a font that has them.

    Renderers that take only the first font of a list (CairoSVG, some importers) would otherwise draw
    boxes where a hand-writing font has no glyph.
    """
    family = ", ".join(dict.fromkeys((f"'{font}'", "'DejaVu Sans'", "sans-serif")))
    for text in root.iter(f"{_S}text"):
        if len(text) or not text.text or not any(_needs_symbol_font(c) for c in text.text):
            continue
        runs, current, rare = [], "", False
        for c in text.text:
            if current and _needs_symbol_font(c) != rare:
                runs.append((rare, current))
                current = ""
            rare = _needs_symbol_font(c)
            current += c
        runs.append((rare, current))
        text.text = ""
        last = None
        for is_rare, run in runs:
            if is_rare:
                last = ET.SubElement(text, f"{_S}tspan", {"font-family": family})
                last.text = run
            elif last is None:
                text.text = run
            else:
                last.tail = run


def _embed_icons(root, theme: Theme) -> None:
    colors = theme.icon_colors()
    names = set(icon_names())
    for parent in list(root.iter()):
        for image in parent.findall(f"{_S}image"):
            href = image.get(HREF) or image.get("href") or ""
            custom = custom_icon_uri(href)
            if custom:
                image.attrib.pop("href", None)
                image.set(HREF, custom)
                continue
            name = bundled_icon_file(href)
            stem = name[:-4] if name.endswith(".png") else ""
            if stem not in names:
                parent.remove(image)  # nothing but our own pictograms may be referenced
                continue
            image.attrib.pop("href", None)
            image.set(HREF, _png_uri(stem, colors))


@lru_cache(maxsize=1)
def icon_names() -> tuple[str, ...]:
    folder = ICON_DIR
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".svg")))


@cache
def icon_svg(name: str, colors: tuple[tuple[str, str], ...] = ()) -> str:
    """A pictogram's SVG source, repainted: ``colors`` maps source colours to theme colours."""
    text = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    if colors:
        mapping = {src.lower(): dst for src, dst in colors}
        text = re.sub(r"#[0-9A-Fa-f]{6}\b", lambda m: mapping.get(m.group(0).lower(), m.group(0)), text)
    return text


@cache
def _png_uri(name: str, colors: tuple[tuple[str, str], ...]) -> str:
    if not colors:  # the shipped PNGs are these very pixels (scripts/build_icons.py)
        data = (ICON_DIR / f"{name}.png").read_bytes()
    else:
        import cairosvg

        data = cairosvg.svg2png(bytestring=icon_svg(name, colors).encode("utf-8"),
                                output_width=ICON_PX, output_height=ICON_PX)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@cache
def _svg_uri(name: str, colors: tuple[tuple[str, str], ...]) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(icon_svg(name, colors).encode("utf-8")).decode("ascii")


# Defence in depth: whatever a spec or a theme says, the SVG we ship (and draw PNG and PDF from) is inert.
# Graphviz writes active content only for attributes our DOT never sets (URL, href, target), labels reach it
# escaped, and every image is embedded above; these functions make sure of it anyway.

_IMAGE_HREF = re.compile(r'(<image\b[^>]*?\sxlink:href=")([^"]*)(")')
_ACTIVE_TAGS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "animate",
                "animateMotion", "animateTransform", "animateColor", "set", "discard", "audio", "video", "canvas"}
_SAFE_URI = re.compile(r"^(data:image/png;base64,[A-Za-z0-9+/=\s]*|#[A-Za-z0-9_.:-]*)$")
_EXTERNAL_URL = re.compile(r"url\(\s*(?!['\"]?#)|@import|javascript:|expression\(", re.IGNORECASE)


def parse_graphviz_svg(svg: str) -> ET.Element:
    """Parse Graphviz's SVG. Graphviz 2.43 writes image paths into ``xlink:href`` unescaped, so a
    folder such as ``R&D`` would break the XML; escape them first (once, whatever the version did)."""
    from ..core.errors import GraphvizError

    svg = _IMAGE_HREF.sub(lambda m: m[1] + html.escape(html.unescape(m[2]), quote=False) + m[3], svg)
    try:
        return ET.fromstring(svg)
    except ET.ParseError as e:
        raise GraphvizError(f"Graphviz wrote an SVG file that cannot be read ({e}); "
                            "it may have crashed half-way") from None


def bundled_icon_file(href: str) -> str:
    """``person.png`` for an href naming one of our pictograms (bare, or in our icon folder), else ''."""
    folder, _, name = href.rpartition("/")
    if folder and os.path.normpath(folder) != os.path.normpath(str(ICON_DIR)):
        return ""
    return name


def custom_icon_uri(href: str) -> str | None:
    """The data URI of a custom icon: an absolute path the loader checked (``spec.icons``), read again now."""
    if not os.path.isabs(href) or bundled_icon_file(href) or not href.lower().endswith(".png"):
        return None
    return png_data_uri(href)


def strip_active(root: ET.Element) -> list[str]:
    """Remove scripts, event handlers, foreign content and every reference that is not embedded data or a
    fragment of this document. Returns what was removed (empty for anything we generate)."""
    removed = []
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag in _ACTIVE_TAGS or not isinstance(child.tag, str):
                parent.remove(child)
                removed.append(f"<{tag or 'node'}>")
            elif tag == "style" and _EXTERNAL_URL.search("".join(child.itertext())):
                parent.remove(child)
                removed.append("<style> with an external reference")
    for el in root.iter():
        for name, value in list(el.attrib.items()):
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                why = "event handler"
            elif local == "href" and not _SAFE_URI.match(value.strip()):
                why = "reference"
            elif ("(" in value or ":" in value or "@" in value) and _EXTERNAL_URL.search(value):  # cheap test first
                why = "external url"
            else:
                continue
            del el.attrib[name]
            removed.append(f"{local} ({why})")
    return removed
