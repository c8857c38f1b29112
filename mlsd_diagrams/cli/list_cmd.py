import click


@click.command("list")
def list_cmd():
    """List the bundled case studies: id, title and number of diagrams.

    \b
    Example:
      mlsd-diagrams list
    """
    from ..catalog import bundled_ids
    from ..spec import load

    specs = [load(i) for i in bundled_ids()]
    width = max((len(s.id) for s in specs), default=2)
    for s in specs:
        n = len(s.diagrams)
        click.echo(f"{s.id:<{width}}  {n:>2} diagram{'s' if n != 1 else ' '}  {s.title}")
