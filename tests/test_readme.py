"""Every command example in the README and in docs/ runs.

Each line of a ```sh block that starts with ``mlsd-diagrams`` is run by
``sh`` (so globs, redirections and ``# comments`` work as in a terminal), in
page order, in one scratch folder per page that holds the files a reader
would have (``FILES``). A line must exit 0 unless its comment says otherwise, e.g.
``mlsd-diagrams validate broken.yaml   # exits 1: ...``. ``watch`` runs until
its first render, then gets Ctrl-C and must stop cleanly. New examples are
covered without touching this file; a new file name they need goes in ``FILES``.
Set ``MLSD_README`` to check only another Markdown file (a draft section).
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
PAGES = [Path(os.environ["MLSD_README"])] if os.environ.get("MLSD_README") else \
    [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
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


EXAMPLES = [(page, line) for page in PAGES for line in examples(page.read_text(encoding="utf-8"))]
_FOLDERS: dict[Path, Path] = {}


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A PATH on which ``mlsd-diagrams`` is this checkout's."""
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "mlsd-diagrams"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m mlsd_diagrams "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
            "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache"))}  # the site's picture cache, not the user's


def reader_folder(page: Path, tmp_path_factory) -> Path:
    """The folder a reader of ``page`` works in: made once per page, shared by its examples in order."""
    if page in _FOLDERS:
        return _FOLDERS[page]
    work = _FOLDERS[page] = tmp_path_factory.mktemp(page.stem)
    for name, text in FILES.items():
        (work / name).write_text(text.lstrip("\n"), encoding="utf-8")
    shutil.copytree(ROOT / "specs", work / "specs")
    return work


def test_the_readme_and_docs_have_examples():
    assert len([1 for page, _ in EXAMPLES if page.name == "README.md"]) >= 5
    assert len({page for page, _ in EXAMPLES}) >= 5


@pytest.mark.parametrize("page, line", EXAMPLES,
                         ids=[f"{p.name}: " + " ".join(shlex.split(ln, comments=True)) for p, ln in EXAMPLES])
def test_documented_example_runs(page, line, environment, tmp_path_factory):
    work, env = reader_folder(page, tmp_path_factory), environment
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


def test_the_readme_is_the_users_path():
    """The README stays short; reference material lives in docs/, and every page it links to exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) <= 12 * 1024
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+?)(?:#[^)]*)?\)", text):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
