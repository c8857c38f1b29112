import click

from . import complete_target, finish_checking, show_problem, warn


@click.command("validate")
@click.argument("targets", nargs=-1, required=True, metavar="ID|PATH...", shell_complete=complete_target)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--layout", is_flag=True,
              help="Also lay each diagram out and report its page shape: proportions, text size on a slide, "
                   "longest edge; warn past the bounds (needs Graphviz).")
@click.option("--theme", default="book", show_default=True, metavar="NAME|FILE", help="Theme for --layout.")
def validate_cmd(targets, strict, layout, theme):
    """Check specs and print every problem as file:line:col.

    Exits 1 if any spec has an error (or, with --strict, a warning).

    \b
    Example:
      mlsd-diagrams validate specs/*.yaml
      mlsd-diagrams validate my_design.yaml --strict
      mlsd-diagrams validate visual_search --layout
    """
    from ..spec import validate

    errors = warnings = 0
    for target in targets:
        problems = validate(target)
        for problem in problems:
            show_problem(problem)
            errors += problem.is_error
            warnings += not problem.is_error
        if layout and not any(p.is_error for p in problems):
            warnings += _layout_report(target, theme)
    finish_checking(len(targets), "checked", errors, warnings, strict)


def _layout_report(target: str, theme_name: str) -> int:
    """Print the page shape of each diagram; returns how many warnings it gave."""
    from ..renderer.shape import measure
    from ..spec import load
    from ..themes import load_theme

    spec, theme = load(target), load_theme(theme_name)
    found = 0
    for d in spec.diagrams.values():
        shape = measure(d, theme)
        click.echo(f"{spec.id}/{shape.line()}")
        for problem in shape.problems():
            warn(f"{spec.path}:{d.pos.line}:{d.pos.col}: diagram {d.id!r}: {problem}")
            found += 1
    return found
