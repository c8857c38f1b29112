"""``mlsd-diagrams deck``: a .pptx with a title slide per case study and a 16:9 slide per diagram.

The deck's structure is read back with python-pptx; the real-client test opens it in LibreOffice Impress,
converts it to PDF and checks with poppler that every slide shows its title and its diagram.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd_diagrams import load
from mlsd_diagrams.cli import COMMANDS, cli
from mlsd_diagrams.cli.deck_cmd import deck_cmd
from mlsd_diagrams.core.errors import OutputError, UsageError
from mlsd_diagrams.renderer.files import TEMP_PREFIX
from mlsd_diagrams.vocabulary import STEP_TITLES

from .conftest import MINIMAL

pptx = pytest.importorskip("pptx", reason="python-pptx is the deck extra: pip install -e '.[deck,test]'")

from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402 (after the skip)

from mlsd_diagrams.deck import deck, notes, plan  # noqa: E402
from mlsd_diagrams.deck import slides as deck_slides  # noqa: E402

SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
EMU_PER_INCH = 914_400
CHOSEN = ["system", "encoder", "training"]  # a system design and two model diagrams (tall)


@pytest.fixture(autouse=True)
def deck_command(monkeypatch):
    """The command as it will be wired into the CLI (COMMANDS is shared; the line is added there later)."""
    monkeypatch.setitem(COMMANDS, "deck", "deck_cmd:deck_cmd")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / "vs.pptx"
    result = deck([load("visual_search"), load("ad_click_prediction")], out, diagrams=CHOSEN)
    return result, pptx.Presentation(str(out))


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text


def notes_of(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def diagram_picture(slide):
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    return pictures[0]


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], **kw)


# --- structure -----------------------------------------------------------------------------------------------------

def test_slides_are_16_9(built):
    _, prs = built
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_a_title_slide_per_case_study_then_a_slide_per_diagram(built):
    result, prs = built
    vs, ad = load("visual_search"), load("ad_click_prediction")
    expected = [vs.title, *(vs.diagrams[d].title for d in CHOSEN), ad.title, ad.diagrams["system"].title]
    assert [title_of(s) for s in prs.slides] == expected
    assert result.slides == len(prs.slides) == 6
    assert result.diagrams == [*(f"visual_search/{d}" for d in CHOSEN), "ad_click_prediction/system"]
    assert "Chapter 2" in prs.slides[0].placeholders[1].text_frame.text
    assert prs.core_properties.title == "Machine learning system design: 2 case studies"


def test_notes_carry_the_caption_and_the_steps_framework_bullets(built):
    _, prs = built
    spec = load("visual_search")
    for slide, did in zip(list(prs.slides)[1:4], CHOSEN, strict=True):
        d = spec.diagrams[did]
        text = notes_of(slide)
        assert text == notes(spec, d)
        assert d.caption in text and f"Step: {STEP_TITLES[d.step]}" in text
        for bullet in spec.framework[d.step]:
            assert f"- {bullet}" in text
    assert "Book figure: 2.19" in notes_of(prs.slides[1])
    assert spec.summary in notes_of(prs.slides[0])


def test_framing_and_evaluation_bullets_are_named():
    spec = load("visual_search")
    text = notes(spec, spec.diagrams["framing"])
    assert f"- Objective: {spec.framework['framing']['objective']}" in text
    assert "- ML category: " in text


def test_every_picture_is_a_png_carrying_its_svg_as_an_svg_blip(built):
    _, prs = built
    for slide in list(prs.slides)[1:4]:
        picture = diagram_picture(slide)
        assert picture.image.content_type == "image/png"
        blip = picture._element.blipFill.blip
        ext = blip.find(f"{A}extLst/{A}ext[@uri='{SVG_BLIP}']")
        svg_blip = ext.find(f"{ASVG}svgBlip")
        part = slide.part.related_part(svg_blip.get(f"{R}embed"))
        assert part.content_type == "image/svg+xml"
        assert part.blob.lstrip().startswith(b"<?xml") and b"<svg" in part.blob
        assert picture._element.nvPicPr.cNvPr.get("descr").startswith(title_of(slide))


def test_the_picture_fits_under_the_title_centred(built):
    _, prs = built
    for slide in prs.slides:
        if slide.slide_layout.name == "Title Slide":
            continue
        picture, title = diagram_picture(slide), slide.shapes.title
        assert picture.top >= title.top + title.height
        assert picture.left >= 0 and picture.top + picture.height <= prs.slide_height
        assert abs((picture.left + picture.width / 2) - prs.slide_width / 2) <= 2  # EMU of rounding
        w, h = deck_slides.png_size(picture.image.blob)
        assert abs(picture.width / picture.height - w / h) < 0.01  # not stretched
        margin = 0.5 * EMU_PER_INCH  # and as large as the slide allows: it touches the sides or the bottom
        assert picture.width >= prs.slide_width - 2 * margin or \
            picture.top + picture.height >= prs.slide_height - margin


def test_the_title_is_on_the_slide_not_drawn_again_in_the_picture(built):
    _, prs = built
    slide = prs.slides[1]
    blip = diagram_picture(slide)._element.blipFill.blip
    svg = slide.part.related_part(blip.find(f"{A}extLst/{A}ext/{ASVG}svgBlip").get(f"{R}embed")).blob.decode()
    assert "Visual search - ML system design" not in svg
    assert "Prediction pipeline" in svg  # the clusters keep their labels


def test_plan_takes_each_specs_diagrams_of_that_id():
    specs = [load("framework"), load("visual_search")]
    sections, skipped = plan(specs, ["system"])
    assert [(s.id, [d.id for d in ds]) for s, ds in sections] == [("visual_search", ["system"])]
    assert skipped == ["framework"]
    with pytest.raises(UsageError, match=r"^no spec named has a diagram 'sytem'; did you mean 'system'\?$"):
        plan(specs, ["sytem"])
    with pytest.raises(UsageError, match=r"^visual_search has no diagram 'sytem'; it has: system, .*did you mean"):
        plan(specs[1:], ["sytem"])


# --- the command ---------------------------------------------------------------------------------------------------

def test_command_writes_the_deck(tmp_path, spec_file):
    spec = spec_file(MINIMAL)
    out = tmp_path / "mini.pptx"
    result = CliRunner().invoke(deck_cmd, [str(spec), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n2 slides: 1 diagram from 1 case study\n"
    prs = pptx.Presentation(str(out))
    assert [title_of(s) for s in prs.slides] == ["Mini", "Mini system"]


def test_diagram_system_makes_a_deck_of_every_system_design(tmp_path):
    out = tmp_path / "systems.pptx"
    result = run("deck", "--diagram", "system", "--out", out, "--scale", "1")
    assert result.exit_code == 0, result.output
    from mlsd_diagrams.catalog import bundled_ids

    with_system = [load(i) for i in bundled_ids() if "system" in load(i).diagrams]
    assert len(with_system) >= 10
    titles = [title_of(s) for s in pptx.Presentation(str(out)).slides]
    assert titles == [t for s in with_system for t in (s.title, s.diagrams["system"].title)]


@pytest.mark.parametrize("args, message", [
    (["visual_search", "--out", "deck.pdf"], "a deck is a .pptx file"),
    (["visual_search", "--scale", "2", "--dpi", "192"], "give --scale or --dpi, not both"),
    ([], "name a case study or a spec file, or pass --all or --diagram"),
    (["visual_search", "--diagram", "sytem"], "did you mean 'system'"),
])
def test_usage_errors_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("deck", *args)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert list(tmp_path.iterdir()) == []


def test_a_bad_spec_is_reported_as_file_line_col_and_nothing_is_written(tmp_path, spec_file, monkeypatch):
    bad = spec_file(MINIMAL.replace("kind: store", "kind: stor"), "mini.yaml")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.pptx").write_bytes(b"an earlier deck")
    result = run("deck", "visual_search", bad.name, "--out", "deck.pptx")
    assert result.exit_code == 1
    assert re.search(r"^mini\.yaml:\d+:\d+: error: .*kind.*did you mean 'store'", result.stderr, re.M), result.stderr
    assert "nothing was written" in result.stderr
    assert (tmp_path / "deck.pptx").read_bytes() == b"an earlier deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx", "mini.yaml"]


def test_a_bad_theme_fails_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brand.yaml").write_text("palette: {blue: '#12'}\n")
    result = run("deck", "visual_search", "--theme", "brand.yaml")
    assert result.exit_code == 1 and re.search(r"^brand\.yaml:1:\d+: error: palette\.blue", result.stderr, re.M)
    assert not (tmp_path / "deck.pptx").exists()


# --- determinism and atomicity -------------------------------------------------------------------------------------

def test_same_input_same_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    spec = load("visual_search")
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    deck([spec], first, diagrams=["system"])
    deck([spec], second, diagrams=["system"])
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = pptx.Presentation(str(first)).core_properties
    assert props.created.year == props.modified.year == 1970 and props.author == "mlsd-diagrams"


def test_source_date_epoch_sets_the_documents_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    deck([load("visual_search")], tmp_path / "a.pptx", diagrams=["system"])
    props = pptx.Presentation(str(tmp_path / "a.pptx")).core_properties
    assert props.created.isoformat() == props.modified.isoformat() == "2023-11-14T22:13:20"


def test_a_failure_while_building_leaves_the_old_deck_and_no_temporaries(tmp_path, monkeypatch):
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"an earlier deck")

    def broken(*args, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(deck_slides, "build", broken)
    with pytest.raises(RuntimeError, match="boom"):
        deck([load("visual_search")], out, diagrams=["system"])
    assert out.read_bytes() == b"an earlier deck"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def test_a_failure_while_writing_leaves_the_old_deck_and_no_temporaries(tmp_path, monkeypatch):
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"an earlier deck")
    real_replace = os.replace

    def full_disk(src, dst, *a, **kw):
        if Path(dst) == out:
            raise OSError(28, "No space left on device", str(src))
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        deck([load("visual_search")], out, diagrams=["system"])
    assert out.read_bytes() == b"an earlier deck"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_the_deck_appears_whole(tmp_path):
    out = tmp_path / "deck.pptx"
    deck([load("visual_search")], out, diagrams=["system"])
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


# --- start-up and the optional dependency --------------------------------------------------------------------------

def run_python(setup: str, args: list[str], cwd: Path | None = None) -> tuple[int, str]:
    """Run the CLI, with the deck command wired in, in a fresh interpreter after ``setup``: (exit code, stderr).

    The child reports its own exit code, so the test holds whatever the signal dispositions it inherits
    (with SIGCHLD ignored, the parent would read every exit status as 0)."""
    code = (f"import atexit, sys\n{setup}\n"
            "from mlsd_diagrams.cli import COMMANDS, main\n"
            "COMMANDS['deck'] = 'deck_cmd:deck_cmd'\n"
            f"sys.argv = ['mlsd-diagrams', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n"
            "    sys.stderr.write('EXIT=%s\\n' % (e.code or 0))\n    raise\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=cwd,
                         stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
    exits = re.findall(r"^EXIT=(\d+)$", out.stderr, re.M)
    assert exits, out.stderr
    return int(exits[-1]), out.stderr


@pytest.mark.parametrize("args", [["--help"], ["deck", "--help"]], ids=" ".join)
def test_help_does_not_import_python_pptx(args):
    setup = "atexit.register(lambda: sys.stderr.write('PPTX=%s\\n' % ('pptx' in sys.modules)))"
    code, stderr = run_python(setup, args)
    assert code == 0 and "PPTX=False" in stderr, stderr


def test_without_python_pptx_the_command_says_how_to_install_it(tmp_path):
    code, stderr = run_python("sys.modules['pptx'] = None  # as if python-pptx were not installed",
                              ["deck", "visual_search"], cwd=tmp_path)
    assert code == 3, stderr
    assert "pip install 'mlsd-diagrams[deck]'" in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


# --- LibreOffice Impress -------------------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def need(tool: str | None, name: str, package: str) -> str:
    if not tool:
        pytest.skip(f"{name} is not installed (Debian package {package}; scripts/setup --test installs it)")
    return tool


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_impress_shows_every_slides_title_and_diagram(tmp_path):
    soffice = need(SOFFICE, "LibreOffice Impress", "libreoffice-impress")
    pdftotext = need(shutil.which("pdftotext"), "pdftotext", "poppler-utils")
    pdftoppm = need(shutil.which("pdftoppm"), "pdftoppm", "poppler-utils")
    pytest.importorskip("PIL", reason="Pillow (a CairoSVG dependency) compares the pictures")
    from PIL import Image

    out = tmp_path / "deck.pptx"
    deck([load("visual_search"), load("ad_click_prediction")], out, diagrams=CHOSEN, theme="dark")
    prs = pptx.Presentation(str(out))
    cmd = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
           f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
           "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(out)]
    proc = subprocess.run(cmd, capture_output=True, timeout=600, check=False, stdin=subprocess.DEVNULL)
    pdf = tmp_path / "lo" / "deck.pdf"
    assert pdf.exists(), (proc.stdout + proc.stderr).decode(errors="replace")[-2000:]

    dpi = 48
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=300,
                   stdin=subprocess.DEVNULL)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(prs.slides) == 6
    for n, (slide, page_file) in enumerate(zip(prs.slides, pages, strict=True), 1):
        text = subprocess.run([pdftotext, "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              check=True, timeout=120, stdin=subprocess.DEVNULL).stdout.decode()
        assert words(title_of(slide)) in words(text), f"slide {n}: title missing from {text!r}"
        page = Image.open(page_file).convert("RGB")
        assert page.getpixel((2, 2)) == (0x12, 0x16, 0x1C)  # the dark theme's page
        if n in (1, 5):  # title slides
            continue
        picture = diagram_picture(slide)
        box = tuple(round(v / EMU_PER_INCH * dpi) for v in (picture.left, picture.top,
                                                             picture.left + picture.width,
                                                             picture.top + picture.height))
        seen = page.crop(box)
        ours = Image.open(io.BytesIO(picture.image.blob)).convert("RGB").resize(seen.size, Image.LANCZOS)
        blank = Image.new("RGB", seen.size, (0x12, 0x16, 0x1C))
        shown, empty = differing(seen, ours), differing(blank, ours)
        assert empty > 0.02, f"slide {n}: the check could not tell the diagram from an empty slide ({empty:.2%})"
        assert shown < 0.01, f"slide {n}: Impress shows another picture ({shown:.2%} of pixels differ)"


def differing(a, b) -> float:
    """The share of pixels that differ by more than 40 (of 255) after a slight blur, which forgives
    anti-aliasing and resampling but not a missing box, label or pictogram."""
    from PIL import ImageChops, ImageFilter

    d = ImageChops.difference(a.filter(ImageFilter.GaussianBlur(1)), b.filter(ImageFilter.GaussianBlur(1)))
    hist = d.convert("L").histogram()
    return sum(hist[40:]) / sum(hist)
