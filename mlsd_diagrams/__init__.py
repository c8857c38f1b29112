"""mlsd-diagrams: machine-learning system design diagrams from YAML specs.

    >>> import mlsd_diagrams as md
    >>> spec = md.load("visual_search")                      # a bundled id or a path
    >>> spec.diagrams["system"].figures                      # the book's figure it draws
    ('2.19',)
    >>> md.validate("visual_search")                         # every problem; [] when clean
    []
    >>> md.render(spec, "output", formats=["svg"])          # doctest: +SKIP
    >>> print(md.to_mermaid(spec.diagrams["system"]))       # doctest: +SKIP
    >>> md.quiz(spec, "output", diagrams=["system"], seed=1)  # practice: blanked labels  # doctest: +SKIP
    >>> spec.diagrams["system"]                             # in Jupyter: the diagram, inline  # doctest: +SKIP

Names are imported on first use, so ``import mlsd_diagrams`` stays cheap.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

__version__ = "0.2.0"

_EXPORTS = {
    "load": "spec", "load_checked": "spec", "validate": "spec",
    "Spec": "spec.model", "Diagram": "spec.model", "Node": "spec.model", "Edge": "spec.model", "Group": "spec.model",
    "render": "renderer", "RenderResult": "renderer", "RenderOptions": "renderer",
    "load_theme": "themes", "Theme": "themes",
    "bundled_ids": "catalog",
    "Problem": "core.errors", "Severity": "core.errors", "Pos": "core.errors", "MlsdError": "core.errors",
    "SpecError": "core.errors",
    "UsageError": "core.errors", "GraphvizError": "core.errors",
    "to_mermaid": "export", "to_drawio": "export", "to_dot": "export", "export_files": "export",
    "json_schema": "spec.schema",
    "new_spec": "practice.new", "quiz": "practice.quiz", "check": "practice.check", "compare": "practice.check",
    "reveal": "practice.reveal", "sheet": "practice.sheet",
}
__all__ = [
    "Diagram", "Edge", "GraphvizError", "Group", "MlsdError", "Node", "Pos", "Problem", "RenderOptions",
    "RenderResult", "Severity", "Spec", "SpecError", "Theme", "UsageError", "__version__", "bundled_ids", "check",
    "compare", "export_files", "json_schema", "load", "load_checked", "load_theme", "new_spec", "quiz", "render",
    "reveal", "sheet", "to_dot", "to_drawio", "to_mermaid", "validate",
]

if TYPE_CHECKING:  # what the names are, for type checkers and editors; at run time they load on first use
    from .catalog import bundled_ids
    from .core.errors import GraphvizError, MlsdError, Pos, Problem, Severity, SpecError, UsageError
    from .export import export_files, to_dot, to_drawio, to_mermaid
    from .practice.check import check, compare
    from .practice.new import new_spec
    from .practice.quiz import quiz
    from .practice.reveal import reveal
    from .practice.sheet import sheet
    from .renderer import RenderOptions, RenderResult, render
    from .spec import load, load_checked, validate
    from .spec.model import Diagram, Edge, Group, Node, Spec
    from .spec.schema import json_schema
    from .themes import Theme, load_theme


def _register_with_ipython() -> None:
    """In a running IPython kernel, show diagrams and specs inline (see ``notebook``); elsewhere, nothing."""
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module else None
    if shell is not None:
        importlib.import_module(".notebook", __name__).load_ipython_extension(shell)


_register_with_ipython()


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
