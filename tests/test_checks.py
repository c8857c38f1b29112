"""Structural rules: one test per rule, on the smallest spec that breaks it."""

import pytest

from mlsd_diagrams.spec.checks import RULES, run_checks
from mlsd_diagrams.spec.load import load_file

from .conftest import MINIMAL


def problems_of(spec_file, text):
    spec = load_file(str(spec_file(text)))
    return [(p.severity, p.message) for p in run_checks(spec)]


def with_diagram(body):
    lines = "\n".join("    " + ln for ln in body.strip().splitlines())
    return "id: t\ntitle: T\ndiagrams:\n  d:\n    title: D\n" + lines


def test_minimal_spec_is_clean(spec_file):
    assert problems_of(spec_file, MINIMAL) == []


def test_every_rule_is_a_named_function():
    assert len({r.__name__ for r in RULES}) == len(RULES) >= 10


@pytest.mark.parametrize("body, expected", [
    ("nodes: {}", ("error", "diagram 'd' has no nodes; add at least one under 'nodes'")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}\nedges: [a -> c]",
     ("error", "edge end 'c' is not a node of diagram 'd'")),
    ("nodes:\n  a: {label: A, kind: service}\nedges: [a -> a]",
     ("error", "edge a -> a goes from a node to itself; write it as a mapping with 'loop: true' if you mean it")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}\nedges: [a -> b]\n"
     "groups:\n  g: {label: G, nodes: [a, x]}",
     ("error", "group 'g' names node 'x', which is not a node of diagram 'd'")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}\nedges: [a -> b]\n"
     "groups:\n  g: {label: G, nodes: [a]}\n  h: {label: H, nodes: [a, b]}",
     ("error", "'a' is already inside group 'g'; a node or group sits in one group only (nest the groups instead)")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}\nedges: [a -> b]\n"
     "groups:\n  a: {label: G, nodes: [b]}",
     ("error", "group id 'a' is also a node id in diagram 'd'; ids must be unique within a diagram")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}\nedges: [a -> b]\nrank: [[a, z]]",
     ("error", "rank hint names 'z', which is not a node of diagram 'd'")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}",
     ("warning", "node 'a' has no edges; connect it or remove it")),
    ("nodes:\n  a: {label: A, kind: service}\ngroups:\n  g: {label: G}",
     ("warning", "group 'g' is empty; list its nodes under 'nodes'")),
    ("nodes:\n  a: {label: A, kind: service}\n  b: {label: B, kind: service}\nedges: [a -> b, a -> b]",
     ("warning", "edge a -> b is written 2 times")),
])
def test_rule_reports(spec_file, body, expected):
    assert expected in problems_of(spec_file, with_diagram(body))


def test_loop_true_allows_an_edge_to_itself(spec_file):
    body = "nodes:\n  a: {label: A, kind: service}\nedges:\n  - a -> a: {loop: true}"
    assert problems_of(spec_file, with_diagram(body)) == []


def test_too_many_nodes_is_a_warning(spec_file):
    nodes = "\n".join(f"  n{i}: {{label: N{i}, kind: service}}" for i in range(26))
    edges = ", ".join(f"n{i} -> n{i + 1}" for i in range(25))
    found = problems_of(spec_file, with_diagram(f"nodes:\n{nodes}\nedges: [{edges}]"))
    assert found == [("warning", "diagram 'd' has 26 nodes; above 25 it stops being readable on a slide "
                      "or whiteboard (split it)")]
