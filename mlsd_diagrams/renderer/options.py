"""What a render is asked to produce, as one value (it also keys the render cache)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import DEFAULT_FORMATS, SIZE_RATIO
from ..vocabulary import IMAGE_FORMATS as FORMATS

MAX_SCALE = 10.0
SIZE_PRESETS = ("16:9", "4:3")
_RATIO = re.compile(SIZE_RATIO)


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str = "book"  # a built-in theme name or a theme file
    timeout: float | None = None  # seconds Graphviz may take per diagram (None: MLSD_DOT_TIMEOUT or 60)
    scale: float = 1.0  # PNG pixels per SVG pixel; the PNG records 96 * scale dpi
    transparent: bool = False  # no background in any format
    size: str | None = None  # "W:H" (e.g. 16:9): centre the diagram on a canvas of that ratio, with margins

    def __post_init__(self):
        object.__setattr__(self, "formats", tuple(self.formats))
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise ValueError(f"formats must be some of {', '.join(FORMATS)}; got {', '.join(self.formats) or 'none'}")
        if isinstance(self.scale, bool) or not isinstance(self.scale, (int, float)) \
                or not 0.1 <= self.scale <= MAX_SCALE:
            raise ValueError(f"scale must be a number from 0.1 to {MAX_SCALE:g}; got {self.scale!r}")
        object.__setattr__(self, "scale", float(self.scale))
        object.__setattr__(self, "transparent", bool(self.transparent))
        if self.size is not None:
            ratio(self.size)  # raises ValueError on a bad value


def ratio(size: str) -> tuple[int, int]:
    """``"16:9"`` -> (16, 9); anything else raises ValueError."""
    m = _RATIO.match(str(size).strip())
    if not m:
        raise ValueError(f"size must be a ratio W:H such as {' or '.join(SIZE_PRESETS)}; got {size!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not 1 / 4 <= w / h <= 4:
        raise ValueError(f"size {size!r} is too narrow or too wide; use a ratio between 1:4 and 4:1")
    return w, h
