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

import html
import re
from typing import TYPE_CHECKING

from ..spec.icons import is_icon_path
from ..spec.model import Diagram, Node

if TYPE_CHECKING:
    from ..themes import Theme

ICONS = "icons"  # the folder, beside the DOT file, that holds its pictograms


def export(d: Diagram, theme: Theme) -> str:
    from . import pictogram

    source = _source(d, theme)
    head = [f"// {d.id}.dot: the DOT source mlsd-diagrams renders; draw it with dot -Tsvg {d.id}.dot -o {d.id}.svg"]
    if any(pictogram(n, theme) for n in d.nodes.values()):
        head += ["// Its pictograms are files on the machine that wrote it: built-in ones in the imagepath",
                 "// below, custom ones at their full path. Elsewhere it draws without them: for a copy",
                 f"// that draws anywhere, export with --out DIR (pictograms go beside it, in {ICONS}/)."]
    else:
        head += ["// It names no other file."]
    return "\n".join(head) + "\n" + source


def export_folder(d: Diagram, theme: Theme) -> tuple[str, dict[str, bytes]]:
    """The source naming its pictograms ``icons/<name>.png`` relative to the file, and those files."""
    from . import pictogram

    source = _source(d, theme)
    files: dict[str, bytes] = {}
    for n in d.nodes.values():
        found = pictogram(n, theme)
        if found is None:
            continue
        name, data = found
        files[f"{ICONS}/{name}"] = data
        source = source.replace(_img(_renderer_src(n, theme)), _img(f"{ICONS}/{name}"))
    source = _without_imagepath(source)
    if _unmapped(source, files):
        raise RuntimeError(f"{d.id}: the DOT source names an image the export did not write")  # a bug, not input
    if files:
        head = [f"// {d.id}.dot: draw it in the folder that holds it, which has its pictograms in {ICONS}/:",
                f"//   dot -Tsvg {d.id}.dot -o {d.id}.svg",
                "// Graphviz looks for images from the folder it runs in. From elsewhere, name this folder:",
                f"//   dot -Gimagepath=FOLDER -Tsvg FOLDER/{d.id}.dot -o {d.id}.svg",
                f"// It needs: {', '.join(sorted(files))}"]
    else:
        head = [f"// {d.id}.dot: draw it with dot -Tsvg {d.id}.dot -o {d.id}.svg; it names no other file."]
    return "\n".join(head) + "\n" + source, files


def _source(d: Diagram, theme: Theme) -> str:
    from ..renderer.dot import build_dot  # imports diagrams; needs no Graphviz program

    source = build_dot(d, theme)
    return source if source.endswith("\n") else source + "\n"


def _renderer_src(n: Node, theme: Theme) -> str:
    """The image path ``renderer.dot`` writes for a node's pictogram (kept in step with ``add_node`` there)."""
    icon = (n.icon_file.path if n.icon_file else None) or (None if is_icon_path(n.icon) else n.icon) \
        or theme.kind_style(n.kind, n.color)[1] or ""
    return icon if icon.endswith(".png") else f"{icon}.png"


def _img(path: str) -> str:
    return f'<IMG SRC="{html.escape(path, quote=True)}"'  # labels are escaped, so only pictograms match


def _unmapped(source: str, files: dict[str, bytes]) -> bool:
    """Whether an image in ``source`` is not one of ``files`` (every ``<IMG`` is a pictogram's)."""
    rest = source
    for path in files:
        rest = rest.replace(_img(path), "")
    return "<IMG " in rest


_IMAGEPATH = re.compile(r' imagepath="(?:[^"\\]|\\.)*"')  # in a label, '"' is always &quot;


def _without_imagepath(source: str) -> str:
    """The source without the renderer's ``imagepath`` (this machine's icons folder)."""
    source, count = _IMAGEPATH.subn("", source)
    if count != 1:
        raise RuntimeError("expected one imagepath in the renderer's DOT source")  # a bug, not input
    return source
