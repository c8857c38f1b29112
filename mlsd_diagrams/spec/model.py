"""The typed model of a spec. Every object keeps the position it was written at."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import Pos
from .icons import IconFile


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    pos: Pos
    icon: str | None = None  # a built-in pictogram name, or a relative .png path as written
    color: str | None = None
    step: str | None = None
    icon_file: IconFile | None = None  # set by the loader for a path icon, once checked (spec.icons)


@dataclass(frozen=True)
class Ref:
    """An id written somewhere (a group member, a rank hint), with its position."""

    id: str
    pos: Pos


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    pos: Pos
    nodes: tuple[Ref, ...] = ()
    groups: tuple[Ref, ...] = ()
    step: str | None = None


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    pos: Pos  # where the edge is written
    src_pos: Pos  # where each end is named
    dst_pos: Pos
    arrow: str = "->"  # "->", "<->" or "--"
    label: str = ""
    style: str = "solid"
    seq: int | None = None
    loop: bool = False
    constraint: bool = True
    weight: int | None = None
    minlen: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Edges are identified by their ends (practice tools compare them this way)."""
        return (self.src, self.dst)


@dataclass(frozen=True)
class Diagram:
    id: str
    title: str
    pos: Pos
    nodes: dict[str, Node]
    groups: dict[str, Group] = field(default_factory=dict)
    edges: tuple[Edge, ...] = ()
    direction: str = "LR"
    step: str | None = None
    caption: str = ""
    figures: tuple[str, ...] = ()  # the book's figure numbers this diagram draws
    rank: tuple[tuple[Ref, ...], ...] = ()

    def parent_of(self) -> dict[str, str]:
        """Map each node id and group id to the id of the group that directly holds it."""
        parent: dict[str, str] = {}
        for g in self.groups.values():
            for ref in (*g.nodes, *g.groups):
                parent.setdefault(ref.id, g.id)
        return parent

    def top_groups(self) -> list[Group]:
        nested = {ref.id for g in self.groups.values() for ref in g.groups}
        return [g for g in self.groups.values() if g.id not in nested]


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    path: str  # the file it was read from, as shown in messages
    pos: Pos
    diagrams: dict[str, Diagram]
    chapter: int | None = None
    summary: str = ""
    framework: dict = field(default_factory=dict)  # plain values, shaped by schema.FRAMEWORK
