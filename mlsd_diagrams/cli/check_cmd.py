import click

from . import complete_target, show_problem
from .options import image_options


@click.command("check")
@click.argument("target", metavar="MY.yaml", shell_complete=complete_target)
@click.option("--against", "-a", "reference", required=True, metavar="ID|PATH", shell_complete=complete_target,
              help="The reference design: a case study id or a spec file.")
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Compare only this diagram (repeatable); default: every diagram id the two share.")
@image_options
def check_cmd(target, reference, diagram_ids, formats, theme, out, image):
    """Compare your design with the reference and score it.

    Components match by id, then by similar labels; the report lists each
    match, the missing, extra and rewired components and edges, and
    precision and recall. An overlay diagram (missing: red dashed, extra:
    orange) goes to OUT/<your spec id>/check/. Exits 0 whatever the score;
    1 only if a spec has errors.

    \b
    Example:
      mlsd-diagrams check my_search.yaml --against visual_search
      mlsd-diagrams check my_search.yaml --against visual_search --diagram system --format png
    """
    from ..practice.check import check
    from ..renderer import RenderOptions
    from ..spec import load_all

    specs, warnings = load_all([target, reference])
    for problem in warnings:
        show_problem(problem)
    mine, ref = specs if len(specs) == 2 else specs * 2
    report = check(mine, ref, out, RenderOptions(formats=formats, theme=theme, **image),
                   diagrams=list(diagram_ids) or None)
    click.echo(report.text(), nl=False)
