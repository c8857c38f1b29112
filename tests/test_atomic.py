"""Atomic output: whatever stops a render (Ctrl-C, a full disk, a crashed Graphviz, a second render into the
same folder), every file in the output folder is a complete file, earlier outputs are as they were, and no
temporary file is left behind."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd_diagrams import load
from mlsd_diagrams.core.errors import OutputError
from mlsd_diagrams.renderer import RenderOptions, files, graphviz, render_many
from mlsd_diagrams.renderer.files import STALE_AFTER, TEMP_PREFIX, publish, staging, sweep_stale, write_atomic

from .conftest import MINIMAL, fake_dot

CACHE = ".mlsd-cache.json"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def complete(path: Path) -> bool:
    """A whole SVG (parses, ends with its root) or a whole PNG (signature ... IEND)."""
    data = path.read_bytes()
    if path.suffix == ".svg":
        try:
            ET.fromstring(data)
        except ET.ParseError:
            return False
        return data.rstrip().endswith(b"</svg>")
    if path.suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(PNG_END)
    return True


def leftovers(folder: Path) -> list[str]:
    """Temporary files and folders anywhere under ``folder`` (the render cache itself is not one)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(f"{TEMP_PREFIX}*") if p.name != CACHE) + \
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != CACHE}


def test_concurrent_renders_into_one_folder_never_leave_a_broken_file(tmp_path):
    """Three processes render the same diagrams into one folder at once while a reader keeps reading them:
    every read sees a complete file (or none yet), and at the end nothing temporary is left."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mlsd_diagrams", "render", "visual_search", "-d", "system", "-d", "training",
           "--format", "svg,png", "--force", "--out", str(out)]
    torn: list[str] = []
    stop = threading.Event()

    def reader():  # what a user sees: the published files (each render's private staging folder is its own)
        while not stop.is_set():
            for p in list(out.glob("*/*.svg")) + list(out.glob("*/*.png")):
                try:
                    if not complete(p):
                        torn.append(p.name)
                except FileNotFoundError:
                    pass

    watcher = threading.Thread(target=reader, daemon=True)
    watcher.start()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    stop.set()
    watcher.join()
    for p, (_, err) in zip(procs, results, strict=False):
        assert p.returncode == 0, err.decode()
    folder = out / "visual_search"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [CACHE, "system.png", "system.svg", "training.png", "training.svg"]
    assert all(complete(folder / n) for n in names if n != CACHE)
    assert torn == []
    assert leftovers(out) == []


@pytest.fixture
def rendered(tmp_path):
    """visual_search rendered once (svg): the earlier outputs a failed render must not touch."""
    out = tmp_path / "out"
    spec = load("visual_search")
    render_many([(spec, d) for d in spec.diagrams.values()], out, RenderOptions(formats=("svg",)), workers=1)
    return spec, out, snapshot(out)


def test_ctrl_c_part_way_leaves_earlier_outputs_and_no_temporaries(rendered, monkeypatch):
    spec, out, before = rendered
    real_run_dot = graphviz.run_dot
    calls = []

    def interrupted_after_first(source, outputs, **kw):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real_run_dot(source, outputs, **kw)

    monkeypatch.setattr(graphviz, "run_dot", interrupted_after_first)
    jobs = [(spec, d) for d in spec.diagrams.values()]
    with pytest.raises(KeyboardInterrupt):
        render_many(jobs, out, RenderOptions(formats=("svg",)), force=True, workers=1)
    assert snapshot(out) == before  # the first diagram was redrawn to the same bytes; the rest untouched
    assert leftovers(out) == []


def test_ctrl_c_in_the_cli_exits_130_without_a_traceback(run, tmp_path, monkeypatch):
    monkeypatch.setattr(graphviz, "run_dot", lambda *a, **kw: (_ for _ in ()).throw(KeyboardInterrupt))
    result = run("render", "visual_search", "--diagram", "encoder", "--out", "out")
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["replace", "write"])
def test_disk_full_is_a_clear_environment_error_and_nothing_is_half_written(rendered, where, run, monkeypatch):
    spec, out, before = rendered

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "replace":
        monkeypatch.setattr(files.os, "replace", full)
    else:
        monkeypatch.setattr(Path, "write_bytes", full)
    result = run("render", "visual_search", "--format", "svg", "--force", "--out", str(out))
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert "No space left on device; free some space and render again" in result.stderr
    assert "Files already in place were left as they were." in result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_write_atomic_on_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "index.json"
    target.write_text("old")
    monkeypatch.setattr(files.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space")))
    with pytest.raises(OutputError, match="No space"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.json"]


def test_out_is_a_file(run, tmp_path, spec_file):
    spec = spec_file(MINIMAL)
    (tmp_path / "taken").write_text("not a folder")
    assert run("render", spec.name, "--format", "svg", "--out", "taken").exit_code == 2  # Click: not a folder
    result = run("render", spec.name, "--format", "svg", "--out", "taken/inside")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert "cannot create the output folder" in result.stderr and "in the way" in result.stderr
    assert (tmp_path / "taken").read_text() == "not a folder"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(run, tmp_path, spec_file):
    spec = spec_file(MINIMAL)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = run("render", spec.name, "--format", "svg", "--out", "locked")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 3
    assert "Permission denied" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("script, message", [
    # Graphviz killed by a signal half-way
    ("kill -SEGV $$\n", "Graphviz failed"),
    # Graphviz claims success but leaves half an SVG behind
    ('while [ $# -gt 0 ]; do [ "$1" = -o ] && printf \'<svg xmlns="http://www.w3.org/2000/svg"><g>\' > "$2"; '
     "shift; done\n", "Graphviz wrote an SVG file that cannot be read"),
])
def test_graphviz_crash_keeps_earlier_outputs(rendered, run, tmp_path, monkeypatch, script, message):
    spec, out, before = rendered
    monkeypatch.setenv("PATH", fake_dot(tmp_path, script))
    result = run("render", "visual_search", "--format", "svg", "--force", "--out", str(out))
    assert result.exit_code == 3
    assert message in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_stale_temporaries_of_a_killed_render_are_swept(tmp_path):
    folder = tmp_path / "spec"
    folder.mkdir()
    old_dir, young_dir = folder / f"{TEMP_PREFIX}old123", folder / f"{TEMP_PREFIX}new456"
    old_file = folder / f"{TEMP_PREFIX}cache.json.abc.tmp"
    keep = [folder / "system.svg", folder / CACHE, folder / f"{TEMP_PREFIX}notes.txt"]
    for d in (old_dir, young_dir):
        d.mkdir()
        (d / "system.svg").write_text("half")
    for f in (old_file, *keep):
        f.write_text("x")
    long_ago = time.time() - STALE_AFTER - 60
    for p in (old_dir, old_file):
        os.utime(p, (long_ago, long_ago))
    sweep_stale(folder)
    assert not old_dir.exists() and not old_file.exists()
    assert young_dir.exists()  # may belong to a render running right now
    assert all(p.exists() for p in keep)


def test_publish_refuses_a_name_that_leaves_the_folder(tmp_path):
    with staging(tmp_path / "out" / "spec") as tmp:
        staged = tmp / "x.svg"
        staged.write_text("<svg/>")
        with pytest.raises(OutputError, match="outside the output folder"):
            publish(staged, tmp_path / "out" / "spec" / ".." / "x.svg")
    assert not (tmp_path / "out").exists()  # nothing written: the folders staging made are gone too


def test_staging_cleans_up_whatever_the_exception(tmp_path):
    for exc in (KeyboardInterrupt, SystemExit, RuntimeError):
        with pytest.raises(exc), staging(tmp_path) as tmp:
            (tmp / "half.svg").write_text("<svg")
            raise exc()
    assert list(tmp_path.iterdir()) == []


def test_sweep_is_best_effort(tmp_path, monkeypatch):
    """A folder the sweep cannot scan does not stop the render."""
    with monkeypatch.context() as m:
        m.setattr(files.os, "scandir", lambda p: (_ for _ in ()).throw(PermissionError(errno.EACCES, "no")))
        sweep_stale(tmp_path)
    sweep_stale(tmp_path / "missing")


@pytest.mark.parametrize("value", ["abc", "-1", "0", "nan"])
def test_a_bad_timeout_setting_is_a_clear_environment_error(run, monkeypatch, value):
    monkeypatch.setenv("MLSD_DOT_TIMEOUT", value)
    result = run("render", "visual_search", "--diagram", "encoder", "--force", "--out", "out")
    assert result.exit_code == 3
    assert f"MLSD_DOT_TIMEOUT must be a number of seconds above 0, not {value!r}" in result.stderr


def test_a_folder_removed_while_staging_is_made_again(tmp_path, monkeypatch):
    """Another render that failed removes the empty output folder it made, just after this one made sure
    the folder exists: staging makes it again instead of failing with 'No such file or directory'."""
    out = tmp_path / "out" / "spec"
    removed = []

    def remove_once(folder, older_than=STALE_AFTER):
        if not removed:
            removed.append(folder)
            folder.rmdir()

    monkeypatch.setattr(files, "sweep_stale", remove_once)
    with staging(out) as tmp:
        assert tmp.parent == out and tmp.is_dir()
    assert removed == [out]


def test_a_failed_render_of_several_diagrams_reports_the_failure_not_a_vanished_folder(tmp_path, monkeypatch):
    """Every diagram of a spec fails at once (no Graphviz): each thread's cleanup of the folders it made
    must not pull the folder from under another that is staging in it."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    spec = load("visual_search")
    for _ in range(5):
        with pytest.raises(Exception) as failed:
            render_many([(spec, d) for d in spec.diagrams.values()], tmp_path / "out", RenderOptions(), force=True)
        assert "Graphviz" in str(failed.value) and "No such file" not in str(failed.value)
        assert not (tmp_path / "out").exists()
