"""The spec format, defined once: the loader checks files with it and ``schema`` prints it."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from ..core.types import ID_PATTERN, Bool, Ctx, Enum, Field, Id, Int, List, Record, Str, Table, Type, describe
from ..core.yamlsrc import Map, shown
from ..vocabulary import ARROWS, COLORS, DIRECTIONS, EDGE_STYLES, ICONS, KIND_HELP, KINDS, STEP_TITLES, STEPS  # noqa: F401
from .icons import IconRef

_ARROW_SPLIT = re.compile(r"\s*(<->|->|--)\s*")
_ID_RE = re.compile(ID_PATTERN)
FIGURE_PATTERN = r"^[1-9][0-9]?\.[1-9][0-9]?$"
ARROW_PATTERN = r"^\s*[a-z][a-z0-9_]*(\s*(->|<->|--)\s*[a-z][a-z0-9_]*)+\s*$"


@dataclass(frozen=True)
class Hop:
    src: str
    arrow: str
    dst: str
    src_col: int  # offset of each id inside the text, for precise error columns
    dst_col: int


class ArrowError(ValueError):
    """Why an edge's text does not parse, and where in the text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message, self.offset = message, offset


@functools.lru_cache(maxsize=4096)  # the schema check and the model builder both parse every edge
def parse_arrows(text: str) -> tuple[Hop, ...]:
    """``"a -> b <-> c"`` -> its hops; ``ArrowError`` says what is wrong and where."""
    parts = _ARROW_SPLIT.split(text)
    # parts alternate id, arrow, id, arrow, id ...
    if len(parts) < 3:
        raise ArrowError(f"expected an edge such as 'a -> b', 'a <-> b' or 'a -- b', found {text!r}", 0)
    ids = parts[0::2]
    offsets, at = [], 0
    for i, p in enumerate(parts):
        if i % 2 == 0:
            start = text.index(p, at) if p else at
            offsets.append(start)
            at = start + len(p)
        else:
            at = text.index(p.strip(), at) + len(p.strip())
    for ident, off in zip(ids, offsets, strict=False):
        if not ident.strip():
            raise ArrowError(f"edge {text!r} is missing a node id here", off)
        if not _ID_RE.match(ident.strip()):
            raise ArrowError(f"edge end {ident.strip()!r} is not a node id; ids are snake_case", off)
    ids = [i.strip() for i in ids]
    return tuple(Hop(ids[k], parts[2 * k + 1], ids[k + 1], offsets[k], offsets[k + 1]) for k in range(len(ids) - 1))


EDGE_OPTIONS = Record({
    "label": Field(Str("Text shown on the arrow.", max_len=200)),
    "style": Field(Enum(EDGE_STYLES, "solid carries data; dashed is a lookup.", what="edge style")),
    "seq": Field(Int("Sequence number of a request/response step (shown as a circled number).", 1, 20)),
    "loop": Field(Bool("Allow an edge from a node to itself.")),
    "constraint": Field(Bool("false: the edge does not push its ends into different ranks (layout hint).")),
    "weight": Field(Int("Layout hint: a heavier edge is kept shorter and straighter.", 0, 100)),
    "minlen": Field(Int("Layout hint: the minimum rank distance between the ends.", 0, 10)),
}, "Edge options.", what="edge option")


class EdgeItem(Type):
    """``a -> b``, ``a -> b: label`` or ``a -> b: {label: ..., style: dashed}``."""

    description = ("An edge: 'a -> b', 'a <-> b' (both ways), 'a -- b' (no arrowhead), chains 'a -> b -> c'; "
                   "a mapping 'a -> b: label' or 'a -> b: {label, style, seq, ...}'.")

    def check(self, value, pos, path, ctx: Ctx) -> bool:
        if isinstance(value, str):
            return self._arrows(value, pos, path, ctx)
        if isinstance(value, Map) and len(value) == 1:
            (key, opts), = value.items()
            ok = self._arrows(str(key), value.kpos[key], path, ctx)
            vpos = value.vpos[key]
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


Bullets = lambda d: List(Str(max_len=300), d, max_items=40)  # noqa: E731

NODE = Record({
    "label": Field(Str("Text in the box; keep it short, it wraps by itself.", max_len=200), required=True),
    "kind": Field(Enum(KINDS, "What the node is; themes style each kind.", what="kind"), required=True),
    "icon": Field(IconRef(ICONS, "A pictogram drawn beside the label: a built-in name, or a relative path "
                                 "to a .png file inside the spec's folder (at most 512 KB).")),
    "color": Field(Enum(COLORS, "Override the kind's fill, e.g. green for the positive item.", what="color")),
    "step": Field(Enum(STEPS, "The framework step this node belongs to (reveal --by step).", what="step")),
}, "A component.", what="node key")

GROUP = Record({
    "label": Field(Str("Title of the dashed box, e.g. 'Prediction pipeline'.", max_len=120), required=True),
    "nodes": Field(List(Id(), "Ids of the nodes inside.", max_items=200)),
    "groups": Field(List(Id(), "Ids of groups nested inside this one.", max_items=50)),
    "step": Field(Enum(STEPS, "The framework step this group belongs to.", what="step")),
}, "A dashed, labelled box around nodes (a pipeline).", what="group key")

REMOVE = Record({
    "nodes": Field(List(Id(), "Nodes of the base to drop, with their edges.", max_items=5000)),
    "groups": Field(List(Id(), "Groups of the base to drop; their members stay.", max_items=500)),
    "edges": Field(List(Str("An edge of the base, written 'a -> b'.", max_len=200, pattern=ARROW_PATTERN,
                            pattern_hint="write an edge as 'a -> b'"), "Edges of the base to drop.",
                        max_items=20000)),
}, "What to drop from the base diagram (a spec with 'extends' only).", what="remove key")

DIAGRAM = Record({
    "title": Field(Str("Shown above the diagram.", max_len=200), required=True),
    "step": Field(Enum(STEPS, "Which framework step the diagram illustrates.", what="step")),
    "direction": Field(Enum(DIRECTIONS, "LR for system designs, BT for model architectures.", what="direction")),
    "caption": Field(Str("One sentence shown on the cheat sheet.", max_len=500)),
    "figures": Field(List(Str("A figure number of the book, in quotes: '8.12'.", max_len=8, pattern=FIGURE_PATTERN,
                              pattern_hint="a figure number is chapter.figure in quotes, e.g. '8.12'"),
                          "The book's figures this diagram draws (`mlsd-diagrams figures` shows coverage).",
                          max_items=20)),
    "nodes": Field(Table(NODE, "The components, by id.", what="node", max_items=5000), required=True),
    "groups": Field(Table(GROUP, "Pipelines and other boxes, by id.", what="group", max_items=500)),
    "edges": Field(List(EdgeItem(), "Arrows between nodes.", max_items=20000)),
    "rank": Field(List(List(Id(), min_items=2, max_items=100), "Layout hint: each list of node ids is "
                       "placed side by side (same rank).", max_items=100)),
    "remove": Field(REMOVE),
}, "One diagram.", what="diagram key")

FRAMING = Record({
    "objective": Field(Str(max_len=300)),
    "input": Field(Str(max_len=300)),
    "output": Field(Str(max_len=300)),
    "category": Field(Str(max_len=300)),
}, "The ML objective, the model's input and output, and the ML category.", what="framing key")

EVALUATION = Record({
    "offline": Field(Bullets("Offline metrics.")),
    "online": Field(Bullets("Online (business) metrics.")),
}, "Offline and online metrics.", what="evaluation key")

FRAMEWORK = Record({
    "requirements": Field(Bullets(STEP_TITLES["requirements"])),
    "framing": Field(FRAMING),
    "data": Field(Bullets(STEP_TITLES["data"])),
    "model": Field(Bullets(STEP_TITLES["model"])),
    "evaluation": Field(EVALUATION),
    "serving": Field(Bullets(STEP_TITLES["serving"])),
    "monitoring": Field(Bullets(STEP_TITLES["monitoring"])),
}, "The seven steps of the framework, as short bullets.", what="framework step")

class _Spec(Type):
    """A spec. One that ``extends`` another names only what it changes: nothing but its id is required, and
    a diagram it changes needs no title or nodes. (The loader checks the merged result in full.)"""

    def __init__(self, full: Record):
        self.full, self.description = full, full.description
        table = full.fields["diagrams"].type
        assert isinstance(table, Table) and isinstance(table.value, Record)
        diagram = replace(table.value, fields={k: Field(f.type) for k, f in table.value.fields.items()})
        self.partial = replace(full, fields={**{k: Field(f.type, required=k == "id") for k, f in full.fields.items()},
                                             "diagrams": Field(replace(table, value=diagram, min_items=0))})

    def check(self, value, pos, path, ctx: Ctx) -> bool:
        shape = self.partial if isinstance(value, Map) and "extends" in value else self.full
        return shape.check(value, pos, path, ctx)

    def json(self):
        schema = self.full.json()
        diagram = schema["properties"]["diagrams"]["additionalProperties"]
        strict = {"required": [k for k in schema["required"] if k != "id"],
                  "properties": {"diagrams": {"additionalProperties": {"required": diagram.pop("required")}}}}
        schema.update({"required": ["id"], "if": {"required": ["extends"]}, "else": strict})
        return schema


SPEC = _Spec(Record({
    "id": Field(Id("Stable id; equals the file name without .yaml."), required=True),
    "extends": Field(Str("A bundled case study id or a relative path to a .yaml spec this one changes.",
                         max_len=300)),
    "title": Field(Str("The case study's title.", max_len=200), required=True),
    "chapter": Field(Int("Chapter of the book.", 1, 99)),
    "summary": Field(Str("One or two sentences.", max_len=1000)),
    "framework": Field(FRAMEWORK),
    "diagrams": Field(Table(DIAGRAM, "The diagrams, by id.", what="diagram", min_items=1, max_items=100),
                      required=True),
}, "An mlsd-diagrams spec: one case study.", what="top-level key"))

def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) that editors use to complete and check specs."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/mlsd-diagrams/mlsd-diagrams/spec.schema.json",
        "title": "mlsd-diagrams spec",
    }
    schema.update(SPEC.json())
    return schema
