"""The Python API a notebook uses: ``import mlsd_diagrams`` and go."""

import doctest
import subprocess
import sys
import xml.etree.ElementTree as ET

import mlsd_diagrams as md

from .conftest import MINIMAL

SVG = "{http://www.w3.org/2000/svg}svg"


def test_every_public_name_resolves():
    for name in md.__all__:
        assert getattr(md, name) is not None, name
    for name in ("load", "validate", "render", "to_mermaid", "to_drawio", "to_dot", "export_files", "json_schema"):
        assert name in md.__all__ and callable(getattr(md, name))
    assert set(md.__all__) == {*md._EXPORTS, "__version__"}  # the explicit list and the lazy loader agree


def test_import_is_cheap():
    code = "import sys, mlsd_diagrams as md; md.load; md.validate; print(sorted(m for m in " \
           "('diagrams', 'graphviz', 'cairosvg', 'jsonschema') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_module_docstring_examples_run():
    result = doctest.testmod(md, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 4


def test_load_validate_render_export(spec_file, tmp_path):
    path = str(spec_file(MINIMAL))
    spec = md.load(path)
    assert md.validate(path) == []
    result = md.render(spec, tmp_path / "out", formats=["svg"])
    assert [p.name for p in result.files] == ["system.svg"]
    assert '    n_user -->|"request"| n_api\n' in md.to_mermaid(spec.diagrams["system"])
    files = md.export_files(spec, "mermaid", tmp_path / "exports")
    assert files == [tmp_path / "exports/mini/system.mmd"]


def test_a_diagram_displays_inline_in_jupyter(spec_file):
    """In a kernel, the SVG formatter shows a diagram a cell returns; the SVG must parse and show the labels."""
    diagram = md.load(str(spec_file(MINIMAL))).diagrams["system"]
    svg = _fake_kernel().display_formatter.formatters["image/svg+xml"].format(diagram)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == SVG
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for label in ("Mini system", "User", "API service", "Feature store", "Prediction pipeline"):
        assert label in texts
    assert "data:image/png;base64," in svg  # pictograms travel with the notebook


def test_a_spec_displays_all_its_diagrams(spec_file):
    spec = md.load(str(spec_file(MINIMAL + """
  second:
    title: Second
    nodes:
      a: {label: A, kind: service}
      b: {label: B, kind: store}
    edges: [a -> b]
""")))
    page = _fake_kernel().display_formatter.formatters["text/html"].format(spec)
    assert page.startswith("<h3>Mini</h3>") and page.count("<svg") == 2 and "<?xml" not in page


def _fake_kernel():
    """A stand-in for an IPython shell: formatters that dispatch on type, as IPython's do."""
    from types import SimpleNamespace

    from mlsd_diagrams.notebook import load_ipython_extension

    class Formatter:
        def __init__(self):
            self.printers = {}

        def for_type(self, cls, func):
            self.printers[cls] = func

        def format(self, obj):
            return next(f(obj) for cls, f in self.printers.items() if isinstance(obj, cls))

    shell = SimpleNamespace(display_formatter=SimpleNamespace(
        formatters={"image/svg+xml": Formatter(), "text/html": Formatter()}))
    load_ipython_extension(shell)
    return shell


def test_importing_the_package_registers_the_display_in_a_running_kernel():
    import importlib
    import sys
    from types import ModuleType

    shell = _fake_kernel()
    for formatter in shell.display_formatter.formatters.values():
        formatter.printers.clear()
    fake = ModuleType("IPython")
    fake.get_ipython = lambda: shell
    sys.modules["IPython"] = fake
    try:
        importlib.reload(md)
    finally:
        del sys.modules["IPython"]
    assert md.Diagram in shell.display_formatter.formatters["image/svg+xml"].printers
    assert md.Spec in shell.display_formatter.formatters["text/html"].printers


def test_a_problem_exposes_file_line_and_column(spec_file):
    problems = md.validate(str(spec_file(MINIMAL.replace("kind: store", "kind: stor"))))
    (p,) = problems
    assert (p.file, p.line, p.column) == (str(p.pos.file), p.pos.line, p.pos.col) and p.file.endswith("mini.yaml")
    assert p.severity is md.Severity.ERROR and str(p).startswith(f"{p.file}:{p.line}:{p.column}: error: ")


def test_notebook_display_fits_the_column_and_takes_options(spec_file):
    from mlsd_diagrams.notebook import show

    diagram = md.load(str(spec_file(MINIMAL))).diagrams["system"]
    svg = _fake_kernel().display_formatter.formatters["image/svg+xml"].format(diagram)
    assert '<svg style="max-width:100%;height:auto"' in svg
    dark = show(diagram, theme="dark", size="16:9")._repr_svg_()
    assert dark != svg and 'viewBox="' in dark
    assert repr(diagram) == "<Diagram 'system': Mini system; 3 nodes, 2 edges>"  # a line, not a dump
    assert len(repr(md.load("visual_search"))) < 300
