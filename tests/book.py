"""Helpers for the per-chapter figure tests (tests/test_book_chNN.py): find the diagram that draws a figure,
and look for components and edges by words of their labels, as a reader of the book would."""

from importlib import resources

import yaml


def catalogue(chapter: int) -> dict:
    """This chapter's catalogue file, read alone, so a broken file of another chapter cannot hide its checks."""
    text = resources.files("mlsd_diagrams.figures").joinpath(f"ch{chapter:02d}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def drawing(spec, number: str):
    """The one diagram of ``spec`` that cites the figure."""
    found = [d for d in spec.diagrams.values() if number in d.figures]
    assert len(found) == 1, (number, [d.id for d in found])
    return found[0]


def label(d, node_id: str) -> str:
    """A node's label in lower case, explicit line breaks read as spaces."""
    return " ".join(d.nodes[node_id].label.lower().split())


def labels(d) -> list[str]:
    return [label(d, n) for n in d.nodes]


def has_node(d, text: str) -> bool:
    """Some node's label contains ``text`` (case-insensitive)."""
    return any(text.lower() in found for found in labels(d))


def has_edge(d, src: str, dst: str) -> bool:
    """Some edge goes from a node labelled like ``src`` to one labelled like ``dst``."""
    src, dst = src.lower(), dst.lower()
    return any(src in label(d, e.src) and dst in label(d, e.dst) for e in d.edges)


def node(d, text: str) -> str:
    """Id of the node whose label contains ``text`` (case-insensitive); fails if none does."""
    hits = [n.id for n in d.nodes.values() if text.lower() in n.label.lower()]
    assert hits, f"{d.id}: no node labelled like {text!r}"
    return hits[0]


def linked(d, a: str, b: str) -> bool:
    """Some edge joins a node labelled like ``a`` to one labelled like ``b`` (undirected edges either way)."""
    la, lb = a.lower(), b.lower()
    for e in d.edges:
        src, dst = d.nodes[e.src].label.lower(), d.nodes[e.dst].label.lower()
        if la in src and lb in dst:
            return True
        if e.arrow in ("<->", "--") and lb in src and la in dst:
            return True
    return False


def assert_figure(spec, number: str, components, edges):
    """The diagram drawing the figure has every component and every edge; returns it."""
    d = drawing(spec, number)
    for text in components:
        node(d, text)
    missing = [(a, b) for a, b in edges if not linked(d, a, b)]
    assert missing == [], (d.id, missing)
    return d


def by_number(figures) -> list[str]:
    """Figure numbers in the book's order (7.2 before 7.10)."""
    return sorted(figures, key=lambda n: int(n.split(".")[1]))


def assert_catalogue_checked(chapter: int, spec, figures) -> None:
    """The chapter's catalogue names this spec, and every figure it lists has a check, and no more."""
    found = catalogue(chapter)
    assert found["chapter"] == chapter and found["spec"] == spec.id
    assert sorted(found["figures"]) == sorted(figures)


def assert_books_parts(spec, number: str, components, edges) -> None:
    """The diagram drawing the figure has every component (a label contains it) and every edge, in its
    direction (``has_node``, ``has_edge``)."""
    d = drawing(spec, number)
    assert [c for c in components if not has_node(d, c)] == [], d.id
    assert [e for e in edges if not has_edge(d, *e)] == [], d.id


def assert_drawn_where(chapter: int, spec, where: dict[str, str]) -> None:
    """The chapter's catalogue lists exactly ``where``'s figures, in order, for this spec; each is cited by the
    diagram ``where`` names, and the spec cites no other figure."""
    from mlsd_diagrams.figures import chapters

    found = next(c for c in chapters() if c.number == chapter)
    assert found.spec == spec.id and spec.chapter == chapter
    assert [f.number for f in found.figures] == list(where)
    assert {n for d in spec.diagrams.values() for n in d.figures} == set(where)
    assert [n for n, diagram in where.items() if n not in spec.diagrams[diagram].figures] == []
