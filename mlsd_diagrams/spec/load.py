"""YAML file -> checked, typed ``Spec``.

Stages: read and parse (``yamlsrc``), merge the ``extends`` chain
(``extends``), check the shape against the schema (``schema``), build the
model. Referential and structural rules run over the
model afterwards (``checks``). Every stage reports all its problems at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import Pos, SpecError
from ..core.types import Ctx
from ..core.yamlsrc import Map, parse_file
from .extends import apply_extends
from .icons import resolve_icon_files
from .model import Diagram, Edge, Group, Node, Ref, Spec
from .schema import SPEC, parse_arrows


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
    resolve_icon_files(tree, folder, ctx)
    if ctx.problems or not isinstance(tree, Map):  # a tree that passed the check is a mapping
        raise SpecError(ctx.problems)
    return _spec(tree, name)


def _spec(m: Map, name: str) -> Spec:
    return Spec(
        id=m["id"],
        title=m["title"],
        path=name,
        pos=m.pos,
        chapter=m.get("chapter"),
        summary=m.get("summary", ""),
        framework=_plain(m.get("framework", {})),
        diagrams={did: _diagram(did, d, m["diagrams"].kpos[did]) for did, d in m["diagrams"].items()},
    )


def _diagram(did: str, d: Map, pos: Pos) -> Diagram:
    nodes = d["nodes"]
    groups = d.get("groups", Map(pos))
    return Diagram(
        id=did,
        title=d["title"],
        pos=pos,
        direction=d.get("direction", "LR"),
        step=d.get("step"),
        caption=d.get("caption", ""),
        figures=tuple(d.get("figures", ())),
        nodes={nid: Node(id=nid, pos=nodes.kpos[nid], **n) for nid, n in nodes.items()},
        groups={gid: _group(gid, g, groups.kpos[gid]) for gid, g in groups.items()},
        edges=tuple(e for item, ipos in zip(d.get("edges", []), getattr(d.get("edges"), "ipos", []), strict=False)
                    for e in _edges(item, ipos)),
        rank=tuple(tuple(_refs(r)) for r in d.get("rank", [])),
    )


def _refs(seq) -> list[Ref]:
    return [Ref(i, p) for i, p in zip(seq, seq.ipos, strict=False)]


def _group(gid: str, g: Map, pos: Pos) -> Group:
    return Group(id=gid, label=g["label"], pos=pos, step=g.get("step"),
                 nodes=tuple(_refs(g.get("nodes", []))) if "nodes" in g else (),
                 groups=tuple(_refs(g["groups"])) if "groups" in g else ())


def _edges(item, pos: Pos) -> list[Edge]:
    opts: dict[str, Any]
    if isinstance(item, str):
        text, text_pos, opts = item, pos, {}
    else:
        (text, value), = item.items()
        text_pos = item.kpos[text]
        opts = {"label": value} if isinstance(value, str) else dict(value)
    hops = parse_arrows(text)
    at = lambda off: text_pos._replace(col=text_pos.col + off)  # noqa: E731
    return [Edge(src=h.src, dst=h.dst, pos=text_pos, src_pos=at(h.src_col), dst_pos=at(h.dst_col), arrow=h.arrow,
                 **opts) for h in hops]


def _plain(value):
    """Located containers -> plain dicts and lists (for metadata the model keeps as data)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
