import click

from ..vocabulary import REVEAL_BY as BY
from . import complete_target, detail, say, show_problem, warn
from .options import image_options


@click.command("reveal")
@click.argument("target", metavar="ID|PATH", shell_complete=complete_target)
@click.option("--by", type=click.Choice(BY), default="group", show_default=True,
              help="group: a frame per pipeline box (and per node outside one); step: a frame per framework step.")
@click.option("--diagram", "-d", "diagram_ids", multiple=True, metavar="ID", help="Only this diagram (repeatable).")
@image_options
def reveal_cmd(target, by, diagram_ids, formats, theme, out, image):
    """Frames that build a diagram up, for slides; nothing moves between them.

    Writes OUT/<spec id>/reveal/<diagram>-01.<format>, -02, ...: the last
    frame is the whole diagram. Every frame is drawn from one layout, so each
    node keeps its place and the canvas its size.

    \b
    Example:
      mlsd-diagrams reveal visual_search --diagram system --format png --size 16:9
      mlsd-diagrams reveal framework --by step
    """
    from ..practice.reveal import reveal
    from ..renderer import RenderOptions
    from ..spec import load_checked

    spec, warnings = load_checked(target)
    for problem in warnings:
        show_problem(problem)
    result = reveal(spec, out, RenderOptions(formats=formats, theme=theme, **image), by=by,
                    diagrams=list(diagram_ids) or None)
    for w in result.warnings:
        warn(f"Graphviz: {w}")
    for path in result.removed:
        detail(f"removed {path} (left from an earlier, longer reveal)")
    for did, frames in result.frames.items():
        hint = f" (one {by} only; try --by {'step' if by == 'group' else 'group'})" if len(frames) == 1 else ""
        say(f"{spec.id}/{did}: {len(frames)} frame{'s' if len(frames) != 1 else ''} in {out}/{spec.id}/reveal/: "
            + "; ".join(f.title for f in frames) + hint)
