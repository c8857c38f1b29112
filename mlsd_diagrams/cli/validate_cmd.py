import click

from . import complete_target, say, show_problem


@click.command("validate")
@click.argument("targets", nargs=-1, required=True, metavar="ID|PATH...", shell_complete=complete_target)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def validate_cmd(targets, strict):
    """Check specs and print every problem as file:line:col.

    Exits 1 if any spec has an error (or, with --strict, a warning).

    \b
    Example:
      mlsd-diagrams validate specs/*.yaml
      mlsd-diagrams validate my_design.yaml --strict
    """
    from ..spec import validate

    errors = warnings = 0
    for target in targets:
        for problem in validate(target):
            show_problem(problem)
            errors += problem.is_error
            warnings += not problem.is_error
    n = len(targets)
    summary = f"{n} spec{'s' if n != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, " \
              f"{warnings} warning{'s' if warnings != 1 else ''}"
    if errors or warnings:
        click.echo(summary, err=True)
    else:
        say(summary)
    if errors or (strict and warnings):
        raise SystemExit(1)
