import click

from .options import image_options


@click.command("render")
@click.argument("targets", nargs=-1, metavar="ID|PATH...")
@click.option("--all", "render_all", is_flag=True, help="Render every bundled case study.")
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Render only this diagram (repeatable).")
@image_options
def render_cmd(targets, render_all, diagram_ids, formats, theme, out):
    """Render case studies or your own specs to SVG, PNG or PDF.

    Every spec is checked before anything is written; a bad spec writes
    nothing. Files go to OUT/<spec id>/<diagram id>.<format>.

    \b
    Example:
      mlsd-diagrams render visual_search
      mlsd-diagrams render visual_search --diagram system --format svg,png,pdf
      mlsd-diagrams render --all --out slides/
      mlsd-diagrams render my_design.yaml --theme dark
    """
    from ..catalog import bundled_ids
    from ..errors import SpecError
    from ..renderer import RenderOptions, render
    from ..spec import load_checked
    from ..themes import load_theme

    if render_all:
        targets = (*targets, *bundled_ids())
    if not targets:
        raise click.UsageError("name a case study or a spec file, or pass --all")
    if diagram_ids and len(targets) > 1:
        raise click.UsageError("--diagram needs exactly one case study")
    loaded, problems = [], []
    for target in dict.fromkeys(targets):
        try:
            spec, warnings = load_checked(target)
            loaded.append(spec)
            problems += warnings
        except SpecError as e:
            problems += e.problems
    if any(p.is_error for p in problems):
        raise SpecError(problems)
    for p in problems:
        click.echo(str(p), err=True)
    load_theme(theme)  # a bad theme fails before anything is written
    options = RenderOptions(formats=formats, theme=theme)
    for spec in loaded:
        result = render(spec, out, options, diagrams=list(diagram_ids) or None)
        for w in result.warnings:
            click.echo(f"warning: Graphviz: {w}", err=True)
        click.echo(f"{spec.id}: {len(result.files)} files in {out}/{spec.id}/")
