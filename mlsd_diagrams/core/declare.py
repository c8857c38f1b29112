"""One declaration per structure: a frozen dataclass whose fields carry their types.

A spec's node, a diagram, a theme: each is declared once, as a dataclass. A
field made with ``item`` holds the key's type (from ``types``), whether it is
required, and its default. From the class come

- ``record_of(cls)``: the positioned checker, whose ``json()`` is the JSON Schema;
- ``build(cls, tree)``: the typed value, absent keys taking the declared defaults;
- ``reference.markdown``: the reference documentation.

Adding a key to the format is adding one field.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from .errors import Pos
from .types import NOTHING, ROLE, Field, Record, Type

T = TypeVar("T")
_SPEC = "mlsd_diagrams.field"
_records: dict[type, Record] = {}  # build's checker per class, made once


def item(type_: Type, *, required: bool = False, default: Any = None, stand_in: Any = NOTHING) -> Any:
    """A key of the format: its type, whether it is required, and the value the model holds without it.

    ``stand_in`` is a required key's neutral value while a broken file is checked for everything else
    (a node with an unknown kind still counts as a node its edges can reach)."""
    spec = Field(type_, required, default, stand_in)
    if required:
        return dataclasses.field(metadata={_SPEC: spec})
    if isinstance(default, (dict, list)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata={_SPEC: spec})
    return dataclasses.field(default=default, metadata={_SPEC: spec})


def key() -> Any:
    """The id a table holds the value under (a node's id)."""
    return dataclasses.field(metadata={ROLE: "key"})


def at() -> Any:
    """Where the value was written."""
    return dataclasses.field(metadata={ROLE: "pos"})


def record_of(cls: type, what: str = "key", **extra: Field) -> Record:
    """The checker for ``cls``: its ``item`` fields, in order, plus ``extra`` keys the model does not keep."""
    fields = {f.name: f.metadata[_SPEC] for f in dataclasses.fields(cls) if _SPEC in f.metadata}
    description = (cls.__doc__ or "").strip().split("\n")[0]
    return Record({**fields, **extra}, description, what=what, cls=cls)


def build(cls: type[T], tree: Any, pos: Pos | None = None, **given: Any) -> T:
    """A checked tree -> an instance of ``cls``; ``given`` sets fields that do not come from the tree."""
    record = _records.get(cls) or _records.setdefault(cls, record_of(cls))
    value = record.convert(tree, pos or getattr(tree, "pos", None))
    return dataclasses.replace(value, **given) if given else value
