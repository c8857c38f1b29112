"""Options shared by the commands that write images."""

import click

FORMATS = ("svg", "png", "pdf")  # kept equal to renderer.options.FORMATS (tested); importing it would load diagrams


def _formats(ctx, param, value):
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"{', '.join(bad) or 'nothing'}: choose from {', '.join(FORMATS)} "
                                 "(comma-separated, e.g. svg,png)")
    return tuple(dict.fromkeys(formats))


def image_options(fn):
    fn = click.option("--format", "-f", "formats", default="svg,png", show_default=True, callback=_formats,
                      help="Comma-separated formats: svg, png, pdf.")(fn)
    fn = click.option("--theme", "-t", default="book", show_default=True,
                      help="A built-in theme (mlsd-diagrams themes) or a theme YAML file.")(fn)
    fn = click.option("--out", "-o", "out", default="output", show_default=True,
                      type=click.Path(file_okay=False), help="Folder to write into (files go in <out>/<spec id>/).")(fn)
    return fn
