import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd_diagrams.cli import cli

TESTS = Path(__file__).parent


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Invoke the CLI in a scratch working directory; returns Click's Result (stdout and stderr apart)."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args, **kw):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)

    return invoke


@pytest.fixture
def dot_runs(monkeypatch):
    """Every Graphviz command run from now on, in order (they still run for real)."""
    from mlsd_diagrams.renderer import graphviz

    calls = []
    real = graphviz.subprocess.Popen

    def counting(cmd, *a, **kw):
        start = next((i for i, part in enumerate(cmd) if Path(str(part)).name == "dot"), None)
        if start is not None:  # a Graphviz run, perhaps after a setpriv prefix
            calls.append(cmd[start:])
        return real(cmd, *a, **kw)

    monkeypatch.setattr(graphviz.subprocess, "Popen", counting)
    return calls


@pytest.fixture
def spec_file(tmp_path):
    """Write a spec from dedented YAML text; the file is named after its id unless told otherwise."""

    def write(text: str, name: str | None = None) -> Path:
        text = textwrap.dedent(text).lstrip("\n")
        if name is None:
            first = next((ln for ln in text.splitlines() if ln.startswith("id:")), "id: spec")
            name = first.split(":", 1)[1].strip() + ".yaml"
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL = """
id: mini
title: Mini
diagrams:
  system:
    title: Mini system
    nodes:
      user: {label: User, kind: actor}
      api: {label: API service, kind: service}
      db: {label: Feature store, kind: store}
    groups:
      serving: {label: Prediction pipeline, nodes: [api, db]}
    edges:
      - user -> api: request
      - api <-> db: {style: dashed}
"""


def fake_dot(tmp_path: Path, script: str, *, keep_path: bool = False) -> str:
    """A PATH whose `dot` is the shell ``script``: alone, or before the real PATH with ``keep_path``."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir(exist_ok=True)
    dot = bin_dir / "dot"
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}" if keep_path else str(bin_dir)
