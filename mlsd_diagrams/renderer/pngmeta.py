"""Record a PNG's resolution, so slide and word processors place it at its intended size.

Without a pHYs chunk, PowerPoint assumes 96 dpi and Keynote 72: the same image
lands at different sizes. Pure Python, so the fast PNG path imports no cairo.
"""

from __future__ import annotations

import struct
import zlib


def with_resolution(png: bytes, dpi: float) -> bytes:
    """Insert a pHYs chunk (pixels per metre) right after IHDR; neither cairo nor Graphviz writes one."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return png
    ihdr_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    return png[:ihdr_end] + chunk + png[ihdr_end:]
