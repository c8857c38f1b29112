"""The command line: exit codes and exact messages."""

import pytest

from mlsd_diagrams import __version__
from mlsd_diagrams.cli import COMMANDS

from .conftest import MINIMAL


def test_help_lists_every_command(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"mlsd-diagrams {name}" in result.stdout.split("Example:")[1]


def test_version(run):
    assert run("--version").stdout == f"mlsd-diagrams, version {__version__}\n"


def test_list_shows_bundled_case_studies(run):
    result = run("list")
    assert result.exit_code == 0
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("visual_search "))
    assert "Visual Search System" in line and "diagrams" in line


def test_validate_clean_spec(run, spec_file):
    path = spec_file(MINIMAL)
    result = run("validate", path)
    assert result.exit_code == 0
    assert result.stdout == "1 spec checked: 0 errors, 0 warnings\n"
    assert result.stderr == ""


def test_validate_reports_every_problem_of_every_file(run, spec_file):
    a = spec_file(MINIMAL.replace("kind: store", "kind: stor"))
    b = spec_file(MINIMAL.replace("id: mini", "id: other").replace("user -> api", "usr -> api"), "other.yaml")
    result = run("validate", a.name, b.name)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "mini.yaml:9:40: error: diagrams.system.nodes.db.kind: unknown kind 'stor'; expected one of: actor, "
        "client, input, output, service, step, model, store, queue, data, external, note, layer, tensor, op, "
        "loss; did you mean 'store'?",
        "other.yaml:7:7: warning: node 'user' has no edges; connect it or remove it",
        "other.yaml:13:9: error: edge end 'usr' is not a node of diagram 'system'; did you mean 'user'?",
        "2 specs checked: 2 errors, 1 warning",
    ]


def test_warnings_pass_unless_strict(run, spec_file):
    path = spec_file(MINIMAL.replace("    groups:", "      lonely: {label: L, kind: service}\n    groups:"))
    assert run("validate", path).exit_code == 0
    strict = run("validate", path, "--strict")
    assert strict.exit_code == 1
    assert "warning: node 'lonely' has no edges" in strict.stderr


def test_unknown_case_study_is_a_usage_error(run):
    result = run("render", "visual_serch")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no bundled case study 'visual_serch' and no such file; did you mean "
                             "'visual_search'?; `mlsd-diagrams list` shows the case studies\n")


def test_unknown_diagram_is_a_usage_error(run):
    result = run("render", "visual_search", "--diagram", "sytem")
    assert result.exit_code == 2
    assert "visual_search has no diagram 'sytem'" in result.stderr and "did you mean 'system'?" in result.stderr


def test_bad_format_is_a_usage_error(run):
    result = run("render", "visual_search", "--format", "svg,gif")
    assert result.exit_code == 2
    assert "gif: choose from svg, png, pdf" in result.stderr


def test_render_needs_a_target(run):
    result = run("render")
    assert result.exit_code == 2
    assert "name a case study or a spec file, or pass --all" in result.stderr


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "mlsd_diagrams", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("mlsd-diagrams, version")
