import click

from . import complete_target, detail, say, show_problem


@click.command("sheet")
@click.argument("target", metavar="ID|PATH", shell_complete=complete_target)
@click.option("--format", "-f", "fmt", type=click.Choice(("md", "html")), default="md", show_default=True,
              help="md: Markdown linking PNGs written beside it; html: one self-contained file.")
@click.option("--theme", "-t", default="book", show_default=True, help="A built-in theme or a theme YAML file.")
@click.option("--out", "-o", "out", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write into (files go in <out>/<spec id>/).")
def sheet_cmd(target, fmt, theme, out):
    """A one-page cheat sheet: the seven steps, the metrics and the diagrams.

    \b
    Example:
      mlsd-diagrams sheet visual_search
      mlsd-diagrams sheet visual_search --format html --out sheets/
    """
    from ..practice.sheet import sheet
    from ..spec import load_checked
    from ..themes import load_theme

    spec, warnings = load_checked(target)
    for problem in warnings:
        show_problem(problem)
    load_theme(theme)  # a bad theme fails before anything is written
    files = sheet(spec, out, fmt=fmt, theme=theme)
    for path in files[1:]:
        detail(f"wrote {path}")
    click.echo(str(files[0]))
    say(f"{spec.id}: cheat sheet with {len(spec.diagrams)} diagram{'s' if len(spec.diagrams) != 1 else ''}")
