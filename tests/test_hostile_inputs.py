"""Every file a render reads is untrusted input, like a spec: themes, their bases, icons, render caches,
the `dot` on the PATH. One test (or a few) per case of the adversarial review, numbered as there."""

import base64
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlsd_diagrams import load, load_theme, render
from mlsd_diagrams.catalog import bundled_ids
from mlsd_diagrams.core.errors import SpecError
from mlsd_diagrams.export import to_dot, to_drawio, to_mermaid
from mlsd_diagrams.renderer import RenderOptions, render_many
from mlsd_diagrams.renderer.cache import RenderCache
from mlsd_diagrams.renderer.files import file_signature

from .conftest import MINIMAL, fake_dot

ICON = Path(__file__).parent.parent / "mlsd_diagrams" / "icons" / "cloud.png"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# 1. Theme attribute injection ---------------------------------------------------------------------------

INJECTED = 'kinds: {service: {fontname: \'<x> image="/etc/hostname" labelloc=<c>\'}}\n'


def test_1_a_theme_value_cannot_add_graphviz_attributes(tmp_path, run):
    theme = write(tmp_path / "t.yaml", INJECTED)
    with pytest.raises(SpecError, match="kinds.service.fontname: .* is not valid: a font name is"):
        load_theme(str(theme))
    assert run("themes", str(theme)).exit_code == 1
    result = run("render", "visual_search", "-d", "system", "--theme", str(theme), "--out", "out")
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("attr, value", [("style", "filled\" URL=\"javascript:alert(1)"), ("shape", "box;x"),
                                         ("margin", "<0.1>"), ("labelloc", "tt"), ("fontsize", "'12'")])
def test_1_every_attribute_value_has_a_shape(tmp_path, attr, value):
    section = "graph" if attr == "labelloc" else "node"
    theme = write(tmp_path / "t.yaml", f"{section}: {{{attr}: {value!r}}}\n")
    with pytest.raises(SpecError):
        load_theme(str(theme))


# 2. Theme `base:` escapes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("base, why", [("/etc/passwd", "is not a path relative to this theme's folder"),
                                       ("../outside.yaml", "lies outside this theme's folder"),
                                       ("missing.yaml", "there is no file")])
def test_2_a_theme_base_stays_in_the_theme_folder(tmp_path, base, why):
    write(tmp_path / "outside.yaml", "palette: {blue: '#000000'}\n")
    theme = write(tmp_path / "themes" / "mine.yaml", f"base: {base}\n")
    with pytest.raises(SpecError, match=why) as e:
        load_theme(str(theme))
    assert "root:" not in str(e.value)


def test_2_a_relative_base_is_read_from_the_theme_folder(tmp_path, monkeypatch):
    write(tmp_path / "themes" / "colours.yaml", "base: dark\npalette: {blue: '#123456'}\n")
    theme = write(tmp_path / "themes" / "mine.yaml", "base: colours.yaml\n")
    monkeypatch.chdir(tmp_path)  # not the theme's folder
    loaded = load_theme("themes/mine.yaml")
    assert loaded.palette["blue"] == "#123456" and loaded.name == "dark"
    assert theme.exists()


# 3. A bundled id is never read from the current folder -------------------------------------------------

def test_3_a_bundled_id_means_the_bundled_spec(tmp_path, run):
    write(tmp_path / "visual_search", "private: do not read me\n")
    write(tmp_path / "mine.yaml", "id: mine\nextends: visual_search\ntitle: Mine\n")
    result = run("validate", "mine.yaml")
    assert result.exit_code == 0 and "private" not in result.stderr + result.stdout
    assert run("validate", "visual_search").exit_code == 0


# 4. Icons are read once ------------------------------------------------------------------------------------

def test_4_exports_embed_the_icon_bytes_that_were_checked(tmp_path):
    icon = tmp_path / "pic.png"
    icon.write_bytes(ICON.read_bytes())
    spec_path = write(tmp_path / "iconic.yaml", MINIMAL.replace("id: mini", "id: iconic")
                      .replace("kind: store}", "kind: store, icon: pic.png}"))
    spec = load(str(spec_path))
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"SECRET" * 100)
    icon.unlink()
    icon.symlink_to(secret)  # swapped after the check
    drawio = to_drawio(spec.diagrams["system"], load_theme("book"))
    assert base64.b64encode(ICON.read_bytes()).decode() in drawio
    assert base64.b64encode(secret.read_bytes()).decode()[:40] not in drawio


# 5. Mermaid injection ------------------------------------------------------------------------------------

def test_5_a_label_cannot_configure_or_extend_a_mermaid_chart(tmp_path):
    text = MINIMAL.replace("label: API service", "label: 'x %%{init: {\"theme\": \"dark\"}}%% y'") \
        .replace("label: Feature store", "label: \"a\\u2028n_user --> n_db\\u2029%% z\"")
    spec = load(str(write(tmp_path / "mini.yaml", text)))
    chart = to_mermaid(spec.diagrams["system"])
    body = chart.split("flowchart", 1)[1]
    assert "%%" not in body and "\u2028" not in chart and "\u2029" not in chart
    assert sum(1 for line in chart.splitlines() if "-->" in line or "<-.->" in line) == 2  # the spec's two edges
    assert len([line for line in chart.splitlines() if line.strip().startswith("n_")]) == 3 + 2


# 6. A corrupt PNG icon ------------------------------------------------------------------------------------

@pytest.mark.parametrize("options", [[], ["--format", "pdf"], ["--scale", "2"]])
def test_6_a_corrupt_png_is_refused_before_drawing(tmp_path, run, options):
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    write(tmp_path / "iconic.yaml", MINIMAL.replace("id: mini", "id: iconic")
          .replace("kind: store}", "kind: store, icon: bad.png}"))
    result = run("render", "iconic.yaml", "--out", "out", *options)
    assert result.exit_code == 1 and "is not a readable PNG image" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_6_an_image_claiming_huge_dimensions_is_refused(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                                       + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    path = write(tmp_path / "iconic.yaml", MINIMAL.replace("id: mini", "id: iconic")
                 .replace("kind: store}", "kind: store, icon: big.png}"))
    with pytest.raises(SpecError, match="60000 x 60000 pixels; the limit is 2048"):
        load(str(path))


# 7. `extends` of a file that is not a spec ------------------------------------------------------------------

@pytest.mark.parametrize("base", ['"a string"\n', "[1, 2]\n"])
def test_7_extending_a_non_mapping_is_a_clear_error(tmp_path, run, base):
    write(tmp_path / "base.yaml", base)
    write(tmp_path / "child.yaml", "id: child\nextends: base.yaml\n")
    result = run("validate", "child.yaml")
    assert result.exit_code == 1 and "extends: base.yaml is not a spec" in result.stderr
    assert "Traceback" not in result.stderr


# 8. A hostile render cache -----------------------------------------------------------------------------

def hostile_caches(folder: Path):
    cache = folder / ".mlsd-cache.json"
    yield "nested", lambda: cache.write_text("[" * 100_000 + "]" * 100_000)
    yield "link to /dev/zero", lambda: cache.symlink_to("/dev/zero")
    yield "fifo", lambda: os.mkfifo(cache)
    yield "huge", lambda: os.truncate(cache.open("wb").name, 200 * 1024 * 1024)
    yield "folder", lambda: cache.mkdir()
    yield "wrong shape", lambda: cache.write_text('{"system": [1, 2], "x": "y"}')


@pytest.mark.parametrize("case", [name for name, _ in hostile_caches(Path("."))])
def test_8_a_hostile_cache_reads_as_empty(tmp_path, case):
    folder = tmp_path / "out" / "mini"
    folder.mkdir(parents=True)
    dict(hostile_caches(folder))[case]()
    assert RenderCache(folder).entries == {}


def test_8_a_render_goes_on_past_a_hostile_cache(tmp_path, run):
    write(tmp_path / "mini.yaml", MINIMAL)
    (tmp_path / "out" / "mini").mkdir(parents=True)
    (tmp_path / "out" / "mini" / ".mlsd-cache.json").write_text("[" * 100_000)
    result = run("render", "mini.yaml", "--out", "out", "-f", "svg")
    assert result.exit_code == 0 and (tmp_path / "out" / "mini" / "system.svg").is_file()


# 9. Concurrent renders with different options ---------------------------------------------------------

def test_9_a_file_another_render_replaced_is_not_taken_as_ours(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    ours = folder / "system.svg"
    ours.write_text("<svg>ours</svg>")
    cache = RenderCache(folder)
    cache.record("system", "key", {ours.name: file_signature(ours)})
    stamp = ours.stat().st_mtime_ns
    theirs = folder / "theirs.tmp"
    theirs.write_text("<svg>them</svg>")  # the same size, and then the same time: only the inode differs
    os.utime(theirs, ns=(stamp, stamp))
    os.replace(theirs, ours)
    assert not cache.fresh("system", "key", [ours])


# 10. `dot` does not outlive the render ------------------------------------------------------------------

def _render_with_slow_dot(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    pids = tmp_path / "pids"
    env = {**os.environ, "PATH": fake_dot(tmp_path, f"echo $$ >> {pids}\nexec sleep 120\n", keep_path=True)}
    write(tmp_path / "mini.yaml", MINIMAL)
    # Ctrl-C as a terminal sends it: whatever disposition this test run inherited (a run started in the
    # background ignores SIGINT, and so would the render), the render starts with the default one
    proc = subprocess.Popen([sys.executable, "-m", "mlsd_diagrams", "render", "mini.yaml", "-f", "svg", "--out",
                             "out"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not (pids.exists() and pids.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pids.exists(), "the fake dot never started"
    return proc, pids


def _gone(pid: int, within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return True  # dead, waiting to be reaped
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see processes")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_10_dot_dies_with_the_render(tmp_path, sig):
    proc, pids = _render_with_slow_dot(tmp_path)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    for pid in map(int, pids.read_text().split()):
        assert _gone(pid), f"dot ({pid}) outlived the render after {sig.name}"
    if sig != signal.SIGKILL:
        assert not list((tmp_path / "out").rglob("*")) if (tmp_path / "out").exists() else True


# 11. A `dot` that writes something that is not UTF-8 -------------------------------------------------

def test_11_non_utf8_from_dot_is_an_environment_error(tmp_path, run, monkeypatch):
    write(tmp_path / "mini.yaml", MINIMAL)
    monkeypatch.setenv("PATH", fake_dot(tmp_path, 'while [ $# -gt 0 ]; do [ "$1" = -o ] && '
                                                  "printf '\\377\\376<svg>' > \"$2\"; shift; done\n",
                                              keep_path=True))
    result = run("render", "mini.yaml", "-f", "svg", "--out", "out")
    assert result.exit_code == 3 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr


# 12. A PNG Graphviz would shrink -------------------------------------------------------------------------

def test_12_a_png_too_large_to_exist_is_refused(tmp_path, run):
    n = 400
    lines = ["id: long_chain", "title: Long", "diagrams:", "  d:", "    title: D", "    nodes:"]
    lines += [f"      n{i}: {{label: Node number {i} with a long label, kind: service}}" for i in range(n)]
    lines += ["    edges:", "      - " + " -> ".join(f"n{i}" for i in range(n))]
    write(tmp_path / "long_chain.yaml", "\n".join(lines) + "\n")
    result = run("render", "long_chain.yaml", "-f", "png", "--out", "out")
    assert result.exit_code == 2 and "32,767 pixels" in result.stderr
    assert not (tmp_path / "out").exists()


# 13. Messages name the user's paths, never temporary ones ---------------------------------------------

def test_13_messages_never_name_temporary_files(tmp_path, run, monkeypatch):
    write(tmp_path / "mini.yaml", MINIMAL)
    (tmp_path / "out" / "mini" / ".mlsd-cache.json").mkdir(parents=True)  # the cache path is a folder
    result = run("render", "mini.yaml", "-f", "svg", "--out", "out")
    assert result.exit_code == 3 and "out/mini/.mlsd-cache.json" in result.stderr
    assert ".tmp" not in result.stderr
    monkeypatch.setenv("PATH", fake_dot(tmp_path, "exit 0\n", keep_path=True))  # dot writes nothing
    result = run("render", "mini.yaml", "-f", "svg", "--out", "out2", "--force")
    assert result.exit_code == 3 and "without writing the diagram" in result.stderr and ".mlsd-" not in result.stderr


# 14. `--out` starting with `-`; failed renders leave no empty folders ----------------------------------

def test_14_an_output_folder_may_start_with_a_dash(tmp_path, run):
    write(tmp_path / "mini.yaml", MINIMAL)
    result = run("render", "mini.yaml", "-f", "svg", "--out", "-slides")
    assert result.exit_code == 0 and (tmp_path / "-slides" / "mini" / "system.svg").is_file()


def test_14_a_failed_render_leaves_no_empty_folders(tmp_path, run, monkeypatch):
    write(tmp_path / "mini.yaml", MINIMAL)
    monkeypatch.setenv("PATH", fake_dot(tmp_path, "exit 1\n", keep_path=True))
    result = run("render", "mini.yaml", "-f", "svg", "--out", "deep/out")
    assert result.exit_code == 3 and not (tmp_path / "deep").exists()


# 15. Text in scripts the label's font lacks, in PDFs and in PNGs drawn from the SVG ---------------------

CJK = "画像検索"  # Japanese: image search


def cjk_spec(folder: Path, words: str) -> Path:
    return write(folder / "cjk.yaml", f"id: cjk\ntitle: T\ndiagrams:\n  d:\n    title: {words} system\n    nodes:\n"
                 f"      a: {{label: '{words} service', kind: service}}\n      b: {{label: Store, kind: store}}\n"
                 "    edges: [a -> b]\n")


def cjk_fonts() -> set[str]:
    """The families fontconfig has for the CJK test text; the test set-up installs fonts-droid-fallback."""
    codes = ",".join(f"{ord(c):x}" for c in CJK)
    out = subprocess.run(["fc-list", f":charset={codes}", "family"], capture_output=True, text=True).stdout
    fonts = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
    if not fonts:
        pytest.skip("no font here has Japanese text (scripts/setup --test installs fonts-droid-fallback)")
    return fonts


def test_15_a_pdf_embeds_a_font_that_has_the_labels_characters(tmp_path):
    fonts = {f.replace(" ", "") for f in cjk_fonts()}
    render(load(str(cjk_spec(tmp_path, CJK))), tmp_path, formats=["pdf"])
    pdf = (tmp_path / "cjk" / "d.pdf").read_bytes()
    embedded = {name.split(b"+")[-1].decode() for name in re.findall(rb"/FontName\s*/([\w+-]+)", pdf)}
    assert embedded & fonts, (embedded, fonts)  # before: DejaVu Sans only, the text drawn as empty boxes


@pytest.mark.parametrize("options", [{"scale": 2}, {"transparent": True}, {"theme": "dark"}])
def test_15_pngs_drawn_from_the_svg_show_the_characters(tmp_path, options):
    """Two labels that differ only in their Japanese words: as empty boxes they drew the same picture."""
    cjk_fonts()
    pictures = []
    for words in (CJK, "検索画像"):
        folder = tmp_path / words
        render(load(str(cjk_spec(folder, words))), folder, formats=["png"], **options)
        pictures.append((folder / "cjk" / "d.png").read_bytes())
    assert pictures[0] != pictures[1]


def test_15_text_the_font_has_is_left_as_it_is():
    from mlsd_diagrams.renderer.fallback import with_font_fallback

    latin = '<svg><text x="1" font-family="DejaVu Sans" text-anchor="middle">Café → ①</text></svg>'.encode()
    assert with_font_fallback(latin) == latin
    ascii_only = b'<svg><text x="1">Feature store</text></svg>'
    assert with_font_fallback(ascii_only) is ascii_only


# 16. A closed pipe ----------------------------------------------------------------------------------------

def test_16_a_reader_that_stops_reading_is_not_bad_input(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "mlsd_diagrams", "schema"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=tmp_path)
    proc.stdout.close()  # like `| head -0`
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and stderr == ""



# 17. Graphviz's own PNG of an opaque page is opaque to its last pixel -----------------------------------

SYSTEMS = [sid for sid in bundled_ids() if "system" in load(sid).diagrams]


def test_17_default_pngs_are_opaque_to_the_last_row_and_column(tmp_path):
    """Graphviz clips its drawing to a page whose size in pixels is rarely whole; the partly covered last
    row and column used to come out see-through (4 of the 10 system designs, RGBA with alpha 114 or 170)."""
    from PIL import Image

    render_many([(load(sid), load(sid).diagrams["system"]) for sid in SYSTEMS], tmp_path,
                RenderOptions(formats=("png",)))
    for sid in SYSTEMS:
        with Image.open(tmp_path / sid / "system.png") as image:
            assert image.mode == "RGB", sid
            w, h = image.size
            page = image.getpixel((0, 0))
            edge = [image.getpixel((w - 1, y)) for y in range(h)] + [image.getpixel((x, h - 1)) for x in range(w)]
            assert set(edge) == {page}, sid


def test_17_graphviz_itself_draws_an_opaque_page_when_the_margin_allows():
    """The DOT shaves half a pixel off the page margin, so Graphviz's canvas is always covered: its own PNG is
    RGB with nothing to repair, for every bundled diagram with fewer than two top-level groups (Graphviz's
    layout reads the same margin as the gap between top-level groups, so those keep it)."""
    from mlsd_diagrams.renderer.dot import build_dot

    book = load_theme("book")
    see_through = []
    for sid in bundled_ids():
        for d in load(sid).diagrams.values():
            if len(d.members().get(None, ([], []))[0]) >= 2:
                continue
            png = subprocess.run(["dot", "-Tpng"], input=build_dot(d, book).encode(), capture_output=True,
                                 check=True).stdout
            if png[25] != 2:  # IHDR colour type: 2 is RGB, 6 RGBA
                see_through.append(f"{sid}/{d.id}")
    assert see_through == []


def test_17_a_see_through_theme_page_keeps_its_alpha(tmp_path):
    from PIL import Image

    theme = write(tmp_path / "glass.yaml", "base: book\ngraph: {bgcolor: '#FFFFFF80'}\n")
    assert not load_theme(str(theme)).opaque and load_theme("book").opaque
    render(load("visual_search"), tmp_path, diagrams=["system"], formats=["png"], theme=str(theme))
    with Image.open(tmp_path / "visual_search" / "system.png") as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0x80

# 18. Tests and watch do not depend on inherited signal dispositions ----------------------------------

def test_18_watch_stops_on_ctrl_c_even_when_started_with_sigint_ignored(tmp_path):
    write(tmp_path / "mini.yaml", MINIMAL)
    proc = subprocess.Popen([sys.executable, "-m", "mlsd_diagrams", "watch", "mini.yaml", "-f", "svg", "--out",
                             "out"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert "rendered" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
        assert "Stopped watching." in proc.stderr.read()
    finally:
        proc.kill()


# 19. Text that reads differently from what it is ------------------------------------------------------

@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\ufeff", "\u2060"])
def test_19_invisible_characters_are_refused(tmp_path, char):
    path = write(tmp_path / "mini.yaml", MINIMAL.replace("label: API service", f'label: "API{char}service"'))
    with pytest.raises(SpecError, match=f"invisible character U\\+{ord(char):04X}"):
        load(str(path))


@pytest.mark.parametrize("text", ["سلام\u200cدنیا", "👩\u200d💻 team", "\u200fعربي"])
def test_19_joiners_and_marks_scripts_need_are_kept(tmp_path, text):
    path = write(tmp_path / "mini.yaml", MINIMAL.replace("label: API service", f'label: "{text}"'))
    assert load(str(path)).diagrams["system"].nodes["api"].label == text


def test_dot_export_carries_no_theme_injection(tmp_path):
    """The DOT export writes theme attributes; a theme that passed its check has nothing to smuggle."""
    dot = to_dot(load("visual_search").diagrams["system"], load_theme("book"))
    assert "URL" not in dot and "javascript" not in dot
