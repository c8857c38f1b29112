import click

from . import complete_target, finish_checking, show_problem


@click.command("lint")
@click.argument("targets", nargs=-1, required=True, metavar="ID|PATH...", shell_complete=complete_target)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def lint_cmd(targets, strict):
    """Check the ML design a spec draws against the book's framework.

    Each finding is file:line:col: severity: [rule-id] message (ch. N).
    Silence a rule for a spec or one diagram with lint: {ignore: [rule-id]}.
    Exits 1 if a spec has an error or does not load (or, with --strict, a
    warning).

    \b
    Example:
      mlsd-diagrams lint specs/*.yaml
      mlsd-diagrams lint my_design.yaml --strict
    """
    from ..lint import lint_target

    errors = warnings = 0
    for target in targets:
        for problem in lint_target(target):
            show_problem(problem)
            errors += problem.is_error
            warnings += not problem.is_error
    finish_checking(len(targets), "linted", errors, warnings, strict)
