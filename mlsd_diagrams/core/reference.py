"""Reference documentation in Markdown, written from a declaration (a ``Record`` and what it holds)."""

from __future__ import annotations

from .types import ID_PATTERN, Bool, Either, Enum, Int, List, Num, Record, Str, Table, Type


def markdown(root: Record, title: str, intro: str = "") -> str:
    """One section per mapping in ``root``'s tree, each a table of its keys; nested mappings are linked."""
    sections: list[tuple[str, Record]] = []
    names: dict[int, str] = {}

    def visit(t: Type, name: str) -> None:
        if isinstance(t, Record):
            if id(t) in names:
                return
            names[id(t)] = t.cls.__name__ if t.cls else name.capitalize()
            sections.append((names[id(t)], t))
            for key, f in t.fields.items():
                visit(f.type, key)
        elif isinstance(t, (List, Table)):
            visit(t.item if isinstance(t, List) else t.value, name)
        elif isinstance(t, Either):
            for _, option in t.options:
                visit(option, name)
        else:
            for part in t.parts():  # a type of its own that holds mappings (an edge and its options)
                visit(part, name)

    visit(root, "top level")
    lines = [f"# {title}", "", "<!-- generated from the declaration; do not edit by hand -->", ""]
    if intro:
        lines += [intro, ""]
    for name, record in sections:
        lines += [f"## {name}", ""]
        if record.description:
            lines += [record.description, ""]
        lines += ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
        for key, f in record.fields.items():
            default = f"`{_shown(f.default)}`" if isinstance(f.default, (str, int, float)) and f.default != "" else ""
            lines.append(f"| `{key}` | {_type_name(f.type, names)} | {'yes' if f.required else ''} | {default} | "
                         f"{_cell(f.type.description)} |")
        lines.append("")
    return "\n".join(lines)


def _type_name(t: Type, names: dict[int, str]) -> str:
    if isinstance(t, Record):
        name = names[id(t)]
        return f"[{name}](#{name.lower().replace(' ', '-')})"
    if isinstance(t, Table):
        return f"mapping of ids to {_type_name(t.value, names)}"
    if isinstance(t, List):
        return f"list of {_type_name(t.item, names)}"
    if isinstance(t, Enum):
        return "one of " + ", ".join(f"`{c}`" for c in t.choices)
    if isinstance(t, Bool):
        return "`true` or `false`"
    if isinstance(t, Int):
        return f"whole number {t.minimum}-{t.maximum}"
    if isinstance(t, Num):
        return f"number {t.minimum:g}-{t.maximum:g}"
    if isinstance(t, Either):
        return " or ".join(_type_name(option, names) for _, option in t.options)
    if isinstance(t, Str):
        return "id" if t.pattern == ID_PATTERN else "text"
    return _cell(type(t).__doc__ or type(t).__name__).split(";")[0]


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
