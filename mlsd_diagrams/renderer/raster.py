"""PNG and PDF drawn from the finished SVG with CairoSVG.

Why not Graphviz's own PNG and PDF: they cannot show what the SVG finishing
adds (repainted pictograms, slide canvas, transparency, hand-drawn strokes),
and Graphviz's ``dpi`` attribute, the only way to sharpen its PNG, also
rescales the SVG of the same run (Graphviz 2.43 writes a viewBox that no
longer holds the drawing). Drawing both from the one SVG keeps a single
layout per diagram and makes every format show the same picture.
"""

from __future__ import annotations

import io
import math
import os
import re
import time

import cairocffi
import cairosvg
from cairosvg.surface import PDFSurface

from ..core.errors import UsageError
from ..vocabulary import CSS_DPI
from .fallback import with_font_fallback
from .pngmeta import with_resolution

MAX_SIDE = 32767  # cairo's limit for an image surface
MAX_PIXELS = 150_000_000  # about 600 MB while drawing
_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sheight="([\d.]+)pt"')


def svg_to_png(svg: bytes, scale: float = 1.0) -> bytes:
    """Draw ``svg`` at ``scale`` (1 = 96 dpi) and record the resolution, so slide and word processors
    place a scale-2 image at the same size as a scale-1 one, only sharper."""
    m = _SIZE.search(svg[:2000])
    if m:
        w, h = (math.ceil(float(v) * CSS_DPI / 72 * scale) for v in m.groups())
        if max(w, h) > MAX_SIDE or w * h > MAX_PIXELS:
            raise UsageError(f"the PNG would be {w:,} x {h:,} pixels, too large to draw; lower --scale or --dpi")
    png = cairosvg.svg2png(bytestring=with_font_fallback(svg), scale=scale, dpi=CSS_DPI)
    return with_resolution(png, CSS_DPI * scale)


def svg_to_pdf(svg: bytes, title: str = "") -> bytes:
    """One page the size of the drawing; text stays text and shapes stay vectors. ``title`` goes into the
    document's metadata, where viewers and search show it."""

    class Titled(_FixedDatePDF):
        def _create_surface(self, width, height):
            surface, width, height = super()._create_surface(width, height)
            if title:
                surface.set_metadata(cairocffi.PDF_METADATA_TITLE, title)
            return surface, width, height

    out = io.BytesIO()
    Titled.convert(bytestring=with_font_fallback(svg), write_to=out, dpi=CSS_DPI)
    return out.getvalue()


def _pdf_date() -> str:
    # Same spec, same bytes: the date comes from SOURCE_DATE_EPOCH (reproducible builds), else 1970.
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        epoch = 0
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class _FixedDatePDF(PDFSurface):
    def _create_surface(self, width, height):
        surface, width, height = super()._create_surface(width, height)
        date = _pdf_date()
        surface.set_metadata(cairocffi.PDF_METADATA_CREATE_DATE, date)
        surface.set_metadata(cairocffi.PDF_METADATA_MOD_DATE, date)
        surface.set_metadata(cairocffi.PDF_METADATA_CREATOR, "mlsd-diagrams")
        return surface, width, height
