"""Page-shaped diagrams: proportions within bounds, readable text on a slide, loops that do not turn the
picture round. Measured from Graphviz's own layout (renderer.shape)."""

from pathlib import Path

import pytest

from mlsd_diagrams import bundled_ids, load, load_theme
from mlsd_diagrams.renderer.dot import build_dot
from mlsd_diagrams.renderer.layout import layout
from mlsd_diagrams.renderer.shape import MAX_ASPECT, MIN_ASPECT, MIN_SLIDE_TEXT, best_direction, measure

DESIGNS = Path(__file__).parent / "designs"
BOOK = load_theme("book")
ALL = [(spec_id, d) for spec_id in bundled_ids() for d in load(spec_id).diagrams]


@pytest.mark.parametrize("spec_id, diagram_id", ALL, ids=[f"{s}/{d}" for s, d in ALL])
def test_every_bundled_diagram_is_page_shaped(spec_id, diagram_id):
    shape = measure(load(spec_id).diagrams[diagram_id], BOOK)
    assert MIN_ASPECT <= shape.aspect <= MAX_ASPECT, shape.line()
    assert shape.slide_text >= MIN_SLIDE_TEXT, shape.line()


@pytest.mark.parametrize("name", ["rag_assistant", "retraining_loop"])
def test_designs_with_feedback_loops_are_page_shaped(name):
    shape = measure(load(str(DESIGNS / f"{name}.yaml")).diagrams["system"], BOOK)
    assert shape.problems() == [], shape.line()


def test_a_loop_back_does_not_turn_the_picture_round():
    d = load(str(DESIGNS / "retraining_loop.yaml")).diagrams["system"]
    assert [(d.edges[i].src, d.edges[i].dst) for i in sorted(d.feedback_edges())] == [("decision", "logs")]
    boxes = layout(build_dot(d, BOOK)).nodes
    assert boxes["payment"].x < boxes["features"].x < boxes["scorer"].x < boxes["decision"].x  # reads left to right
    assert boxes["logs"].x < boxes["trainer"].x < boxes["registry"].x


def test_an_unpinned_design_takes_the_direction_that_fits_a_page():
    d = load(str(DESIGNS / "rag_assistant.yaml")).diagrams["system"]
    assert d.direction is None and best_direction(d, BOOK) == "TB"
    assert [(d.edges[i].src, d.edges[i].dst) for i in d.feedback_edges()] == [("answer", "user")]  # found
    boxes = layout(build_dot(d, BOOK)).nodes
    assert boxes["question"].y < boxes["retriever"].y < boxes["llm"].y < boxes["answer"].y  # reads top to bottom
    assert best_direction(d, BOOK) == best_direction(load(str(DESIGNS / "rag_assistant.yaml")).diagrams["system"],
                                                     BOOK)


def test_a_diagram_far_beyond_a_whiteboard_is_not_laid_out_twice_to_choose(spec_file, monkeypatch):
    """Each try is a whole layout: for hundreds of nodes that is seconds, so the choice is not tried."""
    from mlsd_diagrams.renderer import shape

    n = shape.TRIAL_LIMIT + 1
    nodes = "".join(f"      n{i}: {{label: N{i}, kind: service}}\n" for i in range(n))
    chain = " -> ".join(f"n{i}" for i in range(n))
    d = load(str(spec_file(f"id: big\ntitle: Big\ndiagrams:\n  d:\n    title: D\n    nodes:\n{nodes}"
                           f"    edges: ['{chain}']\n"))).diagrams["d"]
    monkeypatch.setattr(shape, "measure", lambda *a: pytest.fail("laid out to choose a direction"))
    assert best_direction(d, BOOK) == "LR"


def test_feedback_edges(spec_file):
    d = load(str(spec_file("""
        id: loops
        title: Loops
        diagrams:
          d:
            title: D
            nodes:
              a: {label: A, kind: service}
              b: {label: B, kind: service}
              c: {label: C, kind: store}
            edges:
              - a -> b
              - b <-> c
              - c -> a
              - b -> a: {feedback: true, label: marked}
    """))).diagrams["d"]
    # c -> a closes no loop: b <-> c is a lookup, not a flow; b -> a is marked by hand
    assert sorted(d.feedback_edges()) == [3]


def test_validate_layout_reports_and_warns(run, spec_file):
    nodes = "\n".join(f"      n{i}: {{label: Step number {i}, kind: step}}" for i in range(14))
    chain = " -> ".join(f"n{i}" for i in range(14))
    spec_file(f"id: wide\ntitle: W\ndiagrams:\n  d:\n    title: D\n    direction: LR\n    nodes:\n{nodes}\n"
              f"    edges: [{chain}]\n")
    result = run("validate", "wide.yaml", "--layout")
    assert result.exit_code == 0
    assert result.stdout.startswith("wide/d: ") and ":1, " in result.stdout and "px on a slide" in result.stdout
    assert "diagram 'd': " in result.stderr and "is wider than 3:1" in result.stderr
    assert run("validate", "wide.yaml", "--layout", "--strict").exit_code == 1
    assert run("validate", "visual_search", "--layout").stderr == ""


def test_arrows_reach_a_bare_pictogram_not_its_caption():
    """A person, a phone, the model's cloud: edges attach to the pictogram's cell, so arrows reach the picture
    rather than stopping at the box around picture and caption."""
    from mlsd_diagrams.renderer.layout import graphviz_json

    d = load("visual_search").diagrams["system"]
    data = graphviz_json(build_dot(d, BOOK))
    names = {obj["_gvid"]: obj["name"] for obj in data["objects"] if "name" in obj}
    ends = {(names[e["tail"]], names[e["head"]]): e for e in data["edges"]}
    assert ends[("model", "embedding")].get("tailport") == "pictogram"
    assert ends[("model", "indexing")].get("tailport") == "pictogram"
    assert "tailport" not in ends[("query", "preprocess")]  # a pictogram inside a box: the box is the shape
    model = next(obj for obj in data["objects"] if obj.get("name") == "model")
    start = [float(v) for v in ends[("model", "embedding")]["pos"].split()[0].split(",")[-2:]]
    centre = [float(v) for v in model["pos"].split(",")]
    assert start[1] > centre[1]  # leaves from the cloud above the caption (Graphviz's y grows upwards)
