import click


@click.command("themes")
@click.argument("name", required=False, metavar="[NAME|FILE]")
def themes_cmd(name):
    """List the built-in themes; print one to start your own; check a theme file.

    With no argument, lists each built-in theme and what it is for. With a
    built-in name, prints its YAML: save it, change what you like, keep or
    trim the rest (a theme file may say 'base: dark' and hold only what
    differs), then render with --theme FILE. With a file, checks it and
    reports every problem as file:line:col.

    \b
    Example:
      mlsd-diagrams themes
      mlsd-diagrams themes dark > my_theme.yaml
      mlsd-diagrams themes my_theme.yaml
      mlsd-diagrams render visual_search --theme my_theme.yaml
    """
    from ..themes import builtin_names, builtin_source, load_theme

    if name is None:
        themes = [load_theme(n) for n in builtin_names()]
        width = max(len(t.name) for t in themes)
        for t in themes:
            default = " (default)" if t.name == "book" and "default" not in t.description else ""
            click.echo(f"{t.name:<{width}}  {t.description}{default}")
    elif name in builtin_names():
        click.echo(builtin_source(name), nl=False)
    else:
        theme = load_theme(name)  # a bad file raises SpecError: file:line:col for every problem, exit 1
        click.echo(f"{name}: a valid theme ({theme.name})")
