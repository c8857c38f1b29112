"""Render cache, parallel rendering and lean start-up: behaviour, not speed."""

import json
import subprocess
import sys

import pytest

from mlsd_diagrams import load, render
from mlsd_diagrams.renderer import RenderOptions, render_many

from .conftest import MINIMAL, fake_dot

# Both diagrams name their direction: one left out is laid out both ways first (two more runs, once a process),
# which would make the counts below depend on what this test process drew before.
TWO = MINIMAL.replace("    title: Mini system\n", "    title: Mini system\n    direction: LR\n") + """  model:
    title: Model
    direction: BT
    nodes:
      x: {label: Features, kind: tensor}
      y: {label: Probability, kind: tensor}
    edges: [x -> y]
"""


def test_unchanged_render_is_skipped(spec_file, tmp_path, dot_runs):
    spec = load(str(spec_file(TWO)))
    first = render(spec, tmp_path / "out")
    assert sorted(first.rendered) == ["mini/model", "mini/system"] and len(dot_runs) == 2
    second = render(spec, tmp_path / "out")
    assert second.rendered == [] and sorted(second.skipped) == ["mini/model", "mini/system"]
    assert len(dot_runs) == 2
    assert sorted(second.files) == sorted(first.files)


def test_force_renders_again(spec_file, tmp_path, dot_runs):
    spec = load(str(spec_file(TWO)))
    render(spec, tmp_path)
    assert sorted(render(spec, tmp_path, force=True).rendered) == ["mini/model", "mini/system"]
    assert len(dot_runs) == 4


def test_a_changed_diagram_renders_alone(spec_file, tmp_path):
    path = spec_file(TWO)
    render(load(str(path)), tmp_path)
    path.write_text(path.read_text().replace("label: Probability", "label: P(click)"))
    result = render(load(str(path)), tmp_path)
    assert result.rendered == ["mini/model"] and result.skipped == ["mini/system"]
    assert "P(click)" in (tmp_path / "mini/model.svg").read_text()


def test_moving_lines_around_is_not_a_change(spec_file, tmp_path):
    path = spec_file(TWO)
    render(load(str(path)), tmp_path)
    path.write_text("# a comment that shifts every line\n\n" + path.read_text())
    assert render(load(str(path)), tmp_path).rendered == []


@pytest.mark.parametrize("change", [{"formats": ["svg"]}, {"theme": "book.yaml"}])
def test_other_options_or_theme_render_again(spec_file, tmp_path, change):
    spec = load(str(spec_file(MINIMAL)))
    render(spec, tmp_path, formats=["svg", "png"])
    if "theme" in change:
        (tmp_path / "book.yaml").write_text("palette: {blue: '#AACCEE'}\n")
        change = {"theme": str(tmp_path / "book.yaml"), "formats": ["svg", "png"]}
    assert render(spec, tmp_path, **change).rendered == ["mini/system"]


def test_deleted_or_edited_output_is_rendered_again(spec_file, tmp_path):
    spec = load(str(spec_file(TWO)))
    render(spec, tmp_path)
    (tmp_path / "mini/system.png").unlink()
    (tmp_path / "mini/model.svg").write_text("<svg/>")
    assert sorted(render(spec, tmp_path).rendered) == ["mini/model", "mini/system"]
    assert (tmp_path / "mini/system.png").exists() and "Probability" in (tmp_path / "mini/model.svg").read_text()


def test_corrupt_cache_file_is_ignored(spec_file, tmp_path):
    spec = load(str(spec_file(MINIMAL)))
    render(spec, tmp_path)
    (tmp_path / "mini/.mlsd-cache.json").write_text("{not json")
    assert render(spec, tmp_path).rendered == ["mini/system"]
    assert json.loads((tmp_path / "mini/.mlsd-cache.json").read_text())["system"]["key"]


def test_diagrams_render_in_parallel(tmp_path, monkeypatch):
    log = tmp_path / "log"
    monkeypatch.setenv("PATH", fake_dot(tmp_path, f'echo start $(/bin/date +%s.%N) >> {log}\n/bin/sleep 0.4\n'
                                        f'echo end $(/bin/date +%s.%N) >> {log}\n'
                                        'svg="<svg xmlns=\\"http://www.w3.org/2000/svg\\" viewBox=\\"0 0 8 8\\"/>"\n'
                                        'while [ $# -gt 0 ]; do [ "$1" = -o ] && echo "$svg" > "$2"; shift; done'))
    spec = load("visual_search")
    jobs = [(spec, spec.diagrams[d]) for d in ("encoder", "training")]
    render_many(jobs, tmp_path / "out", RenderOptions(formats=("svg",)), workers=2)
    events = sorted((float(t), kind) for kind, t in (line.split() for line in log.read_text().splitlines()))
    assert [kind for _, kind in events] == ["start", "start", "end", "end"]  # both ran at once


def test_a_failing_diagram_does_not_lose_the_others(tmp_path, monkeypatch):
    spec = load("visual_search")
    render(spec, tmp_path, formats=["svg"], diagrams=["encoder", "training"])
    monkeypatch.setenv("PATH", fake_dot(tmp_path, "exit 1"))
    with pytest.raises(Exception, match="Graphviz failed"):
        render(spec, tmp_path, formats=["svg"], force=True)
    assert "Image encoder" in (tmp_path / "visual_search/encoder.svg").read_text()


@pytest.mark.parametrize("args", [["--help"], ["list"], ["validate", "visual_search"],
                                  ["render", "visual_search", "--out", "OUT"]])
def test_light_commands_do_not_import_heavy_modules(args, tmp_path):
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    if args[0] == "render":  # warm: everything is up to date, so nothing is drawn
        subprocess.run([sys.executable, "-m", "mlsd_diagrams", *args], check=True, capture_output=True)
    code = ("import sys; from mlsd_diagrams.cli import cli\n"
            f"try: cli({args!r})\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('diagrams', 'graphviz', 'cairosvg')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_progress_is_quiet_when_not_a_terminal(run):
    result = run("render", "visual_search", "--diagram", "encoder", "--out", "out")
    assert "Rendering" not in result.stderr and result.stderr == ""
