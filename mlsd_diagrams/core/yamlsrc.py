"""Read YAML safely into plain values that remember where they came from.

PyYAML's composer gives every node a start mark; we turn the node tree into
dicts and lists (``Map`` and ``Seq``) that carry the position of each key and
value, so any later check can say ``file:line:col``. On the way we refuse what
PyYAML lets through silently: duplicate keys, non-UTF-8 bytes, Python tags,
merge keys, and alias expansions that blow up ("billion laughs"). Whatever the
bytes, the only exception that leaves this module is ``SpecError``.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata

import yaml

from .errors import Pos, Problem, SpecError
from .reads import note

MAX_BYTES = 1_000_000  # a spec is a page of YAML; a megabyte is a mistake or an attack
MAX_VALUES = 100_000  # values after alias expansion
MAX_DEPTH = 50  # the deepest real spec nests about 8 levels (diagrams.x.edges[0].'a -> b'.style)
MAX_NUMBER_DIGITS = 100  # Python refuses to convert ints beyond 4300 digits; no spec needs a long number

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}  # kept as written
_NULL_TAG = "tag:yaml.org,2002:null"
# What YAML 1.1 forbids in a stream (PyYAML's Reader.NON_PRINTABLE); found here first to give a position.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# YAML 1.1 breaks lines at these too, editors do not: every line number after one would be wrong.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_MAGIC = {  # binary formats people save by mistake under a .yaml name
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive", b"%PDF": "a PDF document", b"\x7fELF": "a program", b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive", b"SQLite format 3": "an SQLite database",
}


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


def shown(value: object, limit: int = 40) -> str:
    """``repr`` of a value for a message, cut short: a message never echoes a megabyte or a raw control code."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def read_spec_bytes(path: str, name: str) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; anything else is a ``SpecError``.

    Opened without blocking and checked with ``fstat``, so a FIFO or a device (``/dev/zero``,
    a named pipe) is refused instead of hanging or streaming forever.
    """
    note(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise SpecError([Problem(None, f"cannot read file: {e.strerror}", file=name)]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise SpecError([Problem(None, f"cannot read file: it is {what}; a spec is a YAML text file", file=name)])
        if info.st_size > MAX_BYTES:
            raise SpecError([_too_big(name)])
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise SpecError([Problem(None, f"cannot read file: {e.strerror}", file=name)]) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_BYTES:  # the file grew while we read it
        raise SpecError([_too_big(name)])
    return data


def _too_big(name: str) -> Problem:
    return Problem(None, f"file is larger than {MAX_BYTES:,} bytes; a spec should be far smaller", file=name)


def parse_file(path: str, display: str | None = None) -> tuple[object, list[Problem]]:
    """Read and parse one file; ``display`` is the name used in messages.

    Raises ``SpecError`` when nothing usable can be read. Problems that leave a
    usable tree (a duplicate key: the first one is kept) are returned beside
    it, so later checks can report theirs too.
    """
    name = display or str(path)
    return parse_bytes(read_spec_bytes(path, name), name)


def parse_bytes(data: bytes, name: str) -> tuple[object, list[Problem]]:
    """Parse YAML bytes (UTF-8 only) into ``Map``/``Seq``/scalars."""
    if len(data) > MAX_BYTES:
        raise SpecError([_too_big(name)])
    text = _decode(data, name)
    bad = _NON_PRINTABLE.search(text)
    if bad:
        raise SpecError([Problem(_pos_at(text, bad.start(), name), _non_printable(bad.group()))])
    odd = _ODD_BREAKS.search(text)
    if odd:
        char = odd.group()
        what = f"the character U+{ord(char):04X} ({unicodedata.name(char, 'next line').lower()})"
        raise SpecError([Problem(_pos_at(text, odd.start(), name), f"{what} breaks lines in YAML but not in "
                                 "editors; replace it with a newline or a space")])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        pos, msg = _yaml_error(e, text, name)
        raise SpecError([Problem(pos, f"invalid YAML: {msg}", file=name)]) from None
    except yaml.YAMLError as e:  # a ReaderError; the scan above should have caught it first
        where = getattr(e, "position", None)
        pos = _pos_at(text, where, name) if isinstance(where, int) else None
        raise SpecError([Problem(pos, f"invalid YAML: {getattr(e, 'reason', None) or e}", file=name)]) from None
    except RecursionError:  # only the pure-Python loader recurses; libyaml stops at 1000 levels itself
        raise SpecError([Problem(Pos(name, 1, 1), _too_deep())]) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
        raise SpecError([Problem(Pos(name, 1, 1),
                                 "the document is empty; expected a mapping with id, title and diagrams")])
    return _Converter(name).convert(root)


def _pos_at(text: str, index: int, name: str) -> Pos:
    before = text[:index]
    return Pos(name, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def _non_printable(char: str) -> str:
    code = ord(char)
    label = unicodedata.name(char, "").lower() or {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}.get(code, "")
    what = f"the control character U+{code:04X}" + (f" ({label})" if label else "")
    if code == 0:
        return f"{what}: this looks like binary data, not a YAML text file"
    return f"{what} is not allowed in a YAML file; remove it"


def _too_deep() -> str:
    return f"values nest more than {MAX_DEPTH} levels deep; a spec needs far fewer (check the brackets)"


def _yaml_error(e: yaml.MarkedYAMLError, text: str, name: str) -> tuple[Pos | None, str]:
    """PyYAML's (libyaml's) wording, made specific: what was found, where it started, what to do."""
    pm, cm = e.problem_mark, e.context_mark
    mark = pm or cm
    problem, context = e.problem or "", e.context or ""
    lines = text.split("\n")
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    char = line[mark.column:mark.column + 1] if mark else ""
    at = lambda m: Pos(name, m.line + 1, m.column + 1)  # noqa: E731
    opened = f"line {cm.line + 1}, column {cm.column + 1}" if cm else "?"
    if char == "\t":
        return at(mark), "a tab character; YAML indents with spaces only"
    if "maximum nesting depth" in problem:
        return at(mark), _too_deep()
    if "another document" in problem:
        return at(mark), "a spec file holds one YAML document; a second one starts here (remove the '---')"
    if "end of stream" in problem and "quoted scalar" in context:
        return at(cm or mark), "this quoted text is never closed; add the closing quote"
    if "cannot start any token" in problem:
        return at(mark), f"{char!r} cannot start a value; put the text in quotes"
    if "undefined alias" in problem:
        alias = re.match(r"\*[^\s,\[\]{}]*", line[mark.column:]) if mark else None
        found = f" {alias.group()!r}" if alias else ""
        return at(mark), f"alias{found} names no anchor defined before it (an anchor is written '&name')"
    if "could not find expected ':'" in problem and cm:
        return at(cm), ("expected ':' after this key; a line in a mapping is 'key: value' "
                        "(and a key is at most 1024 characters)")
    if "mapping values are not allowed" in problem:
        return at(mark), ("a ':' here starts a mapping where none can be; put text that contains ': ' "
                          "in quotes, or check the indentation")
    if "unknown escape character" in problem:
        return at(mark), ("unknown backslash escape in double-quoted text; use single quotes, "
                          "or write a backslash as '\\\\'")
    flow = re.match(r"did not find expected ',' or '([\]}])'", problem)
    if flow and cm:
        what = "list" if flow.group(1) == "]" else "mapping"
        return at(mark), (f"the {what} opened with {'[' if what == 'list' else '{'!r} at {opened} is not closed; "
                          f"expected ',' or {flow.group(1)!r} here")
    if "expected key" in problem and "block mapping" in context:
        return at(mark), f"expected a key here; check the indentation (the mapping starts at {opened})"
    if "'-' indicator" in problem:
        return at(mark), f"expected a list item ('- ...') here; check the indentation (the list starts at {opened})"
    if problem and context:
        return at(mark) if mark else None, f"{problem} ({context}, from {opened})"
    return (at(mark) if mark else None), problem or context or "invalid YAML"


def _decode(data: bytes, name: str) -> str:
    start = Pos(name, 1, 1)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise SpecError([Problem(start, "file is UTF-32 encoded; save it as UTF-8")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError([Problem(start, "file is UTF-16 encoded; save it as UTF-8")])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise SpecError([Problem(start, f"file is {what}, not YAML text; a spec is a UTF-8 text file")])
    head = data[:64]
    if head and b"\x00" in head and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4):
        raise SpecError([Problem(start, "file looks UTF-16 or UTF-32 encoded (NUL bytes between the letters); "
                                        "save it as UTF-8")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        sample = data[:4096]
        if b"\x00" in sample or sample.decode("utf-8", "replace").count("\ufffd") > max(8, len(sample) // 10):
            raise SpecError([Problem(start, "file is binary data, not YAML text; a spec is a UTF-8 text file")]) \
                from None
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1  # in characters, as editors count
        raise SpecError(
            [Problem(Pos(name, line, col), f"byte 0x{data[e.start]:02x} is not valid UTF-8 (the file is probably "
                                           "Latin-1 or Windows-1252); save it as UTF-8")]
        ) from None


class _Converter:
    def __init__(self, name: str):
        self.name = name
        self.count = 0
        self.depth = 0
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
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if self.depth >= MAX_DEPTH:
            raise SpecError([Problem(self.pos(node), _too_deep())])
        self.depth += 1
        try:
            if isinstance(node, yaml.MappingNode):
                if node.tag != "tag:yaml.org,2002:map":
                    self._tag(node)
                return self.mapping(node)
            if node.tag != "tag:yaml.org,2002:seq":
                self._tag(node)
            seq = Seq(self.pos(node))
            for item in node.value:
                seq.ipos.append(self.pos(item))
                seq.append(self.value(item))
            return seq
        finally:
            self.depth -= 1

    def _tag(self, node: yaml.Node) -> None:
        self.problems.append(Problem(self.pos(node),
                                     f"YAML tag {shown(node.tag, 60)} is not allowed; write plain values"))

    def scalar(self, node: yaml.ScalarNode) -> object:
        if node.tag in _TEXT_TAGS or node.tag == "tag:yaml.org,2002:str":
            return node.value  # what the constructor would return, without its bookkeeping (most scalars)
        if node.tag not in _SCALAR_TAGS:
            self._tag(node)
            return None
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(node.value) > MAX_NUMBER_DIGITS:
            self.problems.append(Problem(self.pos(node), f"a number {len(node.value):,} characters long; "
                                         "put it in quotes if it is text"))
            return None
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            self.problems.append(Problem(self.pos(node), f"cannot read {shown(node.value)} as a value; "
                                         "put it in quotes if it is text"))
            return None

    def mapping(self, node: yaml.MappingNode) -> Map:
        m = Map(self.pos(node))
        for knode, vnode in node.value:
            kpos = self.pos(knode)
            if not isinstance(knode, yaml.ScalarNode):
                self.problems.append(Problem(kpos, "a mapping key must be a plain name, not a list or mapping"))
                continue
            if knode.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(kpos, "merge keys ('<<') are not supported; "
                                             "use 'extends' or write the keys out"))
                continue
            key = knode.value if knode.tag != _NULL_TAG or knode.value else ""
            if key in m:
                first = m.kpos[key]
                self.problems.append(Problem(kpos, f"duplicate key {shown(key)} (first defined at line {first.line})"))
                continue
            m.kpos[key] = kpos
            m.vpos[key] = self.pos(vnode)
            m[key] = self.value(vnode)
        return m
