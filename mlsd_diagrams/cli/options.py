"""Options shared by the commands that write images.

``image_options`` gives a command ``formats``, ``theme`` and ``out``, and one
``image`` mapping with the remaining ``RenderOptions`` fields (scale,
transparent, size), so a command passes ``RenderOptions(formats=formats,
theme=theme, **image)`` and new image options reach it without changing it.
"""

import functools
import re

import click

from ..vocabulary import CSS_DPI, SIZE_RATIO
from ..vocabulary import IMAGE_FORMATS as FORMATS

_RATIO = re.compile(SIZE_RATIO)


def _formats(ctx, param, value):
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"{', '.join(bad) or 'nothing'}: choose from {', '.join(FORMATS)} "
                                 "(comma-separated, e.g. svg,png)")
    return tuple(dict.fromkeys(formats))


def _size(ctx, param, value):
    if value is None:
        return None
    m = _RATIO.match(value.strip())
    if not m or not 0.25 <= int(m.group(1)) / int(m.group(2)) <= 4:
        raise click.BadParameter(f"{value!r}: give a width:height ratio between 1:4 and 4:1, e.g. 16:9 or 4:3")
    return f"{int(m.group(1))}:{int(m.group(2))}"


def image_options(fn):
    @functools.wraps(fn)
    def command(*args, scale, dpi, transparent, size, **kwargs):
        if scale is not None and dpi is not None:
            raise click.UsageError("give --scale or --dpi, not both (--dpi 192 is --scale 2)")
        factor = dpi / CSS_DPI if dpi is not None else (scale if scale is not None else 1.0)
        return fn(*args, image={"scale": factor, "transparent": transparent, "size": size}, **kwargs)

    options = [
        click.option("--format", "-f", "formats", default="svg,png", show_default=True, callback=_formats,
                     help="Comma-separated formats: svg, png, pdf."),
        click.option("--theme", "-t", default="book", show_default=True,
                     help="A built-in theme (book, dark, mono, whiteboard: see mlsd-diagrams themes) "
                          "or a theme YAML file."),
        click.option("--out", "-o", "out", default="output", show_default=True, type=click.Path(file_okay=False),
                     help="Folder to write into (files go in <out>/<spec id>/)."),
        click.option("--size", callback=_size, metavar="W:H",
                     help="Centre the diagram on a canvas of this ratio, with margins, to drop onto a slide "
                          "uncropped: 16:9 or 4:3."),
        click.option("--scale", type=click.FloatRange(0.1, 10), metavar="X",
                     help="PNG pixels per SVG pixel: 2 for sharp slides, 3 for print.  [default: 1]"),
        click.option("--dpi", type=click.FloatRange(10, 960), metavar="N",
                     help="PNG resolution instead of --scale (96 dpi = scale 1); recorded in the PNG."),
        click.option("--transparent", is_flag=True,
                     help="No background (PNG alpha; SVG and PDF without a page colour)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command
