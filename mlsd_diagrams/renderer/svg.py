"""Make Graphviz's SVG travel: embed the pictograms, declare the fonts, strip anything active.

Graphviz links each image by file path, which breaks on any other machine;
we inline the bytes as data URIs. Only our own icons can appear (the theme
and spec schemas allow nothing else), and any other reference is dropped.
"""

from __future__ import annotations

import base64
import html
import re
from functools import lru_cache
from importlib import resources

_HREF = re.compile(r'xlink:href="([^"]*)"')
_FONT = re.compile(r'font-family="[^"]*"')


@lru_cache(maxsize=None)
def _data_uri(name: str) -> str | None:
    icon = resources.files("mlsd_diagrams") / "icons" / name
    if not name.endswith(".png") or "/" in name or not icon.is_file():
        return None
    return "data:image/png;base64," + base64.b64encode(icon.read_bytes()).decode("ascii")


def finish_svg(svg: str, font_family: str) -> str:
    def embed(m: re.Match) -> str:
        uri = _data_uri(m.group(1).rsplit("/", 1)[-1])
        return f'xlink:href="{uri}"' if uri else 'xlink:href=""'

    family = html.escape(font_family, quote=True)
    svg = _HREF.sub(embed, svg).replace("\\\u2060", "\\")  # see dot._no_escapes
    return _FONT.sub(lambda m: f'font-family="{family}"', svg)
