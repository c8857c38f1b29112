"""Every command example in the README runs.

Each line of a ```sh block that starts with ``mlsd-diagrams`` is run by
``sh`` (so globs, redirections and ``# comments`` work as in a terminal), in
README order, in one scratch folder that holds the files a reader would have
(``FILES``). A line must exit 0 unless its comment says otherwise, e.g.
``mlsd-diagrams validate broken.yaml   # exits 1: ...``. ``watch`` runs until
its first render, then gets Ctrl-C and must stop cleanly. New examples are
covered without touching this file; a new file name they need goes in ``FILES``.
Set ``MLSD_README`` to check another Markdown file (a draft section).
"""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import MINIMAL

ROOT = Path(__file__).parent.parent
README = Path(os.environ.get("MLSD_README", ROOT / "README.md"))
_BLOCK = re.compile(r"^```(?:sh|bash|shell|console)\n(.*?)^```", re.M | re.S)
_EXIT = re.compile(r"#.*\bexits? (\d+)\b")
LONG_RUNNING = {"watch"}  # commands that run until Ctrl-C

# Files the README's examples may name, as a reader's folder would have them.
FILES = {
    "my_design.yaml": MINIMAL.replace("id: mini", "id: my_design"),
    "broken.yaml": MINIMAL.replace("id: mini", "id: broken").replace("kind: store", "kind: stor"),
    "my_theme.yaml": "base: book\npalette: {blue: '#CFE3FF'}\n",
}


def examples(text: str) -> list[str]:
    return [line.strip() for block in _BLOCK.findall(text) for line in block.splitlines()
            if line.strip().startswith("mlsd-diagrams")]


EXAMPLES = examples(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A reader's folder, and a PATH on which ``mlsd-diagrams`` is this checkout's."""
    work = tmp_path_factory.mktemp("readme")
    for name, text in FILES.items():
        (work / name).write_text(text.lstrip("\n"), encoding="utf-8")
    shutil.copytree(ROOT / "specs", work / "specs")
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "mlsd-diagrams"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m mlsd_diagrams "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    return work, env


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("line", EXAMPLES, ids=[" ".join(shlex.split(ln, comments=True)) for ln in EXAMPLES])
def test_readme_example_runs(line, folder):
    work, env = folder
    expected = int(m.group(1)) if (m := _EXIT.search(line)) else 0
    if _command(line) in LONG_RUNNING:
        out = _until_first_render(line, work, env)
    else:
        out = subprocess.run(["sh", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == expected, f"{line}\nstdout: {out.stdout}\nstderr: {out.stderr}"


def _command(line: str) -> str | None:
    """The subcommand a line runs: the first word after ``mlsd-diagrams`` that is not an option."""
    words = shlex.split(line, comments=True)[1:]
    return next((w for w in words if not w.startswith("-")), None)


def _until_first_render(line: str, work: Path, env: dict) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(["sh", "-c", f"exec {line}"], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=120)  # the first render's summary
    first = got[0] if got else ""
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert first, f"{line}: printed nothing before stopping; stderr: {stderr}"
    return subprocess.CompletedProcess(line, proc.returncode, first + stdout, stderr)
