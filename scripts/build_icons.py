"""Rasterise the hand-drawn pictogram icons to PNG.

Every ``mlsd_diagrams/icons/*.svg`` is converted to a 128x128 PNG written
beside it (``person.svg`` -> ``person.png``).

Why the PNGs are committed: Graphviz as packaged on Debian cannot load SVG
images into PNG output (its cairo/rsvg image loader is not built in), so
nodes that reference an ``.svg`` icon come out blank. The renderer therefore
needs PNG icons, and shipping them avoids a cairosvg/cairo dependency at
run time. Re-run this script after editing any SVG; the output is
deterministic, so unchanged icons give byte-identical PNGs.

Usage::

    python scripts/build_icons.py
"""

from pathlib import Path

import cairosvg

SIZE = 128
REPO_ROOT = Path(__file__).resolve().parent.parent
ICONS_DIR = REPO_ROOT / "mlsd_diagrams" / "icons"


def build(icons_dir: Path = ICONS_DIR) -> list[Path]:
    """Convert each SVG in ``icons_dir`` to a PNG beside it; return the PNGs."""
    written = []
    for svg in sorted(icons_dir.glob("*.svg")):
        png = svg.with_suffix(".png")
        cairosvg.svg2png(
            url=str(svg),
            write_to=str(png),
            output_width=SIZE,
            output_height=SIZE,
        )
        written.append(png)
    return written


def main() -> None:
    pngs = build()
    for png in pngs:
        print(png.relative_to(REPO_ROOT))
    print(f"{len(pngs)} icon(s) written")


if __name__ == "__main__":
    main()
