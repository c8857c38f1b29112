import contextlib
import os
import sys
from pathlib import Path

import click

from . import complete_target, say, show_problem, warn
from .options import image_options


@click.command("render")
@click.argument("targets", nargs=-1, metavar="ID|PATH...", shell_complete=complete_target)
@click.option("--all", "render_all", is_flag=True, help="Render every bundled case study.")
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Render only this diagram (repeatable).")
@click.option("--force", is_flag=True, help="Render even diagrams whose inputs did not change.")
@image_options
def render_cmd(targets, render_all, diagram_ids, force, formats, theme, out, image):
    """Render case studies or your own specs to SVG, PNG or PDF.

    Every spec is checked before anything is written; a bad spec writes
    nothing. Files go to OUT/<spec id>/<diagram id>.<format>. Diagrams whose
    spec, theme and options did not change since the last render are skipped
    (--force renders them anyway); the rest render in parallel.

    \b
    Example:
      mlsd-diagrams render visual_search
      mlsd-diagrams render visual_search --diagram system --format svg,png,pdf
      mlsd-diagrams render --all --out slides/
      mlsd-diagrams render --all --diagram system    # every case study's system design
      mlsd-diagrams render visual_search -d system -f svg --out - > system.svg
      mlsd-diagrams render my_design.yaml --theme dark
    """
    from ..catalog import bundled_ids
    from ..renderer import RenderOptions, render_many, select
    from ..spec import load_all

    if render_all:
        targets = (*targets, *bundled_ids())
    if not targets:
        raise click.UsageError("name a case study or a spec file, or pass --all")
    specs, warnings = load_all(targets)
    for problem in warnings:
        show_problem(problem)
    if diagram_ids and len(specs) > 1:  # that diagram from every spec that has it: all the system designs, say
        jobs = [(spec, spec.diagrams[did]) for spec in specs for did in diagram_ids if did in spec.diagrams]
        if not jobs:
            raise click.UsageError(f"no spec named has a diagram {', '.join(map(repr, diagram_ids))}")
        specs = [spec for spec in specs if any(s is spec for s, _ in jobs)]
    else:
        jobs = [(spec, d) for spec in specs for d in select(spec, list(diagram_ids) or None)]
    if out == "-":
        return _to_stdout(jobs, RenderOptions(formats=formats, theme=theme, **image))
    show_bar = sys.stderr.isatty()  # a progress bar on a terminal only; nothing in logs and pipes
    with click.progressbar(length=len(jobs), label="Rendering", file=sys.stderr, item_show_func=lambda k: k) \
            if show_bar else contextlib.nullcontext() as bar:
        result = render_many(jobs, out, RenderOptions(formats=formats, theme=theme, **image), force=force,
                             progress=(lambda key: bar.update(1, key)) if bar else None)
    for w in result.warnings:
        warn(f"Graphviz: {w}")
    for spec in specs:
        n = sum(1 for s, _ in jobs if s is spec)
        unchanged = sum(1 for k in result.skipped if k.split("/")[0] == spec.id)
        note = f" ({unchanged} unchanged)" if unchanged else ""
        say(f"{spec.id}: {n} diagram{'s' if n != 1 else ''} in {Path(out) / spec.id}{os.sep}{note}")


def _to_stdout(jobs, options) -> None:
    """``--out -``: one diagram in one format, written to stdout (for docs pipelines)."""
    import tempfile

    from ..renderer import render_many

    if len(jobs) != 1 or len(options.formats) != 1:
        raise click.UsageError(f"--out - writes one file to stdout; this would write {len(jobs)} diagram"
                               f"{'s' if len(jobs) != 1 else ''} in {len(options.formats)} format"
                               f"{'s' if len(options.formats) != 1 else ''}: name one with --diagram and "
                               "--format, or give a folder")
    with tempfile.TemporaryDirectory(prefix="mlsd-stdout-") as tmp:
        (path,) = render_many(jobs, tmp, options, force=True).files
        data = path.read_bytes()
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
