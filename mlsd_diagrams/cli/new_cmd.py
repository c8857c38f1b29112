import click

from . import complete_target, say


@click.command("new")
@click.argument("name")
@click.option("--from", "source", required=True, metavar="ID|PATH", shell_complete=complete_target,
              help="The case study (or spec file) to start from.")
@click.option("--extends", "as_extends", is_flag=True,
              help="Write a short spec that extends the source (change only what differs) instead of a copy.")
@click.option("--out", "-o", "out", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write NAME.yaml into.")
@click.option("--force", is_flag=True, help="Overwrite NAME.yaml if it exists.")
def new_cmd(name, source, as_extends, out, force):
    """Start your own design from a case study: writes NAME.yaml to edit.

    A full copy (comments included, id set to NAME), or with --extends a
    short spec that names the case study and lists only your changes. An
    existing file is never overwritten without --force.

    \b
    Example:
      mlsd-diagrams new my_search --from visual_search
      mlsd-diagrams new my_search --from visual_search --extends --out designs/
    """
    from ..practice.new import new_spec

    path = new_spec(name, source, out, force=force, extends=as_extends)
    click.echo(str(path))
    say(f"Edit it, then: mlsd-diagrams check {path} --against {source}")
