"""A small schema language: each type checks a located value and describes itself as JSON Schema.

The spec's schema (``schema.py``) is written in these types once; the loader
checks files with it and ``mlsd-diagrams schema`` prints it for editors, so
the two can never drift apart.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .errors import Pos, Problem
from .suggest import closest, did_you_mean
from .yamlsrc import Map, Seq, shown

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ROLE = "mlsd_diagrams.role"  # dataclass field metadata: "key" (the table key) or "pos" (where it was written)
_ID_RE = re.compile(ID_PATTERN)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newline and tab are fine
# Characters that make text display differently from what it is: bidirectional overrides, embeddings and
# isolates (the "Trojan Source" trick), and invisible spaces that split or join words unseen. Marks that
# right-to-left text needs (U+200E, U+200F, U+061C) and the joiners scripts and emoji need (U+200C, U+200D)
# stay allowed.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u180e]")


NOTHING = object()  # what ``salvage`` returns when nothing of a value is usable


def plain(value: object) -> Any:
    """Located containers -> plain dicts and lists, for values the model keeps as data."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def describe(value: object) -> str:
    """How a found value is named in messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"a string ({shown(value)})"
    if isinstance(value, int):
        return f"a number ({value})"
    return f"a {type(value).__name__} ({value!r})"


class Ctx:
    """Collects problems while a value tree is checked."""

    def __init__(self):
        self.problems: list[Problem] = []
        self._read_errors: set[Pos] | None = None

    def error(self, pos: Pos, path: str, message: str) -> None:
        # Problems found while reading (a refused YAML tag, an unreadable number) already explain the value
        # at their position; a type error at the same place would only repeat them.
        if self._read_errors is None:
            self._read_errors = {p.pos for p in self.problems if p.is_error and p.pos}
        if pos in self._read_errors:
            return
        where = f"{path}: " if path else ""
        self.problems.append(Problem(pos, where + message))


class Type:
    description = ""

    def check(self, value, pos: Pos, path: str, ctx: Ctx) -> bool:
        raise NotImplementedError

    def json(self) -> dict:
        raise NotImplementedError

    def convert(self, value: object, pos: Pos, key: str | None = None) -> Any:
        """The typed value for a checked one: plain Python values by default (see ``declare.build``)."""
        return plain(value)

    def parts(self) -> list[Type]:
        """The types this one holds, for the reference docs (the containers above say it themselves)."""
        return []

    def salvage(self, value: object, pos: Pos) -> object:
        """The well-formed part of a value that failed its check, or ``NOTHING`` when none is left. The
        loader runs the reference rules on what is salvaged, so one run reports every problem."""
        return value if self.check(value, pos, "", Ctx()) else NOTHING

    def _doc(self, schema: dict) -> dict:
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass
class Str(Type):
    description: str = ""
    max_len: int = 2000
    pattern: str | None = None
    pattern_hint: str = ""

    def check(self, value, pos, path, ctx):
        if not isinstance(value, str):
            # YAML reads yes, no, on, 1.0, 2024-01-01 and ~ as other types; quotes make them text
            hint = "; put it in quotes to use it as text" if not isinstance(value, (dict, list)) else ""
            ctx.error(pos, path, f"expected a string, found {describe(value)}{hint}")
            return False
        if len(value) > self.max_len:
            ctx.error(pos, path, f"text is {len(value):,} characters long; the limit is {self.max_len:,}")
            return False
        bad = _CONTROL.search(value)
        if bad:
            ctx.error(pos, path, f"text contains the control character U+{ord(bad.group()):04X} "
                      f"at character {bad.start() + 1}; remove it")
            return False
        hidden = _INVISIBLE.search(value)
        if hidden:
            ctx.error(pos, path, f"text contains the invisible character U+{ord(hidden.group()):04X} at character "
                      f"{hidden.start() + 1}, which makes it read differently from what it is; remove it")
            return False
        if self.pattern and not re.match(self.pattern, value):
            ctx.error(pos, path, f"{shown(value)} is not valid: {self.pattern_hint}")
            return False
        return True

    def json(self):
        s = {"type": "string", "maxLength": self.max_len}
        if self.pattern:
            s["pattern"] = self.pattern
        return self._doc(s)


@dataclass(frozen=True)
class Ref:
    """An id written somewhere (a group member, a rank hint), with its position."""

    id: str
    pos: Pos


class IdRef(Str):
    """An id that names something declared elsewhere; the typed value keeps where it was written."""

    def __init__(self, description: str = ""):
        super().__init__(description, max_len=64, pattern=ID_PATTERN,
                         pattern_hint="an id is snake_case: a lowercase letter, then lowercase letters, digits or '_'")

    def convert(self, value, pos, key=None):
        return Ref(value, pos)


def Id(description: str = "") -> Str:
    return Str(description, max_len=64, pattern=ID_PATTERN,
               pattern_hint="an id is snake_case: a lowercase letter, then lowercase letters, digits or '_'")


@dataclass
class _Range(Type):
    """A number within bounds; ``Int`` and ``Num`` say which numbers."""

    description: str = ""
    minimum: float = 0
    maximum: float = 1000
    _kinds: ClassVar[tuple[type, ...]] = (int, float)
    _noun: ClassVar[str] = "a number"
    _json_type: ClassVar[str] = "number"

    def check(self, value, pos, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not isinstance(value, self._kinds):
            ctx.error(pos, path, f"expected {self._noun}, found {describe(value)}")
            return False
        if not self.minimum <= value <= self.maximum:
            ctx.error(pos, path, f"expected a number from {self.minimum} to {self.maximum}, found {value}")
            return False
        return True

    def json(self):
        return self._doc({"type": self._json_type, "minimum": self.minimum, "maximum": self.maximum})


@dataclass
class Int(_Range):
    minimum: int = 0
    maximum: int = 10_000
    _kinds: ClassVar[tuple[type, ...]] = (int,)
    _noun: ClassVar[str] = "a whole number"
    _json_type: ClassVar[str] = "integer"


@dataclass
class Num(_Range):
    def convert(self, value, pos, key=None):
        return float(value)  # checked: an int or a float


@dataclass
class Bool(Type):
    description: str = ""

    def check(self, value, pos, path, ctx):
        if not isinstance(value, bool):
            ctx.error(pos, path, f"expected true or false, found {describe(value)}")
            return False
        return True

    def json(self):
        return self._doc({"type": "boolean"})


@dataclass
class Enum(Type):
    choices: tuple[str, ...]
    description: str = ""
    what: str = "value"

    def check(self, value, pos, path, ctx):
        if not isinstance(value, str):
            ctx.error(pos, path, f"expected one of: {', '.join(self.choices)}; found {describe(value)}")
            return False
        if value not in self.choices:
            ctx.error(pos, path, f"unknown {self.what} {shown(value)}; expected one of: "
                      f"{', '.join(self.choices)}{did_you_mean(value, self.choices)}")
            return False
        return True

    def json(self):
        return self._doc({"enum": list(self.choices)})


@dataclass
class List(Type):
    item: Type
    description: str = ""
    min_items: int = 0
    max_items: int = 1000

    def check(self, value, pos, path, ctx):
        if not isinstance(value, Seq):
            ctx.error(pos, path, f"expected a list, found {describe(value)}")
            return False
        if not self.min_items <= len(value) <= self.max_items:
            ctx.error(pos, path, f"expected {self.min_items} to {self.max_items} items, found {len(value)}")
            return False
        ok = True
        for i, (item, ipos) in enumerate(zip(value, value.ipos, strict=False)):
            ok &= self.item.check(item, ipos, f"{path}[{i}]", ctx)
        return ok

    def json(self):
        return self._doc({"type": "array", "items": self.item.json(),
                          "minItems": self.min_items, "maxItems": self.max_items})

    def convert(self, value, pos, key=None):
        return tuple(self.item.convert(v, p) for v, p in zip(value, value.ipos, strict=True))

    def salvage(self, value, pos):
        if not isinstance(value, Seq):
            return NOTHING
        out = Seq(value.pos)
        for item, ipos in zip(value, value.ipos, strict=True):
            kept = self.item.salvage(item, ipos)
            if kept is not NOTHING:
                out.append(kept)
                out.ipos.append(ipos)
        return out


@dataclass
class Field:
    type: Type
    required: bool = False
    default: object = None  # what the typed model holds when the key is absent (shown in the JSON Schema)
    stand_in: object = NOTHING  # a required key's neutral value while the rest of a broken file is checked


@dataclass
class Record(Type):
    """A mapping with a fixed set of keys."""

    fields: dict[str, Field]
    description: str = ""
    what: str = "key"
    cls: type | None = None  # the dataclass a checked mapping becomes (``declare.record_of``); None: a plain dict

    def check(self, value, pos, path, ctx):
        if not isinstance(value, Map):
            ctx.error(pos, path, f"expected a mapping with keys {', '.join(self.fields)}; found {describe(value)}")
            return False
        ok = True
        for key in value:
            sub = f"{path}.{key}" if path else str(key)
            if key not in self.fields:
                ctx.error(value.kpos[key], path, f"unknown {self.what} {shown(key)}; expected one of: "
                          f"{', '.join(self.fields)}{did_you_mean(key, self.fields)}")
                ok = False
            else:
                ok &= self.fields[key].type.check(value[key], value.vpos[key], sub, ctx)
        # a misspelled required key is one mistake: "unknown key 'titel'; did you mean 'title'?" says it all
        meant = {closest(k, self.fields) for k in value if k not in self.fields}
        missing = [k for k, f in self.fields.items() if f.required and k not in value and k not in meant]
        for key in missing:
            ctx.error(value.pos, path, f"missing required key {key!r}")
            ok = False
        return ok

    def json(self):
        properties = {}
        for k, f in self.fields.items():
            properties[k] = f.type.json()
            if isinstance(f.default, (str, int, float)) and f.default != "":
                properties[k]["default"] = f.default
        return self._doc({
            "type": "object",
            "properties": properties,
            "required": [k for k, f in self.fields.items() if f.required],
            "additionalProperties": False,
        })

    def convert(self, value, pos, key=None):
        """A checked mapping -> an instance of ``cls`` (absent keys take the dataclass's defaults)."""
        if self.cls is None:
            return plain(value)
        where = getattr(value, "vpos", {})
        kwargs: dict[str, Any] = {}
        for name, role, type_ in self._plan:
            if role == "key":
                kwargs[name] = key
            elif role == "pos":
                kwargs[name] = pos
            elif type_ is not None and name in value:
                kwargs[name] = type_.convert(value[name], where.get(name, pos))
        return self.cls(**kwargs)

    def salvage(self, value, pos):
        if not isinstance(value, Map):  # unusable content; the entry still exists, if stand-ins can fill it
            value = Map(pos)
        out = Map(value.pos)
        for key, f in self.fields.items():
            kept = f.type.salvage(value[key], value.vpos[key]) if key in value else NOTHING
            if kept is NOTHING and f.required:
                kept = f.stand_in
                if kept is NOTHING:
                    return NOTHING
            if kept is not NOTHING:
                out[key] = kept
                out.kpos[key] = value.kpos.get(key, value.pos)
                out.vpos[key] = value.vpos.get(key, value.pos)
        return out

    @functools.cached_property
    def _plan(self) -> list[tuple[str, str | None, Type | None]]:
        """Per field of ``cls``: its name, its role (key, pos) and the type of the key it comes from."""
        assert self.cls is not None
        return [(f.name, f.metadata.get(ROLE), self.fields[f.name].type if f.name in self.fields else None)
                for f in dataclasses.fields(self.cls)]


@dataclass
class Table(Type):
    """A mapping from ids to values of one type (nodes, groups, diagrams)."""

    value: Type
    description: str = ""
    what: str = "entry"
    min_items: int = 0
    max_items: int = 2000

    def check(self, value, pos, path, ctx):
        if not isinstance(value, Map):
            ctx.error(pos, path, f"expected a mapping of {self.what} ids to {self.what}s, found {describe(value)}")
            return False
        ok = True
        if not self.min_items <= len(value) <= self.max_items:
            ctx.error(pos, path, f"expected {self.min_items} to {self.max_items} {self.what}s, found {len(value)}")
            ok = False
        for key, item in value.items():
            crumb = key
            if not _ID_RE.match(str(key)) or len(str(key)) > 64:
                ctx.error(value.kpos[key], path, f"{self.what} id {shown(key)} is not valid: an id is snake_case "
                          "(a lowercase letter, then lowercase letters, digits or '_', at most 64)")
                ok = False
                crumb = f"[{shown(key)}]"  # never echo raw control codes or a megabyte in a breadcrumb
            ok &= self.value.check(item, value.vpos[key], f"{path}.{crumb}", ctx)
        return ok

    def json(self):
        return self._doc({
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN, "maxLength": 64},
            "additionalProperties": self.value.json(),
            "minProperties": self.min_items,
            "maxProperties": self.max_items,
        })

    def convert(self, value, pos, key=None):
        return {k: self.value.convert(v, value.kpos[k], key=k) for k, v in value.items()}

    def salvage(self, value, pos):
        if not isinstance(value, Map):
            return NOTHING
        out = Map(value.pos)
        for k, v in value.items():
            kept = self.value.salvage(v, value.vpos[k]) if _ID_RE.match(str(k)) and len(str(k)) <= 64 else NOTHING
            if kept is not NOTHING:
                out[k], out.kpos[k], out.vpos[k] = kept, value.kpos[k], value.vpos[k]
        return out


@dataclass
class Either(Type):
    """The first alternative whose shape fits the value checks it."""

    options: list[tuple[type | tuple[type, ...], Type]] = field(default_factory=list)
    description: str = ""
    expected: str = ""

    def check(self, value, pos, path, ctx):
        for py_type, t in self.options:
            if isinstance(value, py_type) and not isinstance(value, bool):
                return t.check(value, pos, path, ctx)
        ctx.error(pos, path, f"expected {self.expected}, found {describe(value)}")
        return False

    def json(self):
        return self._doc({"anyOf": [t.json() for _, t in self.options]})
