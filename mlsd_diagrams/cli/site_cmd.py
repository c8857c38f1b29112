from pathlib import Path

import click

from . import complete_target, detail, say, show_problem, warn


@click.command("site")
@click.argument("targets", nargs=-1, metavar="[ID|PATH...]", shell_complete=complete_target)
@click.option("--out", "-o", "out", default="site", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the site into.")
@click.option("--cache", type=click.Path(file_okay=False), metavar="DIR",
              help="Where drawn pictures are kept between builds.  [default: a folder under ~/.cache]")
@click.option("--force", is_flag=True, help="Draw every picture again, even those that did not change.")
def site_cmd(targets, out, cache, force):
    """A static study website: every chapter, its seven steps and diagrams.

    With no ID|PATH, the framework and the ten case studies. Each chapter
    page has the diagrams inline, with zoom, a quiz, step reveal and "draw
    it yourself"; a search box finds components and chapters. Open
    OUT/index.html from disk or put the folder on any static host: it makes
    no network requests. Every spec is checked first; a bad one writes
    nothing. A rebuild draws only the pictures whose spec changed.

    \b
    Example:
      mlsd-diagrams site
      mlsd-diagrams site visual_search my_design.yaml --out study/
    """
    from ..catalog import bundled_ids
    from ..site import build_site
    from ..spec import load_all

    specs, warnings = load_all(targets or bundled_ids())
    for problem in warnings:
        show_problem(problem)
    result = build_site(specs, out, cache=cache, force=force)
    for w in result.warnings:
        warn(f"Graphviz: {w}")
    for path in result.removed:
        detail(f"removed {path} (no longer part of the site)")
    click.echo(str(Path(out) / "index.html"))
    drawn = f", {len(result.rendered)} pictures drawn" if result.rendered else ", every picture up to date"
    say(f"{len(specs)} chapter{'s' if len(specs) != 1 else ''}, {result.size / 1e6:.1f} MB, "
        f"{len(result.written)} file{'s' if len(result.written) != 1 else ''} changed{drawn}")
