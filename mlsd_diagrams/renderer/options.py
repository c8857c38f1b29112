"""What a render is asked to produce, as one value (it also keys the render cache)."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("svg", "png", "pdf")
DEFAULT_FORMATS = ("svg", "png")


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str = "book"  # a built-in theme name or a theme file
    timeout: float | None = None  # seconds Graphviz may take per diagram (None: MLSD_DOT_TIMEOUT or 60)

    def __post_init__(self):
        object.__setattr__(self, "formats", tuple(self.formats))
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown or not self.formats:
            raise ValueError(f"formats must be some of {', '.join(FORMATS)}; got {', '.join(self.formats) or 'none'}")
