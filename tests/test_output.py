"""Output for slides and docs: an SVG that travels, sharp and transparent PNGs, vector PDFs, slide canvases,
hand-drawn strokes, and the same bytes every time. (Real clients opening these files: test_clients.py.)"""

import base64
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd_diagrams import load, render
from mlsd_diagrams.renderer import RenderOptions
from mlsd_diagrams.renderer.dot import ICON_DIR
from mlsd_diagrams.renderer.options import ratio
from mlsd_diagrams.renderer.sketch import _parse_path, roughen
from mlsd_diagrams.renderer.svg import SLIDE_MARGIN

from .conftest import MINIMAL

S = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"
THEMES = ("book", "dark", "mono", "whiteboard")


def draw(tmp_path: Path, spec="visual_search", diagram="system", **options) -> Path:
    """Render one diagram; returns the file stem (add .svg, .png, .pdf)."""
    out = tmp_path / "out"
    render(load(spec), out, diagrams=[diagram], force=True, **options)
    return out / spec / diagram


def png_info(path: Path) -> dict:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    info, pos = {}, 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            info["width"], info["height"], _, info["color_type"] = struct.unpack(">IIBB", body[:10])
        elif kind == b"pHYs":
            ppm_x, ppm_y, unit = struct.unpack(">IIB", body)
            info["dpi"] = (round(ppm_x * 0.0254), round(ppm_y * 0.0254), unit)
        pos += 12 + length
    return info


def svg_box(root) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in root.get("viewBox").split())


# --- SVG that travels ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("theme", THEMES)
def test_svg_is_self_contained(tmp_path, theme):
    stem = draw(tmp_path, theme=theme, formats=["svg"])
    text = stem.with_suffix(".svg").read_text(encoding="utf-8")
    assert str(ICON_DIR) not in text and "file:" not in text and "<!DOCTYPE" not in text
    root = ET.fromstring(text)
    images = list(root.iter(f"{S}image"))
    assert len(images) == 4  # two query/result pictures, the model cloud, new images
    for image in images:
        href = image.get(HREF)
        assert href.startswith("data:image/png;base64,")
        assert base64.b64decode(href.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
    assert all(h.startswith("data:") for h in hrefs)


def test_svg_states_its_size_exactly_in_whole_pixels(tmp_path):
    root = ET.parse(draw(tmp_path, formats=["svg"]).with_suffix(".svg")).getroot()
    _, _, w, h = svg_box(root)
    assert root.get("width") == f"{w:g}pt" and root.get("height") == f"{h:g}pt"
    for side in (w, h):
        assert (side / 0.75) == pytest.approx(round(side / 0.75), abs=1e-6)  # whole CSS pixels
    assert 500 < w < 2000 and 200 < h < 1000


def test_svg_declares_fonts_with_fallbacks_and_a_title(tmp_path):
    text = draw(tmp_path, formats=["svg"]).with_suffix(".svg").read_text()
    root = ET.fromstring(text)
    families = {el.get("font-family") for el in root.iter() if el.get("font-family")}
    assert families == {"'DejaVu Sans', Helvetica, Arial, sans-serif"}
    assert root.get("aria-label") == "Visual search - ML system design"
    assert root.find(f"{S}g/{S}title").text == "Visual search - ML system design"
    assert 'fill="transparent"' not in text and 'stroke="transparent"' not in text


def test_svg_paints_its_whole_page(tmp_path):
    root = ET.parse(draw(tmp_path, formats=["svg"], theme="dark").with_suffix(".svg")).getroot()
    page = root[0]
    assert page.tag == f"{S}rect" and page.get("fill").lower() == "#12161c"
    assert [float(page.get(k)) for k in ("x", "y", "width", "height")] == list(svg_box(root))


# --- PNG: scale, dpi, transparency -------------------------------------------------------------------------

def test_png_scale_multiplies_pixels_and_records_the_resolution(tmp_path):
    one = png_info(draw(tmp_path / "1", formats=["png"]).with_suffix(".png"))
    two = png_info(draw(tmp_path / "2", formats=["png"], scale=2).with_suffix(".png"))
    assert one["dpi"] == (96, 96, 1) and two["dpi"] == (192, 192, 1)
    # scale 1 is Graphviz's own PNG, which may round the last pixel differently from CairoSVG
    assert two["width"] == pytest.approx(2 * one["width"], abs=2)
    assert two["height"] == pytest.approx(2 * one["height"], abs=2)


def test_png_size_matches_the_svg_at_96_dpi(tmp_path):
    stem = draw(tmp_path, formats=["svg", "png"])
    _, _, w, h = svg_box(ET.parse(stem.with_suffix(".svg")).getroot())
    info = png_info(stem.with_suffix(".png"))
    # Graphviz draws the default PNG itself (renderer.graphviz_draws_png) and may round the last pixel its way
    assert info["width"] == pytest.approx(w * 4 / 3, abs=1) and info["height"] == pytest.approx(h * 4 / 3, abs=1)


def test_dpi_option_sets_scale_and_the_recorded_dpi(run, tmp_path):
    result = run("render", "visual_search", "-d", "encoder", "-f", "png", "--dpi", "300", "--out", "out")
    assert result.exit_code == 0, result.output
    info = png_info(tmp_path / "out/visual_search/encoder.png")
    assert info["dpi"] == (300, 300, 1)
    base = png_info(encoder_png_at_scale_1(tmp_path))
    assert info["width"] == pytest.approx(base["width"] * 300 / 96, abs=4)  # base may be Graphviz's own PNG


def encoder_png_at_scale_1(tmp_path) -> Path:
    out = tmp_path / "base"
    render(load("visual_search"), out, formats=["png"], diagrams=["encoder"])
    return out / "visual_search/encoder.png"


def test_scale_and_dpi_together_are_a_usage_error(run):
    result = run("render", "visual_search", "--scale", "2", "--dpi", "192", "--out", "out")
    assert result.exit_code == 2
    assert "give --scale or --dpi, not both" in result.stderr


@pytest.mark.parametrize("value", ["0", "11", "two"])
def test_bad_scale_is_a_usage_error(run, value):
    assert run("render", "visual_search", "--scale", value, "--out", "out").exit_code == 2


def test_transparent_png_has_no_background_but_keeps_its_boxes(tmp_path):
    from PIL import Image

    stem = draw(tmp_path, formats=["svg", "png", "pdf"], transparent=True)
    image = Image.open(stem.with_suffix(".png"))
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    assert alpha.getpixel((0, 0)) == 0 and alpha.getpixel((image.width // 2, 2)) == 0
    assert alpha.getextrema() == (0, 255)
    opaque = sum(alpha.histogram()[250:]) / (image.width * image.height)
    assert 0.05 < opaque < 0.6  # the boxes and text are there, the page is not
    root = ET.parse(stem.with_suffix(".svg")).getroot()
    assert root[0].tag != f"{S}rect"
    clusters = [g for g in root.iter(f"{S}g") if g.get("class") == "cluster"]
    assert clusters and all(shape.get("fill") in (None, "none") for g in clusters for shape in g
                            if shape.tag in (f"{S}path", f"{S}polygon"))


def test_opaque_png_has_no_alpha(tmp_path):
    info = png_info(draw(tmp_path, formats=["png"], theme="dark").with_suffix(".png"))
    assert info["color_type"] == 2  # RGB: cairo drops the alpha channel of a fully painted page


# --- slide canvases ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["16:9", "4:3"])
@pytest.mark.parametrize("spec,diagram", [("visual_search", "system"), ("visual_search", "encoder")])
def test_slide_size_puts_the_whole_diagram_on_a_canvas_of_that_ratio(tmp_path, size, spec, diagram):
    plain = draw(tmp_path / "plain", spec, diagram, formats=["svg"])
    slide = draw(tmp_path / "slide", spec, diagram, formats=["svg", "png", "pdf"], size=size)
    _, _, w0, h0 = svg_box(ET.parse(plain.with_suffix(".svg")).getroot())
    x, y, w, h = svg_box(ET.parse(slide.with_suffix(".svg")).getroot())
    rw, rh = ratio(size)
    assert w / h == pytest.approx(rw / rh, rel=0.003)
    margin = SLIDE_MARGIN * h - 0.5  # the canvas is rounded up to whole pixels afterwards
    # the original drawing (0, 0, w0, h0) lies inside the canvas with at least the margin on every side
    assert x <= -margin + 0.01 and y <= -margin + 0.01
    assert x + w >= w0 + margin - 1 and y + h >= h0 + margin - 1
    # centred, and tight on one axis (not stretched, not needlessly small)
    assert abs((-x) - (x + w - w0)) < 1 and abs((-y) - (y + h - h0)) < 1
    assert min(w - w0 - 2 * margin, h - h0 - 2 * margin) < 3
    info = png_info(slide.with_suffix(".png"))
    assert info["width"] / info["height"] == pytest.approx(rw / rh, rel=0.003)


@pytest.mark.parametrize("value", ["16x9", "0:9", "16:0", "9:40", "wide"])
def test_bad_size_is_a_usage_error(run, value):
    result = run("render", "visual_search", "--size", value, "--out", "out")
    assert result.exit_code == 2
    assert "e.g. 16:9 or 4:3" in result.stderr


def test_render_options_validate_and_hash():
    options = RenderOptions(formats=["svg", "png"], scale=2, transparent=1, size="16:9")
    assert options.formats == ("svg", "png") and options.scale == 2.0 and options.transparent is True
    assert hash(options) == hash(RenderOptions(formats=("svg", "png"), scale=2.0, transparent=True, size="16:9"))
    for bad in ({"scale": 0}, {"scale": 50}, {"scale": True}, {"size": "16x9"}, {"size": "1:9"}):
        with pytest.raises(ValueError):
            RenderOptions(**bad)


# --- PDF -----------------------------------------------------------------------------------------------------

def test_pdf_is_one_page_the_size_of_the_svg_with_fonts_embedded(tmp_path):
    stem = draw(tmp_path, formats=["svg", "pdf"], size="16:9")
    pdf = stem.with_suffix(".pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") == 1
    _, _, w, h = svg_box(ET.parse(stem.with_suffix(".svg")).getroot())
    media = pdf.split(b"/MediaBox [", 1)[1].split(b"]", 1)[0].split()
    assert [float(v) for v in media] == pytest.approx([0, 0, w, h], abs=0.01)
    assert b"/FontFile" in pdf  # text is text, with its font inside
    assert b"/Subtype /Image" not in pdf  # the pictograms are drawn as vectors too, sharp at any zoom
    assert b"/CreationDate (19700101000000Z)" in pdf or b"/CreationDate (D:19700101000000" in pdf  # fixed date


# --- whiteboard strokes --------------------------------------------------------------------------------------

def test_sketch_keeps_fills_exact_and_edge_ends_in_place():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g class="node">'
           '<polygon fill="#eeeeee" stroke="#111111" points="0,0 100,0 100,40 0,40 0,0"/></g>'
           '<g class="edge"><path fill="none" stroke="#222222" d="M100,20C130,20 150,60 200,60"/>'
           '<polygon fill="#222222" stroke="#222222" points="200,57 207,60 200,63 200,57"/></g></svg>')
    root = ET.fromstring(svg)
    roughen(root, 1.0)
    node, edge = root
    fill, stroke = node
    assert fill.get("points") == "0,0 100,0 100,40 0,40 0,0" and fill.get("stroke") == "none"
    assert stroke.get("fill") == "none" and stroke.get("stroke") == "#111111"
    (start, segs, _), = _parse_path(stroke.get("d").split("L")[0])
    assert len(segs) == 4 and all(abs(a - b) < 3 for a, b in zip(start, (0, 0), strict=False))
    line, arrow = edge
    (start, segs, _), = _parse_path(line.get("d"))
    assert start == (100, 20) and segs[-1][2] == (200, 60)  # still touching box and arrowhead
    assert line.get("d") != "M100,20C130,20 150,60 200,60"
    assert arrow.get("points") == "200,57 207,60 200,63 200,57"  # arrowheads stay sharp
    again = ET.fromstring(svg)
    roughen(again, 1.0)
    assert ET.tostring(again) == ET.tostring(root)  # seeded by the shape: the same every time


# --- one layout, same bytes ----------------------------------------------------------------------------------

def test_one_graphviz_run_gives_every_format(dot_runs, tmp_path):
    draw(tmp_path, formats=["svg", "png", "pdf"], scale=2, size="16:9", theme="whiteboard")
    assert len(dot_runs) == 1 and sum(a.startswith("-T") for a in dot_runs[0]) == 1


@pytest.mark.parametrize("theme", THEMES)
def test_same_spec_same_bytes_in_every_format(tmp_path, theme):
    options = {"formats": ["svg", "png", "pdf"], "theme": theme}
    one = draw(tmp_path / "one", **options)
    two = draw(tmp_path / "two", **options)
    for fmt in ("svg", "png", "pdf"):
        assert one.with_suffix(f".{fmt}").read_bytes() == two.with_suffix(f".{fmt}").read_bytes(), fmt


def test_same_bytes_with_slide_options_too(tmp_path):
    options = {"formats": ["svg", "png", "pdf"], "scale": 2, "size": "4:3", "transparent": True}
    one = draw(tmp_path / "one", spec="ad_click_prediction", **options)
    two = draw(tmp_path / "two", spec="ad_click_prediction", **options)
    for fmt in ("svg", "png", "pdf"):
        assert one.with_suffix(f".{fmt}").read_bytes() == two.with_suffix(f".{fmt}").read_bytes(), fmt


def test_minimal_spec_in_every_theme_and_option(spec_file, tmp_path):
    spec = load(str(spec_file(MINIMAL)))
    for theme in THEMES:
        result = render(spec, tmp_path / theme, formats=["svg", "png", "pdf"], theme=theme, size="16:9",
                        transparent=theme == "dark", scale=1.5)
        assert len(result.files) == 3 and result.warnings == []


def test_a_png_too_large_to_draw_is_refused_before_drawing(run, tmp_path):
    result = run("render", "ad_click_prediction", "-d", "system", "-f", "png", "--size", "16:9", "--scale", "10",
                 "--out", "out")
    assert result.exit_code == 2
    assert "too large to draw; lower --scale or --dpi" in result.stderr
    assert not list((tmp_path / "out").rglob("*.png"))



def test_a_pdf_carries_its_diagram_title(run, tmp_path):
    result = run("render", "visual_search", "-d", "system", "-f", "pdf", "--out", "out")
    assert result.exit_code == 0, result.stderr
    data = (tmp_path / "out/visual_search/system.pdf").read_bytes()
    assert b"/Title (Visual search - ML system design)" in data


def test_one_diagram_from_every_spec_that_has_it(run, tmp_path):
    from mlsd_diagrams import bundled_ids, load

    result = run("render", "--all", "--diagram", "system", "-f", "svg", "--out", "out")
    assert result.exit_code == 0, result.stderr
    having = {s for s in bundled_ids() if "system" in load(s).diagrams}
    assert {p.parent.name for p in (tmp_path / "out").glob("*/*.svg")} == having
    assert all(p.name == "system.svg" for p in (tmp_path / "out").glob("*/*.svg"))
    assert run("render", "--all", "--diagram", "nope", "--out", "out").exit_code == 2


def test_out_dash_writes_one_diagram_to_stdout(tmp_path):
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "mlsd_diagrams", "render", "visual_search", "-d", "system", "-f", "png", "--out", "-"]
    done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith(b"\x89PNG\r\n\x1a\n") and not list(tmp_path.iterdir())
    refused = subprocess.run(cmd[:-4] + ["--out", "-"], cwd=tmp_path, capture_output=True, timeout=120)
    assert refused.returncode == 2 and b"--out - writes one file to stdout" in refused.stderr and not refused.stdout
