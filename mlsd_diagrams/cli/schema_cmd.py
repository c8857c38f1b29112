import click


def schema_text() -> str:
    """The JSON Schema as the committed ``mlsd_diagrams/spec.schema.json`` holds it."""
    import json

    from ..spec.schema import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


@click.command("schema")
def schema_cmd():
    """Print the JSON Schema of specs, for editors that complete and check YAML.

    It is generated from the definition the loader checks specs with. Point
    the YAML extension of VS Code (or any yaml-language-server editor) at it
    with a first line '# yaml-language-server: $schema=spec.schema.json'.

    \b
    Example:
      mlsd-diagrams schema > spec.schema.json
    """
    click.echo(schema_text(), nl=False)
