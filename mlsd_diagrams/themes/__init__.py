"""Themes: how each node kind, edge and group box looks.

A theme is a YAML file in this folder (add one to add a theme). A user theme
file may start with ``base: <built-in name>`` and override any part of it.
Theme files are checked with the same schema language as specs, so a bad
theme gets the same ``file:line:col`` errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.declare import build, item, record_of
from ..core.errors import Pos, Problem, SpecError, UsageError
from ..core.suggest import did_you_mean
from ..core.types import Ctx, Either, Enum, Field, Int, Num, Record, Str, Type
from ..core.yamlsrc import Map, parse_file
from ..vocabulary import COLORS, ICONS, KINDS

THEME_DIR = Path(__file__).resolve().parent  # the built-in themes, one YAML file each

# Graphviz attributes a theme may set. A whitelist, so a theme (which may come
# from anyone) cannot reach Graphviz features such as image files or URLs.
NODE_ATTRS = ("shape", "style", "color", "fillcolor", "fontcolor", "fontsize", "fontname", "penwidth", "margin",
              "width", "height", "peripheries", "gradientangle")
EDGE_ATTRS = ("color", "fontcolor", "fontsize", "fontname", "penwidth", "arrowsize", "arrowhead", "arrowtail")
CLUSTER_ATTRS = ("style", "color", "pencolor", "bgcolor", "fillcolor", "fontcolor", "fontsize", "fontname",
                 "penwidth", "labeljust", "labelloc", "margin")
GRAPH_ATTRS = ("bgcolor", "fontcolor", "fontsize", "fontname", "nodesep", "ranksep", "pad", "splines",
               "labelloc", "labeljust", "margin", "outputorder", "newrank", "concentrate")

# Each attribute's values have a shape: a number, a word from a list, a font name. Nothing else passes, so a
# theme cannot smuggle markup, quotes or further attributes into the DOT (or anything downstream of it).
_NUMBER = Num("A number.", maximum=100)
_WORD = r"[a-z]+"


def _text(pattern: str, hint: str, what: str = "") -> Str:
    return Str(what, max_len=100, pattern=rf"^(?:{pattern})$", pattern_hint=hint)


_SHAPES = {
    "fontname": _text(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}", "a font name is letters, digits, spaces, '.', '_' "
                      "and '-'", "A font family name."),
    "style": _text(rf"{_WORD}(,{_WORD})*", "a style is words separated by commas, such as rounded,filled"),
    "shape": _text(_WORD, "a shape is one word, such as box"),
    "arrowhead": _text(_WORD, "an arrow shape is one word, such as normal"),
    "arrowtail": _text(_WORD, "an arrow shape is one word, such as normal"),
    "splines": _text(_WORD, "splines is one word, such as spline"),
    "labelloc": _text("[tcb]", "labelloc is t, c or b"),
    "labeljust": _text("[lcr]", "labeljust is l, c or r"),
    "outputorder": _text(_WORD, "outputorder is one word, such as edgesfirst"),
    "newrank": _text("true|false", "newrank is true or false"),
    "concentrate": _text("true|false", "concentrate is true or false"),
    "margin": _text(r"[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)?", "a margin is a number or two, such as 0.1,0.05"),
    "pad": _text(r"[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)?", "a pad is a number or two, such as 0.1,0.05"),
}
COLOR_ATTRS = ("color", "fillcolor", "fontcolor", "pencolor", "bgcolor")
COLOR = Str("A colour: #RRGGBB, #RRGGBBAA or a Graphviz colour name.", max_len=40,
            pattern=r"^(#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?|[A-Za-z][A-Za-z0-9]*)$",
            pattern_hint="a colour is #RRGGBB, #RRGGBBAA or a colour name such as white")
# The colours the pictogram sources (icons/*.svg) are drawn in, by role; a theme may repaint each.
ICON_COLORS = {"ink": "#37474F", "blue": "#DAE8FC", "green": "#CFE8C8", "pink": "#F8CECC",
               "yellow": "#FFF2CC", "purple": "#E1D5E7", "white": "#FFFFFF"}


def _attr_type(name: str) -> Type:
    if name in COLOR_ATTRS:
        return COLOR
    shape = _SHAPES.get(name)
    if shape is None:  # a number: sizes, widths, separations
        return _NUMBER
    if name in ("margin", "pad"):
        return Either([(str, shape), ((int, float), _NUMBER)], expected="a number or two numbers")
    return shape


def _attrs(names, what):
    return Record({n: Field(_attr_type(n)) for n in names}, what=f"{what} attribute")


KIND_STYLE = Record({
    **{n: Field(_attr_type(n)) for n in NODE_ATTRS},
    "fill": Field(Enum(COLORS, "A palette colour for the fill.", what="palette colour")),
    "icon": Field(Enum(ICONS, "A pictogram drawn above the label.", what="icon")),
    "wrap": Field(Int("Wrap labels at this many characters.", 4, 80)),
}, what="kind style key")

@dataclass(frozen=True, kw_only=True)
class Theme:
    """An mlsd-diagrams theme."""

    base: str | None = item(Str("A built-in theme this one overrides."))
    name: str = item(Str(max_len=40), default="custom")
    description: str = item(Str(max_len=300), default="")
    font_fallbacks: str = item(_text(r"[A-Za-z0-9 ._,'-]{1,200}", "fallbacks are font names separated by "
                                     "commas", "CSS font-family fallbacks written into SVG files."),
                               default="Helvetica, Arial, sans-serif")
    symbol_font: str | None = item(_text(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}", "a font name is letters, digits, "
                                         "spaces, '.', '_' and '-'", "Font for characters the main font lacks "
                                         "(circled step numbers), in SVG files."))
    sketch: float = item(Num("How hand-drawn the strokes look: 0 exact, 1 a steady marker, 2 a hurried one.",
                             maximum=3), default=0.0)
    icons: dict[str, str] = item(Record({c: Field(COLOR) for c in ICON_COLORS}, "Repaint the pictograms, by role.",
                                        what="icon colour"), default={})
    palette: dict[str, str] = item(Record({c: Field(COLOR) for c in COLORS}, what="palette colour"), default={})
    graph: dict[str, Any] = item(_attrs(GRAPH_ATTRS, "graph"), default={})
    title: dict[str, Any] = item(_attrs(("fontsize", "fontcolor", "fontname"), "title"), default={})
    node: dict[str, Any] = item(_attrs(NODE_ATTRS, "node"), default={})
    edge: dict[str, Any] = item(_attrs(EDGE_ATTRS, "edge"), default={})
    cluster: dict[str, Any] = item(_attrs(CLUSTER_ATTRS, "cluster"), default={})
    kinds: dict[str, dict[str, Any]] = item(Record({k: Field(KIND_STYLE) for k in KINDS}, what="kind"), default={})
    icon_size: int = item(Int("Pictogram size in points.", 8, 200), default=36)

    @property
    def background(self) -> str:
        return str(self.graph.get("bgcolor", "#FFFFFF"))

    @property
    def opaque(self) -> bool:
        """Whether the page is painted solid: not ``transparent``, and no #RRGGBBAA colour below full alpha."""
        colours = [c.strip().lower().split(";")[0] for c in self.background.split(":")]  # a gradient is a list
        return not any(c in ("transparent", "none") or (c.startswith("#") and len(c) == 9 and c[7:] != "ff")
                       for c in colours)

    def icon_colors(self) -> tuple[tuple[str, str], ...]:
        """(source colour, theme colour) for every pictogram colour the theme repaints; hashable."""
        return tuple((ICON_COLORS[k], v) for k, v in sorted(self.icons.items())
                     if ICON_COLORS[k].lower() != v.lower())

    def kind_style(self, kind: str, color: str | None = None) -> tuple[dict, str | None, int]:
        """Graphviz attributes, pictogram and wrap width for a node of ``kind``."""
        style = dict(self.kinds.get(kind, {}))
        icon = style.pop("icon", None)
        wrap = style.pop("wrap", 22)
        fill = color or style.pop("fill", None)
        style.pop("fill", None)
        if fill:
            style["fillcolor"] = self.palette[fill]
        return {**self.node, **style}, icon, wrap


THEME = record_of(Theme, "theme key")


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in THEME_DIR.iterdir() if p.name.endswith(".yaml"))


def builtin_source(name: str) -> str:
    """The YAML text of a built-in theme: a starting point for a theme file of your own."""
    if name not in builtin_names():
        raise UsageError(f"unknown theme {name!r}; built-in themes: {', '.join(builtin_names())}"
                         f"{did_you_mean(name, builtin_names())}")
    return (THEME_DIR / f"{name}.yaml").read_text(encoding="utf-8")


def load_theme(name_or_path: str = "book") -> Theme:
    """A built-in theme by name, or a theme file (which may override a built-in one)."""
    return build(Theme, _load_tree(name_or_path, seen=()))


def _load_tree(name_or_path: str, seen: tuple, base_of: tuple[Path, Pos] | None = None) -> dict:
    """The theme's tree merged over its bases. ``base_of``: the theme file (and the position of its ``base:``)
    naming this one, whose folder a relative base is read from and must stay inside."""
    if name_or_path in builtin_names():
        path = str(THEME_DIR / f"{name_or_path}.yaml")
        display = f"<theme {name_or_path}>"
    elif base_of is not None:
        path = display = _confined_base(name_or_path, *base_of)
    elif name_or_path.endswith((".yaml", ".yml")) or Path(name_or_path).exists():
        path = display = name_or_path
    else:
        raise UsageError(f"unknown theme {name_or_path!r}; built-in themes: {', '.join(builtin_names())}"
                         f"{did_you_mean(name_or_path, builtin_names())}")
    tree, problems = parse_file(path, display)
    ctx = Ctx()
    ctx.problems.extend(problems)
    if not THEME.check(tree, tree.pos if isinstance(tree, Map) else Pos(display, 1, 1), "", ctx) or ctx.problems \
            or not isinstance(tree, Map):
        raise SpecError(ctx.problems)
    builtin = display != path
    base = tree.get("base", None if builtin else "book")  # a user theme overrides book unless it says otherwise
    if base is None:
        return tree
    real = os.path.realpath(path)
    if base in seen or real in seen:
        raise SpecError([Problem(tree.vpos["base"], f"themes extend each other in a cycle: {base!r}")])
    where = (Path(path), tree.vpos.get("base", tree.pos))
    return _merge(_load_tree(base, (*seen, base, real), base_of=None if builtin else where), tree)


def _confined_base(value: str, theme_file: Path, pos: Pos) -> str:
    """A base theme file named by another theme: a relative .yaml path inside that theme's folder (or
    below), read from there. Like ``extends`` in specs: a theme from someone else must not make us read,
    and quote in messages, the user's other files."""
    def refuse(why: str) -> SpecError:
        return SpecError([Problem(pos, f"base: {why}; name a built-in theme ({', '.join(builtin_names())}) or a "
                                       ".yaml file beside this theme")])

    if os.path.isabs(value) or value.startswith("~") or "\\" in value:
        raise refuse(f"{value!r} is not a path relative to this theme's folder")
    if not value.endswith((".yaml", ".yml")):
        raise refuse(f"no built-in theme {value!r}{did_you_mean(value, builtin_names())}")
    folder = os.path.realpath(theme_file.parent)
    candidate = os.path.join(theme_file.parent, value)
    if os.path.commonpath([folder, os.path.realpath(candidate)]) != folder:
        raise refuse(f"{value!r} lies outside this theme's folder")
    if not os.path.isfile(candidate):
        raise refuse(f"there is no file {value!r} next to this theme")
    return candidate


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
