"""Read YAML safely into plain values that remember where they came from.

PyYAML's composer gives every node a start mark; we turn the node tree into
dicts and lists (``Map`` and ``Seq``) that carry the position of each key and
value, so any later check can say ``file:line:col``. On the way we refuse what
PyYAML lets through silently: duplicate keys, non-UTF-8 bytes, Python tags,
merge keys, and alias expansions that blow up ("billion laughs").
"""

from __future__ import annotations

import yaml

from ..errors import Pos, Problem, SpecError

MAX_BYTES = 1_000_000  # a spec is a page of YAML; a megabyte is a mistake or an attack
MAX_VALUES = 100_000  # values after alias expansion

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}  # kept as written


class Map(dict):
    """A YAML mapping: ``pos`` of the mapping, ``kpos``/``vpos`` of each key and value."""

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.kpos: dict[str, Pos] = {}
        self.vpos: dict[str, Pos] = {}


class Seq(list):
    """A YAML sequence: ``pos`` of the sequence, ``ipos`` of each item."""

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.ipos: list[Pos] = []


def parse_file(path: str, display: str | None = None) -> tuple[object, list[Problem]]:
    """Read and parse one file; ``display`` is the name used in messages.

    Raises ``SpecError`` when nothing usable can be read. Problems that leave a
    usable tree (a duplicate key: the first one is kept) are returned beside
    it, so later checks can report theirs too.
    """
    name = display or str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SpecError([Problem(None, f"cannot read file: {e.strerror}", file=name)]) from None
    if len(data) > MAX_BYTES:
        raise SpecError(
            [Problem(None, f"file is larger than {MAX_BYTES:,} bytes; a spec should be far smaller", file=name)]
        )
    return parse_bytes(data, name)


def parse_bytes(data: bytes, name: str) -> tuple[object, list[Problem]]:
    """Parse YAML bytes (UTF-8 only) into ``Map``/``Seq``/scalars."""
    text = _decode(data, name)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = e.problem or e.context or "invalid YAML"
        if e.context and e.problem:
            msg = f"{e.problem} ({e.context})"
        pos = Pos(name, mark.line + 1, mark.column + 1) if mark else None
        lines = text.split("\n")
        if mark and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
            msg = "a tab character; YAML indents with spaces only"
        raise SpecError([Problem(pos, f"invalid YAML: {msg}", file=name)]) from None
    except yaml.YAMLError as e:
        raise SpecError([Problem(None, f"invalid YAML: {e}", file=name)]) from None
    if root is None:
        raise SpecError([Problem(Pos(name, 1, 1), "the document is empty; expected a mapping with id, title and diagrams")])
    return _Converter(name).convert(root)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError([Problem(Pos(name, 1, 1), "file is UTF-16 encoded; save it as UTF-8")])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SpecError(
            [Problem(Pos(name, line, col), f"byte 0x{data[e.start]:02x} is not valid UTF-8; save the file as UTF-8")]
        ) from None


class _Converter:
    def __init__(self, name: str):
        self.name = name
        self.count = 0
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def pos(self, node: yaml.Node) -> Pos:
        m = node.start_mark
        col = m.column + 1
        if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"'):
            col += 1  # point at the text, not the quote
        return Pos(self.name, m.line + 1, col)

    def convert(self, root: yaml.Node) -> tuple[object, list[Problem]]:
        value = self.value(root)
        return value, self.problems

    def value(self, node: yaml.Node) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            raise SpecError(
                [Problem(self.pos(node), f"document expands to more than {MAX_VALUES:,} values "
                         "(anchors and aliases repeated too often); refusing to expand it")]
            )
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                self.problems.append(Problem(self.pos(node), f"YAML tag {node.tag!r} is not allowed; write plain values"))
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problems.append(Problem(self.pos(node), f"YAML tag {node.tag!r} is not allowed; write plain values"))
            seq = Seq(self.pos(node))
            for item in node.value:
                seq.ipos.append(self.pos(item))
                seq.append(self.value(item))
            return seq
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> object:
        if node.tag in _TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.problems.append(Problem(self.pos(node), f"YAML tag {node.tag!r} is not allowed; write plain values"))
            return None
        return self.constructor.construct_object(node)

    def mapping(self, node: yaml.MappingNode) -> Map:
        m = Map(self.pos(node))
        for knode, vnode in node.value:
            kpos = self.pos(knode)
            if not isinstance(knode, yaml.ScalarNode):
                self.problems.append(Problem(kpos, "a mapping key must be a plain name, not a list or mapping"))
                continue
            if knode.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(kpos, "merge keys ('<<') are not supported; use 'extends' or write the keys out"))
                continue
            key = knode.value if knode.tag != "tag:yaml.org,2002:null" or knode.value else ""
            if key in m:
                first = m.kpos[key]
                self.problems.append(Problem(kpos, f"duplicate key {key!r} (first defined at line {first.line})"))
                continue
            m.kpos[key] = kpos
            m.vpos[key] = self.pos(vnode)
            m[key] = self.value(vnode)
        return m
