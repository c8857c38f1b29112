"""Per-character font fallback for the PNG and PDF that CairoSVG draws.

Graphviz lays text out with Pango, which takes each character the label's font
lacks (Japanese, Chinese, Korean, Devanagari, ...) from the next font
fontconfig offers; so do browsers showing the SVG. CairoSVG draws a text
element in its one font, and such characters come out as empty boxes. So
before CairoSVG sees the SVG, each text element whose font lacks some of its
characters is split into runs, each run in the first font of fontconfig's
fallback list for the label's font that has its characters, placed one after
the other where CairoSVG itself would put them (measured with the same cairo
font). Text the font covers, which is nearly all, is left as it is.
"""

from __future__ import annotations

import bisect
import html
import re
import shutil
import subprocess
import threading
from functools import cache

_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
_ATTR = re.compile(r'\s([\w:-]+)="([^"]*)"')
_PLACEMENT = ("x", "text-anchor", "font-family")
_MEASURING = threading.Lock()


def with_font_fallback(svg: bytes) -> bytes:
    """``svg`` with every character drawn in a font that has it, as far as the fonts installed allow."""
    if svg.isascii():
        return svg
    text = svg.decode("utf-8")
    return _TEXT.sub(_split, text).encode("utf-8")


def _split(m: re.Match) -> str:
    attrs = dict(_ATTR.findall(m.group(1)))
    content = html.unescape(m.group(2))
    if content.isascii():
        return m.group(0)
    family = attrs.get("font-family", "sans-serif").split(",")[0].strip("'\" ")
    runs = _runs(content, family)
    if len(runs) == 1 and runs[0][1] == family:
        return m.group(0)
    weight, slant = attrs.get("font-weight", ""), attrs.get("font-style", "")
    size = float(attrs.get("font-size", "12") or 12)
    widths = [_advance(run, font, size, weight, slant) for run, font in runs]
    x = float(attrs.get("x", "0") or 0)
    anchor = attrs.get("text-anchor", "start")
    x -= sum(widths) / 2 if anchor == "middle" else sum(widths) if anchor == "end" else 0
    kept = "".join(f' {k}="{v}"' for k, v in attrs.items() if k not in _PLACEMENT)
    parts = []
    for (run, font), width in zip(runs, widths, strict=True):
        parts.append(f'<text text-anchor="start" x="{x:.2f}" font-family="{html.escape(font)}"{kept}>'
                     f"{html.escape(run, quote=False)}</text>")
        x += width
    return "".join(parts)


def _runs(text: str, family: str) -> list[tuple[str, str]]:
    """``text`` cut into (run, font) with each character in the first font of the fallback list having it."""
    chain = _fallbacks(family)
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = next((f for f, ranges in chain if ch.isspace() or _covers(ranges, ord(ch))), family)
        if runs and (runs[-1][1] == font or ch.isspace()):
            runs[-1] = (runs[-1][0] + ch, runs[-1][1])
        else:
            runs.append((ch, font))
    return runs


def _covers(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    i = bisect.bisect_right(ranges, (code, 0x10FFFF + 1)) - 1
    return i >= 0 and ranges[i][0] <= code <= ranges[i][1]


@cache
def _fallbacks(family: str) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """fontconfig's fallback list for ``family``, first the font it gives for the family itself: (family,
    the code point ranges it has). Empty without fontconfig's ``fc-match``: then nothing is split."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return ()
    try:
        out = subprocess.run([fc_match, "-s", "--format=%{family[0]}\t%{charset}\n", family],
                             capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    chain = []
    for line in out.splitlines():
        name, _, charset = line.partition("\t")
        ranges = []
        for item in charset.split():
            lo, _, hi = item.partition("-")
            try:
                ranges.append((int(lo, 16), int(hi or lo, 16)))
            except ValueError:
                continue
        if name and ranges:
            chain.append((name, tuple(sorted(ranges))))
    return tuple(chain)


def _advance(text: str, font: str, size: float, weight: str, slant: str) -> float:
    """How far CairoSVG moves along the line drawing ``text`` in ``font``: the same cairo call it makes."""
    import cairocffi as cairo

    with _MEASURING:  # one cairo context, and renders run in threads
        context = _context()
        context.select_font_face(font, cairo.FONT_SLANT_ITALIC if slant == "italic" else cairo.FONT_SLANT_NORMAL,
                                 cairo.FONT_WEIGHT_BOLD if weight == "bold" or (weight.isdigit() and int(weight) >= 550)
                                 else cairo.FONT_WEIGHT_NORMAL)
        context.set_font_size(size)
        return float(context.text_extents(text)[4])


@cache
def _context():
    import cairocffi as cairo

    return cairo.Context(cairo.ImageSurface(cairo.FORMAT_ARGB32, 1, 1))
