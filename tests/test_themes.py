"""Themes: every built-in styles every kind, dark keeps WCAG contrast, mono stays grey, theme files
override and fail like specs, and the themes command lists, prints and checks them."""

import itertools
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from mlsd_diagrams import load, render
from mlsd_diagrams.core.errors import SpecError
from mlsd_diagrams.themes import ICON_COLORS, builtin_names, builtin_source, load_theme
from mlsd_diagrams.vocabulary import COLORS, ICONS, KINDS

BUILTINS = ("book", "dark", "mono", "whiteboard")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
FILLED_SHAPES_WITHOUT_BOX = ("plain", "plaintext", "none")


def test_the_four_themes_are_built_in():
    assert builtin_names() == sorted(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_every_theme_styles_every_kind_itself(name):
    """Each built-in names every kind and palette colour in its own file (nothing silently inherited)."""
    raw = yaml.safe_load(builtin_source(name))
    assert "base" not in raw
    assert set(raw["kinds"]) == set(KINDS), set(KINDS) ^ set(raw["kinds"])
    assert set(raw["palette"]) == set(COLORS)
    theme = load_theme(name)
    for kind in KINDS:
        attrs, icon, _ = theme.kind_style(kind)
        assert attrs.get("shape") and attrs.get("fontcolor") and attrs.get("fontname"), kind
        assert icon is None or icon in ICONS
        if "filled" in attrs.get("style", ""):
            assert HEX.match(attrs["fillcolor"]), (kind, attrs["fillcolor"])


def luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic near miss


def readable_pairs(theme):
    """(what, foreground, background) for every text and line colour and what it is drawn on."""
    page = theme.background
    cluster_bg = theme.cluster.get("bgcolor", page)
    yield "title", theme.title["fontcolor"], page
    yield "graph text", theme.graph["fontcolor"], page
    for bg_name, bg in (("page", page), ("group", cluster_bg)):
        yield f"edge line on {bg_name}", theme.edge["color"], bg
        yield f"edge label on {bg_name}", theme.edge["fontcolor"], bg
        yield f"node outline on {bg_name}", theme.node["color"], bg
        yield f"pictogram ink on {bg_name}", theme.icons.get("ink", ICON_COLORS["ink"]), bg
    yield "group outline", theme.cluster["pencolor"], cluster_bg
    yield "group outline on page", theme.cluster["pencolor"], page
    yield "group title", theme.cluster["fontcolor"], cluster_bg
    for kind in KINDS:
        attrs, _, _ = theme.kind_style(kind)
        if "filled" in attrs.get("style", "") and attrs["shape"] not in FILLED_SHAPES_WITHOUT_BOX:
            # a node may take any palette colour (color: in a spec), so its text must read on all of them
            for color in theme.palette.values():
                yield f"{kind} text on {color}", attrs["fontcolor"], color
                yield f"{kind} outline on {color}", attrs["color"], color
                yield f"pictogram ink in {kind} on {color}", theme.icons.get("ink", ICON_COLORS["ink"]), color
        else:
            yield f"{kind} text on page", attrs["fontcolor"], page
            yield f"{kind} text in group", attrs["fontcolor"], cluster_bg


def test_dark_theme_text_and_lines_keep_wcag_aa_contrast():
    theme = load_theme("dark")
    pairs = list(readable_pairs(theme))
    assert len(pairs) > 100
    low = [(what, fg, bg, round(contrast(fg, bg), 2)) for what, fg, bg in pairs if contrast(fg, bg) < 4.5]
    assert not low, low
    assert luminance(theme.background) < 0.02  # it is a dark theme


@pytest.mark.parametrize("name", ["book", "mono", "whiteboard"])
def test_light_themes_keep_text_readable_too(name):
    low = [(what, fg, bg) for what, fg, bg in readable_pairs(load_theme(name))
           if "text" in what or "label" in what or "title" in what if contrast(fg, bg) < 4.5]
    assert not low, low


def all_colours(theme) -> list[str]:
    found = list(theme.palette.values()) + list(theme.icons.values())
    for attrs in (theme.graph, theme.title, theme.node, theme.edge, theme.cluster, *theme.kinds.values()):
        found += [str(v) for k, v in attrs.items() if k in ("color", "fillcolor", "fontcolor", "pencolor", "bgcolor")]
    return found


def test_mono_is_greyscale_in_every_colour_and_pictogram():
    theme = load_theme("mono")
    for color in all_colours(theme):
        assert color[1:3] == color[3:5] == color[5:7], color
    repainted = {src.lower() for src, _ in theme.icon_colors()}
    used = {c.lower() for c in ICON_COLORS.values()} - {"#ffffff"}
    assert used <= repainted  # every coloured pictogram ink and fill is repainted grey


def test_mono_renders_without_colour(tmp_path):
    from PIL import Image, ImageChops

    render(load("ad_click_prediction"), tmp_path, formats=["png"], diagrams=["system"], theme="mono")
    r, g, b = Image.open(tmp_path / "ad_click_prediction/system.png").convert("RGB").split()
    worst = max(ImageChops.difference(x, y).getextrema()[1] for x, y in ((r, g), (g, b), (r, b)))
    assert worst <= 3, f"a pixel has colour (channel spread {worst})"


def test_whiteboard_uses_a_marker_font_with_fallbacks_and_sketchy_strokes(tmp_path):
    theme = load_theme("whiteboard")
    assert theme.node["fontname"] == "Comic Neue" and theme.sketch > 0
    render(load("visual_search"), tmp_path, formats=["svg"], diagrams=["system"], theme="whiteboard")
    svg = (tmp_path / "visual_search/system.svg").read_text()
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families == {theme.font_fallbacks}
    assert theme.font_fallbacks.startswith("'Comic Neue'") and theme.font_fallbacks.endswith("sans-serif")
    assert 'font-weight="bold"' in svg  # the title's "Comic Neue Bold" becomes CSS
    assert svg.count('stroke-linecap="round"') > 20


def test_a_user_theme_overrides_any_part_of_a_builtin(tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text(textwrap.dedent("""
        base: dark
        name: brand
        palette: {blue: "#0B3D91"}
        edge: {penwidth: 2}
        kinds:
          service: {fontsize: 14}
    """))
    theme, dark = load_theme(str(path)), load_theme("dark")
    assert theme.name == "brand" and theme.palette["blue"] == "#0B3D91"
    assert theme.palette["green"] == dark.palette["green"]
    assert theme.edge == {**dark.edge, "penwidth": 2}
    assert theme.kinds["service"] == {"fill": "blue", "fontsize": 14}
    assert theme.background == dark.background and theme.icons == dark.icons


def test_a_user_theme_without_base_overrides_book(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("graph: {bgcolor: '#FAFAFA'}\n")
    theme = load_theme(str(path))
    assert theme.background == "#FAFAFA" and theme.kinds == load_theme("book").kinds


@pytest.mark.parametrize("name", BUILTINS)
def test_printed_theme_loads_back_as_the_same_theme(name, run, tmp_path):
    result = run("themes", name)
    assert result.exit_code == 0
    copy = tmp_path / f"my_{name}.yaml"
    copy.write_text(result.stdout)
    assert load_theme(str(copy)) == load_theme(name)


def test_themes_lists_every_builtin_with_what_it_is_for(run):
    result = run("themes")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [ln.split()[0] for ln in lines] == sorted(BUILTINS)
    assert all(len(ln.split(None, 1)[1]) > 20 for ln in lines)
    assert "default" in next(ln for ln in lines if ln.startswith("book"))


BAD_THEME = """\
base: dark
palette:
  blue: "#12"
kinds:
  servic: {fill: blue}
  store: {fill: bluee}
graph: {bgcolor: 3}
icons: {ink: red, teal: "#00FFFF"}
"""


def test_bad_theme_file_gets_file_line_col_errors(run, tmp_path):
    (tmp_path / "bad.yaml").write_text(BAD_THEME)
    for args in (["themes", "bad.yaml"], ["render", "visual_search", "--theme", "bad.yaml", "--out", "out"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.splitlines() == [
            ("bad.yaml:3:10: error: palette.blue: '#12' is not valid: a colour is #RRGGBB, #RRGGBBAA or a colour "
             "name such as white"),
            "bad.yaml:5:3: error: kinds: unknown kind 'servic'; expected one of: " + ", ".join(KINDS)
            + "; did you mean 'service'?",
            "bad.yaml:6:17: error: kinds.store.fill: unknown palette colour 'bluee'; expected one of: "
            + ", ".join(COLORS) + "; did you mean 'blue'?",
            ("bad.yaml:7:18: error: graph.bgcolor: expected a string, found a number (3); put it in quotes to use "
             "it as text"),
            "bad.yaml:8:19: error: icons: unknown icon colour 'teal'; expected one of: " + ", ".join(ICON_COLORS),
            "5 errors; nothing was written.",
        ]
    assert not (tmp_path / "out").exists()


def test_bad_yaml_in_a_theme_is_reported_with_its_position(run, tmp_path):
    (tmp_path / "broken.yaml").write_text("palette:\n  blue: [unclosed\n")
    result = run("themes", "broken.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("broken.yaml:")
    assert re.match(r"^broken\.yaml:\d+:\d+: error: ", result.stderr)


def test_themes_that_extend_each_other_in_a_cycle_fail_clearly(tmp_path):
    (tmp_path / "a.yaml").write_text("base: b.yaml\n")
    (tmp_path / "b.yaml").write_text("base: a.yaml\n")
    with pytest.raises(SpecError, match="cycle"):
        load_theme(str(tmp_path / "a.yaml"))


def test_unknown_theme_name_is_a_usage_error_with_a_suggestion(run):
    result = run("render", "visual_search", "--theme", "drak", "--out", "out")
    assert result.exit_code == 2
    assert "unknown theme 'drak'; built-in themes: book, dark, mono, whiteboard; did you mean 'dark'?" in result.stderr


EVERY_KIND = "id: kinds\ntitle: Every kind\ndiagrams:\n  all:\n    title: Every kind, colour and pictogram\n" \
             "    nodes:\n" + "".join(f"      {k}: {{label: {k.title()} node, kind: {k}}}\n" for k in KINDS) \
             + "".join(f"      c_{c}: {{label: {c}, kind: service, color: {c}}}\n" for c in COLORS) \
             + "".join(f"      i_{i}: {{label: {i}, kind: step, icon: {i}}}\n" for i in ICONS) \
             + "    edges:\n" + "".join(f"      - {a} -> {b}\n" for a, b in itertools.pairwise(KINDS)) \
             + "".join(f"      - c_{c} -> i_{i}\n" for c, i in zip(COLORS, ICONS, strict=False)) \
             + "".join(f"      - {k} -> i_{i}\n" for k, i in zip(KINDS[-4:], ICONS[len(COLORS):], strict=False))


@pytest.mark.parametrize("name", BUILTINS)
def test_every_theme_renders_every_kind_colour_and_pictogram(name, tmp_path):
    spec_path = tmp_path / "kinds.yaml"
    spec_path.write_text(EVERY_KIND)
    result = render(load(str(spec_path)), tmp_path / "out", formats=["svg", "png"], theme=name)
    assert result.warnings == []
    svg = (tmp_path / "out/kinds/all.svg").read_text()
    for kind in KINDS:
        assert f"{kind.title()} node" in svg
    assert svg.count("<image ") == len(ICONS) + 3  # actor, client and model bring their own pictogram
    assert Path(tmp_path / "out/kinds/all.png").stat().st_size > 20_000
