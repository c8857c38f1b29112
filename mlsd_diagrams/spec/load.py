"""YAML file -> checked, typed ``Spec``.

Stages: read and parse (``core.yamlsrc``), merge the ``extends`` chain
(``extends``), check the shape against the declaration (``schema``), resolve
custom icons (``icons``), build the model (``core.declare.build``).
Referential and structural rules run over the model afterwards (``checks``).
Every stage reports all its problems at once.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..core.declare import build as build_model
from ..core.errors import Pos, SpecError
from ..core.types import NOTHING, Ctx
from ..core.yamlsrc import Map, parse_file
from .checks import run_checks
from .extends import apply_extends
from .icons import resolve_icon_files
from .model import Spec
from .schema import SPEC


def load_file(path: str, display: str | None = None) -> Spec:
    """Parse and shape-check one spec file. Raises ``SpecError`` listing every problem."""
    name = display or str(path)
    tree, problems = parse_file(path, name)
    tree = apply_extends(tree, str(path), name, problems)
    return build(tree, name, problems, folder=Path(path).resolve().parent)


def build(tree: object, name: str, problems: list | None = None, folder: str | Path | None = None) -> Spec:
    """Check a parsed tree against the schema and turn it into a ``Spec``.

    ``folder`` is where the spec file lives: custom icons are resolved and confined there.
    """
    ctx = Ctx()
    ctx.problems.extend(problems or [])
    root_pos = tree.pos if isinstance(tree, Map) else Pos(name, 1, 1)
    SPEC.check(tree, root_pos, "", ctx)
    icon_files = resolve_icon_files(tree, folder, ctx)
    if ctx.problems or not isinstance(tree, Map):  # a tree that passed the check is a mapping
        raise SpecError([*ctx.problems, *_reference_problems(tree, root_pos, name)])
    spec = build_model(Spec, tree, path=name)
    if not icon_files:
        return spec
    diagrams = dict(spec.diagrams)
    for (did, nid), icon_file in icon_files.items():
        d = diagrams[did]
        diagrams[did] = replace(d, nodes={**d.nodes, nid: replace(d.nodes[nid], icon_file=icon_file)})
    return replace(spec, diagrams=diagrams)


def _reference_problems(tree: object, pos: Pos, name: str) -> list:
    """The reference rules, run on what is well formed in a spec that has shape errors: a missing title or
    a misspelt kind does not hide a dangling edge."""
    kept = SPEC.full.salvage(tree, pos)
    if kept is NOTHING:
        return []
    return run_checks(build_model(Spec, kept, path=name), references_only=True)
