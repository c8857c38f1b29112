from pathlib import Path

import click

from . import complete_target, detail, say, show_problem

_TO = ("mermaid", "drawio", "dot")  # kept equal to export.FORMATS (tested); the help text must not import it


@click.command("export")
@click.argument("targets", nargs=-1, required=True, metavar="ID|PATH...", shell_complete=complete_target)
@click.option("--to", "to", required=True, type=click.Choice(_TO),
              help="mermaid: a flowchart for Markdown; drawio: an editable diagrams.net file; dot: Graphviz source.")
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID",
              help="Export only this diagram (repeatable). With one and no --out, the text goes to stdout.")
@click.option("--out", "-o", "out", type=click.Path(file_okay=False),
              help="Write OUT/<spec id>/<diagram id>.mmd|.drawio|.dot instead of printing (dot: with the "
                   "pictograms beside them, in icons/).")
@click.option("--theme", "-t", default="book", show_default=True,
              help="Colours and fonts for mermaid and drawio, attributes for dot: a built-in theme or a file.")
def export_cmd(targets, to, diagram_ids, out, theme):
    """Export diagrams to Mermaid, draw.io or DOT.

    Without --out, one diagram is printed on stdout (name it with --diagram
    when the spec has several). Mermaid and DOT need no Graphviz; draw.io
    takes its positions from a Graphviz layout. DOT on stdout finds its
    pictograms on this machine only; with --out they are written beside it
    (icons/), and dot draws it from that folder on any machine.

    \b
    Example:
      mlsd-diagrams export visual_search --to mermaid --diagram system
      mlsd-diagrams export visual_search --to drawio --out exports/
      mlsd-diagrams export visual_search ad_click_prediction --to mermaid --diagram system --out exports/
      mlsd-diagrams export my_design.yaml --to dot --diagram system > system.dot
    """
    from ..export import FORMATS, export_files, export_text
    from ..renderer import select
    from ..spec import load_all

    specs, warnings = load_all(targets)  # every spec is checked before anything is written
    for problem in warnings:
        show_problem(problem)
    if out:
        for spec in specs:
            wanted = [d for d in diagram_ids if d in spec.diagrams] if len(specs) > 1 else list(diagram_ids)
            if diagram_ids and not wanted:
                continue  # with several specs, --diagram takes that diagram from every spec that has it
            files = export_files(spec, to, out, diagrams=wanted or None, theme=theme)
            for path in files:
                detail(f"wrote {path}")
            _summary(spec.id, to, FORMATS[to][1], Path(out) / spec.id, files)
        return
    if len(specs) > 1:
        raise click.UsageError(f"{len(specs)} specs give more than one text: write them with --out DIR")
    spec = specs[0]
    chosen = select(spec, list(diagram_ids) or None)
    if len(chosen) != 1:
        raise click.UsageError(f"{spec.id} has {len(chosen)} diagrams ({', '.join(d.id for d in chosen)}): "
                               "name one with --diagram, or write them all with --out DIR")
    click.echo(export_text(chosen[0], to, theme), nl=False)


def _summary(spec_id: str, to: str, ext: str, folder: Path, files: list[Path]) -> None:
    """``visual_search: 4 dot files in exports/visual_search/, with 2 pictograms beside them in icons/``, and
    for DOT with pictograms how to draw one (Graphviz finds the pictograms from the folder it runs in)."""
    import shlex

    texts = [p for p in files if p.suffix == ext and p.parent == folder]
    others = len(files) - len(texts)
    line = f"{spec_id}: {len(texts)} {to} file{'s' if len(texts) != 1 else ''} in {folder}/"
    if others:
        line += f", with {others} pictogram{'s' if others != 1 else ''} beside them in icons/"
    say(line)
    if others and texts:
        say(f"  draw one in that folder (dot finds the pictograms from where it runs): "
            f"cd {shlex.quote(str(folder))} && dot -Tsvg {texts[0].name} -o {texts[0].stem}.svg")
