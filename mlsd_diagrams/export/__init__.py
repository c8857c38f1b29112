"""A spec's diagrams in other tools' formats: Mermaid, draw.io and DOT.

One module per format, each with a function ``export(diagram, theme) -> text``;
add a format by adding a module and a line to ``FORMATS``. A format whose text
names other files defines ``export_folder(diagram, theme) -> (text, files)``
too: what ``export_files`` writes, with ``files`` (paths relative to the text's
folder -> bytes) beside it. Mermaid and DOT need no Graphviz program; draw.io
takes its positions from one Graphviz layout.

    >>> import mlsd_diagrams as md
    >>> print(md.to_mermaid(md.load("visual_search").diagrams["system"]))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..spec.model import Diagram, Node, Spec

if TYPE_CHECKING:
    from ..themes import Theme

# format -> (module, file extension)
FORMATS = {
    "mermaid": ("mermaid", ".mmd"),
    "drawio": ("drawio", ".drawio"),
    "dot": ("dot", ".dot"),
}

__all__ = ["FORMATS", "export_files", "export_text", "to_dot", "to_drawio", "to_mermaid"]


def _module(to: str):
    if to not in FORMATS:
        from ..core.errors import UsageError

        raise UsageError(f"unknown export format {to!r}; choose from {', '.join(FORMATS)}")
    return importlib.import_module(f".{FORMATS[to][0]}", __name__)


def export_text(diagram: Diagram, to: str, theme="book") -> str:
    """One diagram as text in format ``to`` (a key of ``FORMATS``); ``theme`` is a name, a file or a ``Theme``."""
    from ..themes import load_theme

    return _module(to).export(diagram, load_theme(theme) if isinstance(theme, str) else theme)


def to_mermaid(diagram: Diagram, theme="book") -> str:
    """A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block)."""
    return export_text(diagram, "mermaid", theme)


def to_drawio(diagram: Diagram, theme="book") -> str:
    """A draw.io (diagrams.net) file, laid out by Graphviz; needs the ``dot`` program."""
    return export_text(diagram, "drawio", theme)


def to_dot(diagram: Diagram, theme="book") -> str:
    """The DOT source the renderer hands to Graphviz. It names the pictograms by where they are on this
    machine (see ``export.dot``); ``export_files(spec, "dot", DIR)`` writes a folder that draws anywhere."""
    return export_text(diagram, "dot", theme)


def export_files(spec: Spec, to: str, out_dir: Path | str = "output", *, diagrams: list[str] | None = None,
                 theme="book") -> list[Path]:
    """Write ``out_dir/<spec id>/<diagram id>.<ext>`` for each diagram (all, or those named), and the
    files they name (DOT: the pictograms, ``icons/<name>.png``). Returns the diagram files, then those.

    Everything is made before the first file is written, so a failure writes nothing; each file
    appears whole (written under a temporary name, then renamed), and the files a text names are
    written before the text.
    """
    from ..renderer import select
    from ..renderer.files import write_atomic
    from ..themes import load_theme

    theme = load_theme(theme) if isinstance(theme, str) else theme
    module = _module(to)
    folder = getattr(module, "export_folder", None)
    texts: dict[str, str] = {}
    extra: dict[str, bytes] = {}
    for d in select(spec, diagrams):
        if folder is None:
            texts[d.id] = module.export(d, theme)
            continue
        texts[d.id], files = folder(d, theme)
        extra.update(files)  # a name is a built-in pictogram (one per theme) or carries its bytes' hash
    target = Path(out_dir) / spec.id
    for name, data in sorted(extra.items()):
        write_atomic(target / name, data)
    written = []
    for did, text in texts.items():
        path = target / f"{did}{FORMATS[to][1]}"
        write_atomic(path, text)
        written.append(path)
    return written + [target / name for name in sorted(extra)]


def pictogram(n: Node, theme: Theme) -> tuple[str, bytes] | None:
    """A node's pictogram as ``render`` shows it, as (file name, PNG bytes); None for a node without one.

    A custom icon is the bytes the loader checked (never the file read again), named after the file and
    its hash (``db-1a2b3c4d5e.png``: two icons of one name in different folders stay apart). A built-in
    one is ``<name>.png``, repainted as the theme repaints pictograms (``icons:``), as ``render`` does.
    """
    from ..renderer.dot import node_icon

    name = node_icon(n, theme)
    if name is None:
        return None
    if n.icon_file is not None:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(n.icon or n.icon_file.path).stem)[:40].strip("_-") or "icon"
        return f"{stem}-{n.icon_file.sha256[:10]}.png", n.icon_file.data
    return f"{name}.png", _builtin_png(name, theme.icon_colors())


@cache
def _builtin_png(name: str, colors: tuple[tuple[str, str], ...]) -> bytes:
    from ..icons import ICON_DIR

    if not colors:  # the shipped PNGs are the pictograms in their own colours (scripts/build_icons.py)
        return (ICON_DIR / f"{name}.png").read_bytes()
    import cairosvg

    from ..renderer.svg import ICON_PX, icon_svg

    return cairosvg.svg2png(bytestring=icon_svg(name, colors).encode("utf-8"),
                            output_width=ICON_PX, output_height=ICON_PX)
