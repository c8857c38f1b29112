"""Diagram -> the DOT source the renderer hands to Graphviz (``dot -Tsvg`` draws the layout ``render`` draws).

Graphviz cannot read an image from a data URI, and it looks for a relative
image path from the folder it runs in (or the graph's ``imagepath``), never
from the DOT file's own folder. So a DOT file that shows pictograms needs
image files, and the export says which:

- ``export`` (a single text, e.g. on stdout) is the renderer's own source: it
  names the built-in pictograms through an ``imagepath`` pointing at this
  installation's icons folder and custom icons by their checked full path,
  so it draws with its pictograms on this machine only. Its first lines say so.
- ``export_folder`` (``export --out DIR``) names each pictogram as
  ``icons/<name>.png``, relative to the file, and returns those files for
  ``export_files`` to write beside it: the bytes ``render`` shows (a custom
  icon's checked bytes, a built-in one repainted as the theme says). Run from
  that folder, ``dot`` draws it on any machine; its first lines say how.

Labels keep an invisible word joiner after a backslash (see ``renderer.dot``),
so Graphviz shows them as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..spec.model import Diagram, Node

if TYPE_CHECKING:
    from ..themes import Theme

ICONS = "icons"  # the folder, beside the DOT file, that holds its pictograms


def export(d: Diagram, theme: Theme) -> str:
    from ..renderer.dot import node_icon

    source = _source(d, theme)
    head = [f"// {d.id}.dot: the DOT source mlsd-diagrams renders; draw it with dot -Tsvg {d.id}.dot -o {d.id}.svg"]
    if any(node_icon(n, theme) for n in d.nodes.values()):
        head += ["// Its pictograms are files on the machine that wrote it: built-in ones in the imagepath",
                 "// below, custom ones at their full path. Elsewhere it draws without them: for a copy",
                 f"// that draws anywhere, export with --out DIR (pictograms go beside it, in {ICONS}/)."]
    else:
        head += ["// It names no other file."]
    return "\n".join(head) + "\n" + source


def export_folder(d: Diagram, theme: Theme) -> tuple[str, dict[str, bytes]]:
    """The source naming its pictograms ``icons/<name>.png`` relative to the file, and those files."""
    from . import pictogram

    files: dict[str, bytes] = {}

    def beside(n: Node) -> str:
        found = pictogram(n, theme)
        if found is None:  # node_icon named a pictogram that pictogram() cannot give: a bug, not input
            raise RuntimeError(f"{d.id}: no pictogram file for node {n.id!r}")
        name, data = found
        files[f"{ICONS}/{name}"] = data
        return f"{ICONS}/{name}"

    source = _source(d, theme, images=beside)
    if files:
        head = [f"// {d.id}.dot: draw it in the folder that holds it, which has its pictograms in {ICONS}/:",
                f"//   dot -Tsvg {d.id}.dot -o {d.id}.svg",
                "// Graphviz looks for images from the folder it runs in. From elsewhere, name this folder:",
                f"//   dot -Gimagepath=FOLDER -Tsvg FOLDER/{d.id}.dot -o {d.id}.svg",
                f"// It needs: {', '.join(sorted(files))}"]
    else:
        head = [f"// {d.id}.dot: draw it with dot -Tsvg {d.id}.dot -o {d.id}.svg; it names no other file."]
    return "\n".join(head) + "\n" + source, files


def _source(d: Diagram, theme: Theme, images: Callable[[Node], str] | None = None) -> str:
    from ..renderer.dot import build_dot  # imports diagrams; needs no Graphviz program

    source = build_dot(d, theme, images=images)
    return source if source.endswith("\n") else source + "\n"
