"""One declaration per structure: the checker, the JSON Schema, the typed value with its defaults and the
reference docs all come from the dataclass, so adding a key is adding a field."""

from dataclasses import dataclass

from mlsd_diagrams.core.declare import at, build, item, key, record_of
from mlsd_diagrams.core.errors import Pos
from mlsd_diagrams.core.reference import markdown
from mlsd_diagrams.core.types import Ctx, Enum, Int, List, Str, Table
from mlsd_diagrams.core.yamlsrc import parse_bytes


@dataclass(frozen=True, kw_only=True)
class Lamp:
    """A lamp."""

    id: str = key()
    pos: Pos = at()
    colour: str = item(Enum(("red", "green"), "Its colour.", what="colour"), required=True)
    watts: int = item(Int("Its power.", 1, 100), default=40)  # <- the one line a new key costs


@dataclass(frozen=True, kw_only=True)
class Room:
    """A room."""

    name: str = item(Str("What it is called."), required=True)
    lamps: dict[str, Lamp] = item(Table(record_of(Lamp, "lamp key"), "Its lamps, by id.", what="lamp"), default={})
    tags: tuple[str, ...] = item(List(Str()), default=())


ROOM = record_of(Room, "room key")


def check(text: str):
    tree, problems = parse_bytes(text.encode(), "room.yaml")
    ctx = Ctx()
    ctx.problems.extend(problems)
    ROOM.check(tree, tree.pos, "", ctx)
    return tree, [str(p) for p in ctx.problems]


def test_the_checker_knows_every_declared_key_and_no_other():
    _, problems = check("name: hall\nlamps:\n  a: {colour: red, watt: 60}\n")
    assert problems == ["room.yaml:3:20: error: lamps.a: unknown lamp key 'watt'; expected one of: colour, watts; "
                        "did you mean 'watts'?"]
    _, problems = check("name: hall\nlamps:\n  a: {watts: 500}\n")
    assert problems == ["room.yaml:3:14: error: lamps.a.watts: expected a number from 1 to 100, found 500",
                        "room.yaml:3:6: error: lamps.a: missing required key 'colour'"]


def test_the_typed_value_takes_the_declared_defaults():
    tree, problems = check("name: hall\nlamps:\n  a: {colour: red}\n  b: {colour: green, watts: 60}\n")
    assert problems == []
    room = build(Room, tree)
    assert room.name == "hall" and room.tags == ()
    assert (room.lamps["a"].id, room.lamps["a"].watts, room.lamps["b"].watts) == ("a", 40, 60)
    assert room.lamps["b"].pos == Pos("room.yaml", 4, 3)


def test_the_json_schema_and_the_docs_come_from_the_same_fields():
    lamp = ROOM.json()["properties"]["lamps"]["additionalProperties"]
    assert lamp["properties"]["watts"] == {"type": "integer", "minimum": 1, "maximum": 100,
                                           "description": "Its power.", "default": 40}
    assert lamp["required"] == ["colour"] and lamp["additionalProperties"] is False
    page = markdown(ROOM, "Rooms")
    assert "| `watts` | whole number 1-100 |  | `40` | Its power. |" in page
    assert "| `lamps` | mapping of ids to [Lamp](#lamp) |" in page
