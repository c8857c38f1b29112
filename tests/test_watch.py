"""``watch``: renders on change, survives bad specs, stops cleanly on Ctrl-C."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mlsd_diagrams.catalog import specs_dir
from mlsd_diagrams.cli.watch_cmd import Job
from mlsd_diagrams.renderer import RenderOptions
from mlsd_diagrams.themes import builtin_source
from mlsd_diagrams.watch import state, wait_for_change

from .conftest import MINIMAL


def test_wait_for_change_sees_an_edit(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("one")
    watched = {f: state(f)}
    calls = []

    def sleep(seconds):  # the file changes while the watcher sleeps
        calls.append(seconds)
        if len(calls) == 3:
            f.write_text("two, longer")

    assert wait_for_change(watched, 0.5, sleep=sleep) == [f]
    assert calls[:3] == [0.5, 0.5, 0.5]


def test_a_deleted_file_counts_as_a_change(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("one")
    watched = {f: state(f)}
    f.unlink()
    assert wait_for_change(watched, 0.01, sleep=lambda s: None) == [f]


def watched(spec: Path, theme: str = "book", out: Path | None = None) -> list[Path]:
    """The files one render of ``watch`` goes on to watch."""
    job = Job(str(spec), spec, RenderOptions(formats=("svg",), theme=theme), str(out or spec.parent / "out"), None)
    return list(job.run())


THEMES = Path(builtin_source.__code__.co_filename).parent


def test_watch_follows_extends_icons_and_theme_base(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base/parent.yaml").write_text("id: parent\nextends: visual_search\n")
    child = tmp_path / "child.yaml"
    child.write_text("id: child\nextends: base/parent.yaml\n")
    assert watched(child) == [child, tmp_path / "base/parent.yaml", specs_dir().absolute() / "visual_search.yaml",
                              THEMES / "book.yaml"]
    theme = tmp_path / "mine.yaml"
    theme.write_text("base: dark\n")
    (tmp_path / "pic.png").write_bytes(Path(THEMES.parent / "icons/cloud.png").read_bytes())
    own = tmp_path / "own.yaml"
    own.write_text(MINIMAL.replace("id: mini", "id: own").replace("kind: store", "kind: store, icon: pic.png"))
    files = watched(own, str(theme))
    assert files[0] == own and (tmp_path / "pic.png").resolve() in files
    assert theme in files and THEMES / "dark.yaml" in files


def test_a_broken_spec_is_still_watched(tmp_path):
    (tmp_path / "loop.yaml").write_text("id: loop\nextends: loop.yaml\n")
    assert watched(tmp_path / "loop.yaml") == [tmp_path / "loop.yaml"]


class Watch:
    """``mlsd-diagrams watch`` in a subprocess, its output lines collected as they come."""

    def __init__(self, cwd: Path, *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "mlsd_diagrams", "watch", *args], cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        for name in ("stdout", "stderr"):
            stream = getattr(self.proc, name)
            threading.Thread(target=self._pump, args=(name, stream), daemon=True).start()

    def _pump(self, name, stream):
        for line in stream:
            self.lines.put(f"{name}: {line.rstrip()}")

    def expect(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                assert self.proc.poll() is None, f"watch exited {self.proc.returncode}: {self.seen}"
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} within {timeout} s; saw {self.seen}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    time.sleep(0.05)  # a coarse file-system clock must still see a new modification time
    path.write_text(text.replace(old, new))


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt", reason="POSIX signals")
def test_watch_renders_on_change_reports_errors_and_stops_on_ctrl_c(tmp_path):
    spec = tmp_path / "mini.yaml"
    spec.write_text(MINIMAL.lstrip())
    svg = tmp_path / "out/mini/system.svg"
    w = Watch(tmp_path, "mini.yaml", "--format", "svg", "--out", "out", "--interval", "0.1")
    try:
        w.expect("stdout: ")
        assert "mini: 1 diagram rendered in out/mini/" in w.seen[-1]
        w.expect("Watching 2 files; press Ctrl-C to stop.")  # the spec and the book theme
        assert "Feature store" in svg.read_text()

        edit(spec, "Feature store", "Online feature store")
        w.expect("mini: 1 diagram rendered")
        assert "Online feature store" in svg.read_text()

        edit(spec, "kind: store", "kind: stor")
        w.expect("unknown kind 'stor'")
        w.expect("1 error; fix and save to render again.")
        assert w.proc.poll() is None  # still watching

        edit(spec, "kind: stor", "kind: store")
        assert " mini: " in w.expect("stdout: ")  # rendered again (or found unchanged: the same diagram as before)
    finally:
        w.proc.send_signal(signal.SIGINT)
        code = w.proc.wait(timeout=30)
    time.sleep(0.2)
    rest = []
    while not w.lines.empty():
        rest.append(w.lines.get())
    assert code == 0
    assert "stderr: Stopped watching." in rest
    assert not any("Traceback" in line for line in w.seen + rest)


def test_watch_of_an_unknown_case_study_is_a_usage_error(run):
    result = run("watch", "visual_serch")
    assert result.exit_code == 2 and "did you mean 'visual_search'?" in result.stderr


def test_watch_does_not_follow_extends_out_of_the_folder(tmp_path):
    """The loader refuses a base outside the spec's folder; watching must not read one either."""
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: secret\n")
    folder = tmp_path / "mine"
    folder.mkdir()
    spec = folder / "a.yaml"
    spec.write_text("id: a\nextends: ../secret.yaml\n")
    absolute = folder / "b.yaml"
    absolute.write_text(f"id: b\nextends: {outside}\n")
    assert watched(spec) == [spec]
    assert watched(absolute) == [absolute]
