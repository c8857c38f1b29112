"""The spec format, declared once.

Each class below is the typed model of one part of a spec, and each field made
with ``item`` carries the type that checks that key in a file. The checker,
the JSON Schema (``mlsd-diagrams schema``), the defaults and the reference
docs (``docs/spec-reference.md``) all come from here: adding a key to the
format is adding a field. Every object keeps the position it was written at.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..core.declare import at, item, key, record_of
from ..core.errors import Pos
from ..core.types import Bool, Ctx, Enum, Field, Id, IdRef, Int, List, Record, Ref, Str, Table, Type, describe, plain
from ..core.yamlsrc import Map, shown
from ..vocabulary import COLORS, DIRECTIONS, EDGE_STYLES, ICONS, KINDS, LINT_RULES, ROLES, STEP_TITLES, STEPS
from .arrows import ARROW_PATTERN, ArrowError, parse_arrows
from .icons import IconFile, IconRef

FIGURE_PATTERN = r"^[1-9][0-9]?\.[1-9][0-9]?$"

__all__ = ["Diagram", "Edge", "Group", "Lint", "Node", "Ref", "Spec"]


@dataclass(frozen=True, kw_only=True)
class Node:
    """A component."""

    id: str = key()
    pos: Pos = at()
    label: str = item(Str("Text in the box; keep it short, it wraps by itself.", max_len=200), required=True,
                      stand_in="")
    kind: str = item(Enum(KINDS, "What the node is; themes style each kind.", what="kind"), required=True,
                     stand_in="note")
    icon: str | None = item(IconRef(ICONS, "A pictogram drawn beside the label: a built-in name, or a relative "
                                           "path to a .png file inside the spec's folder (at most 512 KB)."))
    color: str | None = item(Enum(COLORS, "Override the kind's fill, e.g. green for the positive item.",
                                  what="color"))
    step: str | None = item(Enum(STEPS, "The framework step this node belongs to (reveal --by step).",
                                 what="step"))
    role: str | None = item(Enum(ROLES, "What the component does, for `mlsd-diagrams lint` when its label does "
                                        "not say (e.g. a ranker named 'Brain'); 'none' stops the guess.",
                                 what="role"))
    icon_file: IconFile | None = None  # the checked file of a path icon, set by the loader (spec.icons)


@dataclass(frozen=True, kw_only=True)
class Lint:
    """Settings of `mlsd-diagrams lint` for a spec or one diagram."""

    pos: Pos = at()
    ignore: tuple[str, ...] = item(List(Enum(LINT_RULES, "A lint rule id.", what="lint rule"),
                                        "Rules not to report here; say why in a comment.", max_items=20), default=())


LINT = record_of(Lint, "lint key")


@dataclass(frozen=True, kw_only=True)
class Group:
    """A dashed, labelled box around nodes (a pipeline)."""

    id: str = key()
    pos: Pos = at()
    label: str = item(Str("Title of the dashed box, e.g. 'Prediction pipeline'.", max_len=120), required=True,
                      stand_in="")
    nodes: tuple[Ref, ...] = item(List(IdRef(), "Ids of the nodes inside.", max_items=200), default=())
    groups: tuple[Ref, ...] = item(List(IdRef(), "Ids of groups nested inside this one.", max_items=50), default=())
    step: str | None = item(Enum(STEPS, "The framework step this group belongs to.", what="step"))


@dataclass(frozen=True, kw_only=True)
class Edge:
    """Edge options."""

    src: str
    dst: str
    pos: Pos  # where the edge is written
    src_pos: Pos  # where each end is named
    dst_pos: Pos
    arrow: str = "->"  # "->", "<->" or "--"
    label: str = item(Str("Text shown on the arrow.", max_len=200), default="")
    style: str = item(Enum(EDGE_STYLES, "solid carries data; dashed is a lookup.", what="edge style"),
                      default="solid")
    seq: int | None = item(Int("Sequence number of a request/response step (shown as a circled number).", 1, 20))
    loop: bool = item(Bool("Allow an edge from a node to itself."), default=False)
    constraint: bool = item(Bool("false: the edge does not push its ends into different ranks (layout hint)."),
                            default=True)
    weight: int | None = item(Int("Layout hint: a heavier edge is kept shorter and straighter.", 0, 100))
    feedback: bool = item(Bool("A feedback edge (logs back to training, a re-index): drawn, but the picture keeps "
                               "reading in its main direction. Edges that close a cycle are treated so anyway."),
                          default=False)
    minlen: int | None = item(Int("Layout hint: the minimum rank distance between the ends.", 0, 10))

    @property
    def key(self) -> tuple[str, str]:
        """Edges are identified by their ends (practice tools compare them this way)."""
        return (self.src, self.dst)

    @property
    def text(self) -> str:
        """What the arrow shows: its step number as a circled digit, then its label."""
        mark = chr(0x2460 + self.seq - 1) if self.seq else ""  # circled one..twenty
        return f"{mark} {self.label}".strip()


EDGE_OPTIONS = record_of(Edge, "edge option")


class EdgeItem(Type):
    """``a -> b``, ``a -> b: label`` or ``a -> b: {label: ..., style: dashed}``; a chain is several edges."""

    description = ("An edge: 'a -> b', 'a <-> b' (both ways), 'a -- b' (no arrowhead), chains 'a -> b -> c'; "
                   "a mapping 'a -> b: label' or 'a -> b: {label, style, seq, ...}'.")

    def check(self, value, pos, path, ctx: Ctx) -> bool:
        if isinstance(value, str):
            return self._arrows(value, pos, path, ctx)
        if isinstance(value, Map) and len(value) == 1:
            (text, opts), = value.items()
            ok = self._arrows(str(text), value.kpos[text], path, ctx)
            vpos = value.vpos[text]
            if isinstance(opts, str):
                return Str(max_len=200).check(opts, vpos, path + ".label", ctx) and ok
            if not isinstance(opts, Map):
                ctx.error(vpos, path, f"expected a label or a mapping of edge options after the edge, found "
                          f"{describe(opts)}; put it in quotes to use it as a label")
                return False
            return EDGE_OPTIONS.check(opts, vpos, path, ctx) and ok
        if isinstance(value, Map) and len(value) > 1:
            ctx.error(pos, path, f"one list item holds one edge, this one holds {len(value)} "
                      f"({', '.join(shown(k) for k in list(value)[:3])}); give each edge its own '- ' line")
            return False
        ctx.error(pos, path, f"expected an edge such as 'a -> b' or 'a -> b: label', found {describe(value)}")
        return False

    def _arrows(self, text: str, pos, path, ctx) -> bool:
        try:
            parse_arrows(text)
        except ArrowError as e:
            ctx.error(pos._replace(col=pos.col + e.offset), path, e.message)
            return False
        return True

    def json(self):
        arrow = {"type": "string", "pattern": ARROW_PATTERN}
        return self._doc({"anyOf": [
            arrow,
            {"type": "object", "minProperties": 1, "maxProperties": 1,
             "propertyNames": {"pattern": ARROW_PATTERN},
             "additionalProperties": {"anyOf": [{"type": "string", "maxLength": 200}, EDGE_OPTIONS.json()]}},
        ]})

    def parts(self) -> list[Type]:
        return [EDGE_OPTIONS]

    def convert(self, value, pos, key=None) -> tuple[Edge, ...]:
        opts: dict[str, Any]
        if isinstance(value, str):
            text, text_pos, opts = value, pos, {}
        else:
            (text, options), = value.items()
            text_pos = value.kpos[text]
            opts = {"label": options} if isinstance(options, str) else plain(options)

        def at_col(offset: int) -> Pos:
            return text_pos._replace(col=text_pos.col + offset)

        return tuple(Edge(src=h.src, dst=h.dst, pos=text_pos, src_pos=at_col(h.src_col), dst_pos=at_col(h.dst_col),
                          arrow=h.arrow, **opts) for h in parse_arrows(text))


class EdgeList(List):
    """The edges of a diagram; a chain written on one line gives several."""

    def convert(self, value, pos, key=None) -> tuple[Edge, ...]:
        return tuple(e for edges in super().convert(value, pos) for e in edges)


REMOVE = Record({
    "nodes": Field(List(Id(), "Nodes of the base to drop, with their edges.", max_items=5000)),
    "groups": Field(List(Id(), "Groups of the base to drop; their members stay.", max_items=500)),
    "edges": Field(List(Str("An edge of the base, written 'a -> b'.", max_len=200, pattern=ARROW_PATTERN,
                            pattern_hint="write an edge as 'a -> b'"), "Edges of the base to drop.",
                        max_items=20000)),
}, "What to drop from the base diagram (a spec with 'extends' only).", what="remove key")


@dataclass(frozen=True, kw_only=True, repr=False)
class Diagram:
    """One diagram."""

    id: str = key()
    pos: Pos = at()
    title: str = item(Str("Shown above the diagram.", max_len=200), required=True, stand_in="")
    step: str | None = item(Enum(STEPS, "Which framework step the diagram illustrates.", what="step"))
    direction: str | None = item(Enum(DIRECTIONS, "LR for system designs, BT for model architectures. Left out, "
                                            "the renderer tries LR and TB and keeps the page-shaped one.",
                                      what="direction"))
    caption: str = item(Str("One sentence shown on the cheat sheet.", max_len=500), default="")
    figures: tuple[str, ...] = item(List(
        Str("A figure number of the book, in quotes: '8.12'.", max_len=8, pattern=FIGURE_PATTERN,
            pattern_hint="a figure number is chapter.figure in quotes, e.g. '8.12'"),
        "The book's figures this diagram draws (`mlsd-diagrams figures` shows coverage).", max_items=20), default=())
    nodes: dict[str, Node] = item(Table(record_of(Node, "node key"), "The components, by id.", what="node",
                                        max_items=5000), required=True, stand_in={})
    groups: dict[str, Group] = item(Table(record_of(Group, "group key"), "Pipelines and other boxes, by id.",
                                          what="group", max_items=500), default={})
    edges: tuple[Edge, ...] = item(EdgeList(EdgeItem(), "Arrows between nodes.", max_items=20000), default=())
    rank: tuple[tuple[Ref, ...], ...] = item(List(
        List(IdRef(), min_items=2, max_items=100),
        "Layout hint: each list of node ids is placed side by side (same rank).", max_items=100), default=())
    lint: Lint | None = item(LINT)

    def __repr__(self) -> str:
        return f"<Diagram {self.id!r}: {self.title}; {len(self.nodes)} nodes, {len(self.edges)} edges>"

    @property
    def flow(self) -> str:
        """The direction the diagram reads in, for what needs one before any layout (LR when not written)."""
        return self.direction or "LR"

    def parent_of(self) -> dict[str, str]:
        """Map each node id and group id to the id of the group that directly holds it."""
        return dict(self._parents)

    def ancestors(self, member: str) -> list[str]:
        """The groups around a node or group, innermost first (a nesting cycle, which the checks report,
        is followed once round)."""
        parents, found = self._parents, []
        while member in parents and parents[member] not in found:
            member = parents[member]
            found.append(member)
        return found

    def members(self) -> dict[str | None, tuple[list[str], list[str]]]:
        """Container (a group id, or None for the top level) -> (group ids, node ids) directly inside it,
        in spec order."""
        out: dict[str | None, tuple[list[str], list[str]]] = {}
        for gid in self.groups:
            out.setdefault(self._parents.get(gid), ([], []))[0].append(gid)
        for nid in self.nodes:
            out.setdefault(self._parents.get(nid), ([], []))[1].append(nid)
        return out

    def feedback_edges(self) -> set[int]:
        """Indexes of the edges that go back against the reading order: those marked ``feedback``, and those
        that close a cycle when the diagram is walked in the order it is written (the first node written
        starts the flow). Layout ignores them when it ranks nodes, so a loop does not turn the picture
        round."""
        found = {i for i, e in enumerate(self.edges) if e.feedback}
        ahead: dict[str, list[tuple[str, int]]] = {n: [] for n in self.nodes}
        for i, e in enumerate(self.edges):
            # only one-way arrows make a flow: a two-way lookup (<->) or a plain line (--) closes no loop
            if e.arrow == "->" and e.constraint and e.src != e.dst and i not in found and e.src in ahead \
                    and e.dst in ahead:
                ahead[e.src].append((e.dst, i))
        state: dict[str, int] = {}  # 1 while being walked, 2 when done
        for start in self.nodes:
            if start in state:
                continue
            state[start] = 1
            stack = [(start, iter(ahead[start]))]
            while stack:
                node, steps = stack[-1]
                step = next(steps, None)
                if step is None:
                    state[node] = 2
                    stack.pop()
                    continue
                nxt, i = step
                if state.get(nxt) == 1:
                    found.add(i)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(ahead[nxt])))
        return found

    @functools.cached_property
    def _parents(self) -> dict[str, str]:
        parent: dict[str, str] = {}
        for g in self.groups.values():
            for ref in (*g.nodes, *g.groups):
                parent.setdefault(ref.id, g.id)
        return parent


def _bullets(description: str) -> List:
    return List(Str(max_len=300), description, max_items=40)


FRAMEWORK = Record({
    "requirements": Field(_bullets(STEP_TITLES["requirements"])),
    "framing": Field(Record({
        "objective": Field(Str(max_len=300)),
        "input": Field(Str(max_len=300)),
        "output": Field(Str(max_len=300)),
        "category": Field(Str(max_len=300)),
    }, "The ML objective, the model's input and output, and the ML category.", what="framing key")),
    "data": Field(_bullets(STEP_TITLES["data"])),
    "model": Field(_bullets(STEP_TITLES["model"])),
    "evaluation": Field(Record({
        "offline": Field(_bullets("Offline metrics.")),
        "online": Field(_bullets("Online (business) metrics.")),
    }, "Offline and online metrics.", what="evaluation key")),
    "serving": Field(_bullets(STEP_TITLES["serving"])),
    "monitoring": Field(_bullets(STEP_TITLES["monitoring"])),
}, "The seven steps of the framework, as short bullets.", what="framework step")


@dataclass(frozen=True, kw_only=True, repr=False)
class Spec:
    """An mlsd-diagrams spec: one case study."""

    pos: Pos = at()
    id: str = item(Id("Stable id; equals the file name without .yaml."), required=True, stand_in="")
    extends: str | None = item(Str("A bundled case study id or a relative path to a .yaml spec this one "
                                   "changes.", max_len=300))
    title: str = item(Str("The case study's title.", max_len=200), required=True, stand_in="")
    chapter: int | None = item(Int("Chapter of the book.", 1, 99))
    summary: str = item(Str("One or two sentences.", max_len=1000), default="")
    framework: dict[str, Any] = item(FRAMEWORK, default={})  # plain values
    lint: Lint | None = item(LINT)
    diagrams: dict[str, Diagram] = item(Table(
        record_of(Diagram, "diagram key", remove=Field(REMOVE)), "The diagrams, by id.", what="diagram",
        min_items=1, max_items=100), required=True, stand_in={})
    path: str = ""  # the file it was read from, as shown in messages (set by the loader)

    def __repr__(self) -> str:
        return f"<Spec {self.id!r}: {self.title}; diagrams {', '.join(self.diagrams)}>"
