import contextlib
import sys

import click

from ..vocabulary import CSS_DPI
from . import complete_target, detail, say, show_problem, warn


def _pptx(ctx, param, value):
    if not value.lower().endswith(".pptx"):
        raise click.BadParameter(f"{value!r}: a deck is a .pptx file, e.g. deck.pptx")
    return value


@click.command("deck")
@click.argument("targets", nargs=-1, metavar="ID|PATH...", shell_complete=complete_target)
@click.option("--all", "deck_all", is_flag=True, help="Every bundled case study.")
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Only this diagram (repeatable), from every spec named that has it; "
                   "with no ID|PATH, from every bundled case study.")
@click.option("--out", "-o", "out", default="deck.pptx", show_default=True, callback=_pptx,
              type=click.Path(dir_okay=False), help="The .pptx file to write.")
@click.option("--theme", "-t", default="book", show_default=True,
              help="A built-in theme (book, dark, mono, whiteboard: see mlsd-diagrams themes) or a theme YAML file; "
                   "it colours the slides too.")
@click.option("--scale", type=click.FloatRange(0.1, 10), metavar="X",
              help="PNG pixels per SVG pixel of each picture's PNG (the image LibreOffice and Keynote show).  "
                   "[default: 2]")
@click.option("--dpi", type=click.FloatRange(10, 960), metavar="N", help="PNG resolution instead of --scale.")
def deck_cmd(targets, deck_all, diagram_ids, out, theme, scale, dpi):
    """A PowerPoint deck: a title slide per case study, a 16:9 slide per diagram.

    Each diagram is an SVG (which PowerPoint shows) with a PNG fallback (for
    LibreOffice, Keynote and Google Slides); its speaker notes hold the
    caption and the framework bullets of the step it illustrates. Every spec
    is checked first; the file appears whole or not at all, and the same
    input gives the same bytes. Needs python-pptx: pip install
    'mlsd-diagrams[deck]'.

    \b
    Example:
      mlsd-diagrams deck visual_search --out visual_search.pptx
      mlsd-diagrams deck --diagram system --out systems.pptx
      mlsd-diagrams deck --all --theme dark --out book.pptx
    """
    from ..catalog import bundled_ids
    from ..deck import DEFAULT_SCALE, deck, plan
    from ..spec import load_all

    if scale is not None and dpi is not None:
        raise click.UsageError("give --scale or --dpi, not both (--dpi 192 is --scale 2)")
    if deck_all or (diagram_ids and not targets):
        targets = (*targets, *bundled_ids())
    if not targets:
        raise click.UsageError("name a case study or a spec file, or pass --all or --diagram")
    specs, warnings = load_all(targets)
    for problem in warnings:
        show_problem(problem)
    show_bar = sys.stderr.isatty()  # a progress bar on a terminal only; nothing in logs and pipes
    sections, _ = plan(specs, list(diagram_ids) or None)
    with click.progressbar(length=sum(len(ds) for _, ds in sections), label="Drawing", file=sys.stderr,
                           item_show_func=lambda k: k) if show_bar else contextlib.nullcontext() as bar:
        result = deck(specs, out, diagrams=list(diagram_ids) or None, theme=theme,
                      scale=dpi / CSS_DPI if dpi is not None else scale or DEFAULT_SCALE,
                      progress=(lambda key: bar.update(1, key)) if bar else None)
    for w in result.warnings:
        warn(f"Graphviz: {w}")
    for spec_id in result.skipped:
        detail(f"{spec_id}: has none of the diagrams asked for; left out")
    click.echo(str(result.path))
    n = len(result.diagrams)
    say(f"{result.slides} slides: {n} diagram{'s' if n != 1 else ''} from "
        f"{result.slides - n} case stud{'ies' if result.slides - n != 1 else 'y'}")
