"""Imports run one way: __main__ -> cli -> lint/deck/site -> practice/export/notebook/watch -> renderer
-> themes/spec -> catalogues -> core.

Every import counts, those inside functions too: a late import may exist to keep start-up fast, never to
hide a dependency that runs the wrong way.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mlsd_diagrams"
LAYERS = [  # top to bottom; a unit imports its own modules and units of lower layers only
    {"__main__"},
    {"cli"},
    {"lint", "deck", "site"},  # built on practice (the synonym vocabulary, the cheat sheet's bullets, reveal)
    {"practice", "export", "notebook", "watch"},
    {"renderer"},
    {"themes", "spec"},
    {"catalog", "figures", "icons", "vocabulary"},
    {"core"},
]
LAYER_OF = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def unit_of(module: str) -> str:
    """mlsd_diagrams.spec.load -> spec; mlsd_diagrams -> the package root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__version__" else "<root>"


def imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) for every import of the package's own modules."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
                found += [(module, t, node.lineno) for t in targets]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mlsd_diagrams"):
                found.append((module, node.module, node.lineno))
            elif isinstance(node, ast.Import):
                found += [(module, a.name, node.lineno) for a in node.names if a.name.startswith("mlsd_diagrams")]
    return found


def test_every_unit_is_in_a_layer():
    units = {unit_of(m) for m, _, _ in imports()} - {"<root>"}
    assert units - set(LAYER_OF) == set()


def test_imports_run_one_way():
    wrong = []
    for module, target, line in imports():
        src, dst = unit_of(module), unit_of(target)
        if src == "<root>" or src == dst:
            continue  # the package root is the public facade over everything
        if dst == "<root>":
            assert target == "mlsd_diagrams.__version__", (module, target)
            continue
        if LAYER_OF[dst] <= LAYER_OF[src]:
            wrong.append(f"{module}:{line} imports {target} ({src} -> {dst})")
    assert wrong == []


def test_core_imports_nothing_else_of_the_package():
    assert [(m, t) for m, t, _ in imports() if unit_of(m) == "core" and unit_of(t) != "core"] == []


@pytest.mark.parametrize("unit", sorted(LAYER_OF))
def test_no_cycle_through_a_unit(unit):
    graph: dict[str, set[str]] = {}
    for module, target, _ in imports():
        src, dst = unit_of(module), unit_of(target)
        if src not in ("<root>", dst) and dst != "<root>":
            graph.setdefault(src, set()).add(dst)
    seen, stack = set(), list(graph.get(unit, ()))
    while stack:
        u = stack.pop()
        if u not in seen:
            seen.add(u)
            stack.extend(graph.get(u, ()))
    assert unit not in seen
