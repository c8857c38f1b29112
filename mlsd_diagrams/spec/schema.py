"""The checker for whole spec files, made from the declaration in ``model``; and the JSON Schema editors use."""

from __future__ import annotations

from dataclasses import replace

from ..core.declare import record_of
from ..core.types import Ctx, Field, Record, Table, Type
from ..core.yamlsrc import Map
from .model import Spec


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


SPEC = _Spec(record_of(Spec, "top-level key"))


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) that editors use to complete and check specs."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/mlsd-diagrams/mlsd-diagrams/spec.schema.json",
        "title": "mlsd-diagrams spec",
    }
    schema.update(SPEC.json())
    return schema
