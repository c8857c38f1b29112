"""Conventions every command follows: -q/-v, colour only on a terminal and never with NO_COLOR, results on
stdout and problems on stderr, shell completion, Ctrl-C, and a start-up that loads nothing heavy."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mlsd_diagrams import load
from mlsd_diagrams.cli import cli

from .conftest import MINIMAL

HEAVY = ("diagrams", "graphviz", "cairosvg", "PIL", "jsonschema")
ANSI = "\x1b["


def imports_after(args: list[str], cwd) -> list[str]:
    """The heavy modules loaded by one run of the command line, in a fresh interpreter."""
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: sys.stderr.write('LOADED=' + ','.join(m for m in {HEAVY!r} "
            "if m in sys.modules) + '\\n'))\n"
            f"sys.argv = ['mlsd-diagrams', *{args!r}]\n"
            "from mlsd_diagrams.cli import main\n"
            "main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    assert out.returncode == 0, out.stderr
    line = [ln for ln in out.stderr.splitlines() if ln.startswith("LOADED=")][-1]
    return [m for m in line[len("LOADED="):].split(",") if m]


@pytest.mark.parametrize("args", [["--help"], ["list"], ["validate", "mini.yaml"], ["schema"],
                                  ["export", "--help"]], ids=" ".join)
def test_light_commands_load_nothing_heavy(args, spec_file, tmp_path):
    spec_file(MINIMAL)
    assert imports_after(args, tmp_path) == []


def test_quiet_and_verbose(run, tmp_path):
    normal = run("export", "visual_search", "--to", "dot", "--out", "x")
    n = len(load("visual_search").diagrams)
    assert normal.stdout.startswith(f"visual_search: {n} dot files in x/") and normal.stderr == ""
    quiet = run("-q", "export", "visual_search", "--to", "dot", "--out", "x")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    verbose = run("-v", "export", "visual_search", "--to", "dot", "--out", "x")
    assert "wrote x/visual_search/system.dot" in verbose.stderr and verbose.stdout == normal.stdout


def test_quiet_and_verbose_work_after_the_command_too(run):
    assert run("export", "visual_search", "--to", "dot", "--out", "x", "-q").stdout == ""
    assert "wrote x/" in run("export", "visual_search", "--to", "dot", "--out", "x", "--verbose").stderr


def test_quiet_never_hides_results(run):
    result = run("-q", "export", "visual_search", "--to", "mermaid", "--diagram", "system")
    assert result.stdout.startswith("---\ntitle:")


def bad_spec(spec_file):
    return spec_file(MINIMAL.replace("kind: store", "kind: stor"))


def test_problems_on_stderr_in_colour_on_a_terminal(spec_file, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = CliRunner().invoke(cli, ["export", str(bad_spec(spec_file)), "--to", "dot"], color=True)
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{ANSI}" in result.stderr and "error:" in result.stderr


def test_no_color_turns_colour_off(spec_file, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(cli, ["export", str(bad_spec(spec_file)), "--to", "dot"], color=True)
    assert result.exit_code == 1
    assert ANSI not in result.stderr and ": error: diagrams.system.nodes.db.kind: unknown kind 'stor'" in result.stderr


def test_no_colour_when_not_a_terminal(spec_file, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    out = subprocess.run([sys.executable, "-m", "mlsd_diagrams", "export", str(bad_spec(spec_file)), "--to", "dot"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 1 and out.stdout == ""
    assert ANSI not in out.stderr and "error:" in out.stderr


def test_ctrl_c_exits_130(run, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("mlsd_diagrams.spec.load_checked", interrupted)
    result = run("export", "visual_search", "--to", "dot", "--diagram", "system")
    assert result.exit_code == 130 and result.stderr == "\nInterrupted.\n" and result.stdout == ""


def complete(words: str, tmp_path) -> list[str]:
    env = {**os.environ, "_MLSD_DIAGRAMS_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    out = subprocess.run([sys.executable, "-m", "mlsd_diagrams"], capture_output=True, text=True, env=env,
                         cwd=tmp_path)
    return [line.split(",", 1)[1] for line in out.stdout.splitlines() if "," in line]


def test_shell_completion(tmp_path):
    script = subprocess.run([sys.executable, "-m", "mlsd_diagrams"], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "_MLSD_DIAGRAMS_COMPLETE": "bash_source"}).stdout
    assert "complete " in script and "_MLSD_DIAGRAMS_COMPLETE" in script
    assert complete("mlsd-diagrams ex", tmp_path) == ["export"]
    assert "visual_search" in complete("mlsd-diagrams export vis", tmp_path)
    assert complete("mlsd-diagrams export visual_search --to d", tmp_path) == ["drawio", "dot"]
