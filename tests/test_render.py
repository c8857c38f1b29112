"""Rendering with real Graphviz: files, labels, icons, escaping, determinism, atomicity, faults."""

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd_diagrams import load, render
from mlsd_diagrams.core.errors import GraphvizError
from mlsd_diagrams.renderer.dot import ICON_DIR, build_dot
from mlsd_diagrams.themes import load_theme

from .conftest import MINIMAL, fake_dot

GOLDEN = Path(__file__).parent / "golden"
SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def test_render_writes_every_format_with_labels(spec_file, tmp_path):
    spec = load(str(spec_file(MINIMAL)))
    result = render(spec, tmp_path / "out", formats=["svg", "png", "pdf"])
    folder = tmp_path / "out" / "mini"
    assert sorted(p.name for p in folder.iterdir()) == [".mlsd-cache.json", "system.pdf", "system.png", "system.svg"]
    assert sorted(result.files) == sorted(p for p in folder.iterdir() if p.suffix != ".json")
    texts = svg_texts(folder / "system.svg")
    for label in ("Mini system", "User", "API service", "Feature store", "Prediction pipeline", "request"):
        assert label in texts
    assert (folder / "system.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / "system.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("family", ["DejaVu Sans", "Comic Neue"])
def test_the_themes_fonts_are_installed(family):
    """With no fonts Graphviz still exits 0 but every label is tofu; fontconfig must find what themes name."""
    found = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True, check=True)
    assert family in found.stdout.split(",")


def test_svg_embeds_icons_and_references_no_file(spec_file, tmp_path):
    spec = load(str(spec_file(MINIMAL)))
    render(spec, tmp_path, formats=["svg"])
    svg = (tmp_path / "mini/system.svg").read_text()
    assert 'xlink:href="data:image/png;base64,' in svg  # the actor's person pictogram
    assert str(ICON_DIR) not in svg and "file:" not in svg
    assert 'font-family="' in svg and "sans-serif" in svg


HOSTILE = r'<b>bold</b> & "quotes" \N \l {a|b} <script>alert(1)</script>'


def test_labels_render_literally(spec_file, tmp_path):
    text = MINIMAL.replace("label: API service", f"label: '{HOSTILE}'").replace("request", "'<i>&amp;</i>'")
    spec = load(str(spec_file(text)))
    render(spec, tmp_path, formats=["svg"])
    svg_path = tmp_path / "mini/system.svg"
    joined = " ".join(svg_texts(svg_path))
    assert "<b>bold</b> &" in joined and r"\N \l {a|b}" in joined and "<script>alert(1)</script>" in joined
    assert "<i>&amp;</i>" in joined
    root = ET.parse(svg_path).getroot()
    assert not list(root.iter(f"{SVG_NS}script"))
    assert not [el for el in root.iter() if el.tag in (f"{SVG_NS}b", f"{SVG_NS}i")]


def test_same_spec_renders_same_bytes(tmp_path):
    spec = load("visual_search")
    render(spec, tmp_path / "one", formats=["svg", "png", "pdf"], diagrams=["system"])
    render(spec, tmp_path / "two", formats=["svg", "png", "pdf"], diagrams=["system"])
    for fmt in ("svg", "png", "pdf"):
        a = (tmp_path / f"one/visual_search/system.{fmt}").read_bytes()
        b = (tmp_path / f"two/visual_search/system.{fmt}").read_bytes()
        assert a == b, fmt


def normalised_dot(spec_id: str, diagram: str) -> str:
    source = build_dot(load(spec_id).diagrams[diagram], load_theme("book"))
    return source.replace(str(ICON_DIR), "<icons>")


def test_dot_source_matches_golden(update_golden):
    golden = GOLDEN / "visual_search.system.dot"
    source = normalised_dot("visual_search", "system")
    if update_golden:
        golden.write_text(source)
    assert source == golden.read_text()


def test_one_graphviz_run_per_diagram_whatever_the_formats(dot_runs, tmp_path):
    render(load("visual_search"), tmp_path, formats=["svg", "png", "pdf"], diagrams=["system", "encoder"])
    assert len(dot_runs) == 2
    assert all(cmd[0].endswith("dot") for cmd in dot_runs)  # one layout; PNG and PDF come from it


def test_nothing_is_left_in_the_working_directory(run, tmp_path):
    result = run("render", "visual_search", "--diagram", "encoder", "--out", "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out/visual_search").iterdir()) == [".mlsd-cache.json", "encoder.png",
                                                                                  "encoder.svg"]


def test_failed_render_leaves_earlier_outputs_untouched(run, tmp_path, monkeypatch):
    assert run("render", "visual_search", "--out", "out").exit_code == 0
    folder = tmp_path / "out/visual_search"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setenv("PATH", fake_dot(tmp_path, "echo 'Error: syntax error in line 1' >&2\nexit 1"))
    result = run("render", "visual_search", "--out", "out", "--force")
    assert result.exit_code == 3
    assert "Graphviz failed:\nError: syntax error in line 1" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temp files, nothing changed


def test_missing_graphviz_says_how_to_install(run, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("render", "visual_search", "--out", "out", "--force")
    assert result.exit_code == 3
    assert "apt-get install graphviz" in result.stderr and "brew install graphviz" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.svg"))


def test_hanging_graphviz_times_out(run, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", fake_dot(tmp_path, "exec /bin/sleep 30"))
    monkeypatch.setenv("MLSD_DOT_TIMEOUT", "0.5")
    result = run("render", "visual_search", "--diagram", "encoder", "--out", "out")
    assert result.exit_code == 3
    assert "Graphviz took longer than 0.5 s" in result.stderr


def test_graphviz_warnings_are_surfaced(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", fake_dot(tmp_path, 'echo "Warning: something odd" >&2\n'
                                        'svg="<svg xmlns=\\"http://www.w3.org/2000/svg\\" viewBox=\\"0 0 8 8\\"/>"\n'
                                        'while [ $# -gt 0 ]; do [ "$1" = -o ] && echo "$svg" > "$2"; shift; done'))
    result = render(load("visual_search"), tmp_path / "out", formats=["svg"], diagrams=["encoder"])
    assert result.warnings == ["visual_search/encoder: Warning: something odd"]


def test_output_files_are_readable_by_everyone(tmp_path):
    render(load("visual_search"), tmp_path, formats=["svg"], diagrams=["encoder"])
    mode = (tmp_path / "visual_search/encoder.svg").stat().st_mode
    assert mode & 0o044 == 0o044


def test_graphviz_error_type():
    assert GraphvizError.exit_code == 3
