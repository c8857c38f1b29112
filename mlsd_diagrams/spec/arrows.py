"""The edge mini-language: ``a -> b``, ``a <-> b``, ``a -- b`` and chains ``a -> b -> c``."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..core.types import ID_PATTERN

_ARROW_SPLIT = re.compile(r"\s*(<->|->|--)\s*")
_ID_RE = re.compile(ID_PATTERN)
_BACK_ARROW = re.compile(r"<-(?!>)")
_SIMPLE_BACK = re.compile(r"\s*([a-z][a-z0-9_]*)\s*<-\s*([a-z][a-z0-9_]*)\s*")
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
    back = _BACK_ARROW.search(text)
    if back:
        simple = _SIMPLE_BACK.fullmatch(text)
        hint = f"write {simple[2]} -> {simple[1]}" if simple else "turn the edge round and use '->'"
        raise ArrowError(f"'<-' is not an arrow; {hint}", back.start())
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
