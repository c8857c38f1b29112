"""A spec's diagrams in other tools' formats: Mermaid, draw.io and DOT.

One module per format, each with a function ``diagram -> text``; add a format
by adding a module and a line to ``FORMATS``. Mermaid and DOT need no Graphviz
program; draw.io takes its positions from one Graphviz layout.

    >>> import mlsd_diagrams as md
    >>> print(md.to_mermaid(md.load("visual_search").diagrams["system"]))  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..spec.model import Diagram, Spec

# format -> (module, file extension)
FORMATS = {
    "mermaid": ("mermaid", ".mmd"),
    "drawio": ("drawio", ".drawio"),
    "dot": ("dot", ".dot"),
}

__all__ = ["FORMATS", "export_files", "export_text", "to_dot", "to_drawio", "to_mermaid"]


def export_text(diagram: Diagram, to: str, theme="book") -> str:
    """One diagram as text in format ``to`` (a key of ``FORMATS``); ``theme`` is a name, a file or a ``Theme``."""
    from ..themes import load_theme

    if to not in FORMATS:
        from ..core.errors import UsageError

        raise UsageError(f"unknown export format {to!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f".{FORMATS[to][0]}", __name__)
    return module.export(diagram, load_theme(theme) if isinstance(theme, str) else theme)


def to_mermaid(diagram: Diagram, theme="book") -> str:
    """A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block)."""
    return export_text(diagram, "mermaid", theme)


def to_drawio(diagram: Diagram, theme="book") -> str:
    """A draw.io (diagrams.net) file, laid out by Graphviz; needs the ``dot`` program."""
    return export_text(diagram, "drawio", theme)


def to_dot(diagram: Diagram, theme="book") -> str:
    """The DOT source the renderer hands to Graphviz."""
    return export_text(diagram, "dot", theme)


def export_files(spec: Spec, to: str, out_dir: Path | str = "output", *, diagrams: list[str] | None = None,
                 theme="book") -> list[Path]:
    """Write ``out_dir/<spec id>/<diagram id>.<ext>`` for each diagram (all, or those named).

    Every text is made before the first file is written, so a failure writes
    nothing; each file appears whole (written under a temporary name, then renamed).
    """
    from ..renderer import select
    from ..renderer.files import write_atomic
    from ..themes import load_theme

    theme = load_theme(theme) if isinstance(theme, str) else theme
    texts = {d.id: export_text(d, to, theme) for d in select(spec, diagrams)}
    target = Path(out_dir) / spec.id
    files = []
    for did, text in texts.items():
        path = target / f"{did}{FORMATS[to][1]}"
        write_atomic(path, text)
        files.append(path)
    return files
