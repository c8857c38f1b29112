"""Finishing touches on PNG bytes: the resolution, and an opaque page for Graphviz's own PNG.

Without a pHYs chunk, PowerPoint assumes 96 dpi and Keynote 72: the same image
lands at different sizes. Pure Python, so the fast PNG path imports no cairo.
"""

from __future__ import annotations

import io
import struct
import zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGBA = 6  # IHDR colour type: truecolour with alpha


def with_resolution(png: bytes, dpi: float) -> bytes:
    """Insert a pHYs chunk (pixels per metre) right after IHDR; neither cairo nor Graphviz writes one."""
    if png[:8] != _SIGNATURE or png[12:16] != b"IHDR":
        return png
    ihdr_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def opaque_page(png: bytes) -> bytes:
    """Graphviz's own PNG of an opaque page, made fully opaque (RGB).

    Graphviz clips its cairo drawing to the page, whose size in pixels is rarely whole: the last column
    and row are then partly covered, and cairo writes an RGBA file whose edge is see-through (alpha 114
    or 170 over the background colour). Those edge pixels already hold the background's colour
    (PNG stores colour unpremultiplied), so dropping the alpha channel gives exactly the page the SVG
    shows. cairo writes RGB when every pixel is opaque; then there is nothing to do and nothing decoded.
    """
    if png[:8] != _SIGNATURE or png[12:16] != b"IHDR" or png[25] != _RGBA:
        return png
    from PIL import Image  # CairoSVG's own dependency; loaded only for the files that need it

    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.convert("RGB").save(out, "PNG")
    return out.getvalue()
