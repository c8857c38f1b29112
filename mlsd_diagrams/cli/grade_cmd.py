import click

from . import complete_target, show_problem


@click.command("grade")
@click.argument("target", metavar="MY.yaml", shell_complete=complete_target)
@click.option("--against", "-a", "reference", required=True, metavar="ID|PATH", shell_complete=complete_target,
              help="The reference design: a case study id or a spec file.")
@click.option("--format", "-f", "fmt", type=click.Choice(("text", "md", "html")), default="text",
              show_default=True, help="text for a terminal, md (Markdown) or html (one page).")
def grade_cmd(target, reference, fmt):
    """Grade your design on the seven steps, as an interviewer would.

    For each step (requirements, framing, data, model, evaluation, serving,
    monitoring) a table of what the reference says and whether yours says
    it, in your own words; then a score per step and overall, out of 100.
    Exits 0 whatever the score; 1 only if a spec has errors.

    \b
    Example:
      mlsd-diagrams grade my_search.yaml --against visual_search
      mlsd-diagrams grade my_search.yaml --against visual_search --format md > grade.md
    """
    from ..practice.grade import grade
    from ..spec import load_all

    specs, warnings = load_all([target, reference])
    for problem in warnings:
        show_problem(problem)
    mine, ref = specs if len(specs) == 2 else specs * 2
    click.echo(grade(mine, ref).render(fmt), nl=False)
