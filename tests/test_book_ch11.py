"""Chapter 11 (People You May Know): each catalogued figure is drawn with the book's parts.

Components and edges below come from the book's figures 11.2-11.21 and the text around them; a component is a
case-insensitive substring of a node label, an edge is (substring of the source label, substring of the target).
Undirected graph edges ('a -- b') of the example social graphs are checked in either direction.
"""

import pytest

from mlsd_diagrams import load

from . import book
from .book import has_edge, has_node

SPEC = load("people_you_may_know")


def drawing(number):
    return book.drawing(SPEC, number)


def _match(d, e, src, dst):
    return src in d.nodes[e.src].label.lower() and dst in d.nodes[e.dst].label.lower()



def has_link(d, a, b, within=None):
    """An edge either way between labels a and b; `within`: both ends in the group with that label substring."""
    a, b = a.lower(), b.lower()
    members = None
    if within is not None:
        group = [g for g in d.groups.values() if within.lower() in g.label.lower()]
        if len(group) > 1:  # "time t" is also in "time t+1": take the group whose label ends there
            group = [g for g in group if g.label.lower().endswith(within.lower())]
        assert len(group) == 1, (d.id, within)
        members = {getattr(n, "id", n) for n in group[0].nodes}
    return any((_match(d, e, a, b) or _match(d, e, b, a))
               and (members is None or {e.src, e.dst} <= members) for e in d.edges)


# figure -> (components, edges)
FIGURES = {
    "11.2": (["user a", "pymk", "user b", "user x", "user z", "user k"],
             [("user a", "pymk"), ("pymk", "user b"), ("pymk", "user k")]),
    "11.3": (["user a", "user b", "binary classification model", "0.71"],
             [("user a", "binary classification"), ("user b", "binary classification"),
              ("binary classification", "0.71")]),
    "11.4": (["user a", "user b"], []),
    "11.5": (["user a", "user b", "user c", "user d", "user e", "user f"], []),
    "11.6": (["node 1", "node 2", "node 3", "node 4"], []),
    "11.7": (["user a", "user b", "user c", "edge prediction model", "0.71"],
             [("user a", "edge prediction model"), ("user b", "edge prediction model"),
              ("edge prediction model", "0.71")]),
    "11.8": (["user a", "user b", "connection"],
             [("user a", "connection"), ("connection", "user b")]),
    "11.9": (["node 1", "gnn model", "node 1 embedding", "node 2 embedding", "node 3 embedding", "node 4 embedding"],
             [("node 1", "gnn model"), ("node 4", "gnn model"), ("gnn model", "node 2 embedding"),
              ("gnn model", "node 4 embedding")]),
    "11.10": (["node 2 embedding", "node 4 embedding", "dot product", "nodes 2 and 4"],
              [("node 2 embedding", "dot product"), ("node 4 embedding", "dot product"),
               ("dot product", "nodes 2 and 4")]),
    "11.11": (["user 1", "user 2", "user 3", "user 4"], []),
    "11.12": (["[1, 1, 2, 0]", "[1, -1, 0.8, 4]", "[0, 1, 2, 18]", "[0, 0, 0.4, 6]", "age", "account age"],
              [("[1, 1, 2, 0]", "user 1"), ("[1, -1, 0.8, 4]", "user 2"), ("[0, 1, 2, 18]", "user 3"),
               ("[0, 0, 0.4, 6]", "user 4")]),
    "11.13": (["mutual connections", "profile visits", "schools in common"], []),
    "11.14": (["user 1", "user 2", "user 3", "user 4"], []),
    "11.15": (["(user 3, user 4): positive", "(user 2, user 3): negative"],
              [("user 3", "positive"), ("user 4", "positive"), ("user 2", "negative"), ("user 3", "negative")]),
    "11.16": (["user a", "friend", "friend of a friend", "not scored"],
              [("user a", "friend"), ("friend", "friend of a friend")]),
    "11.17": (["user's app", "pymk service", "model"],
              [("user's app", "pymk service"), ("pymk service", "user's app"), ("pymk service", "model")]),
    "11.18": (["user's app", "pre-computed pymk", "pymk service", "model"],
              [("model", "pymk service"), ("pymk service", "pre-computed pymk"),
               ("user's app", "pre-computed pymk"), ("pre-computed pymk", "user's app")]),
    "11.19": (["user", "pymk service", "pre-computed pymk", "fof", "scoring service", "gnn model",
               "feature computation", "data lake"],
              [("user", "pymk service"), ("pymk service", "pre-computed pymk"), ("fof", "scoring service"),
               ("gnn model", "scoring service"), ("data lake", "feature computation"),
               ("feature computation", "scoring service"), ("scoring service", "pre-computed pymk")]),
    "11.20": (["user 3", "fof service", "user 1", "user 8", "user 23"],
              [("user 3", "fof service"), ("fof service", "user 1"), ("fof service", "user 8"),
               ("fof service", "user 23")]),
    "11.21": (["input user", "user 23", "scoring service", "gnn model", "feature computation", "0.8", "0.3",
               "pre-computed pymk"],
              [("input user", "scoring service"), ("user 23", "scoring service"), ("gnn model", "scoring service"),
               ("feature computation", "scoring service"), ("scoring service", "ranked"),
               ("ranked", "pre-computed pymk")]),
}


def test_every_catalogued_figure_has_a_check():
    book.assert_catalogue_checked(11, SPEC, FIGURES)


@pytest.mark.parametrize("number", book.by_number(FIGURES))
def test_figure_is_drawn_with_the_books_parts(number):
    book.assert_books_parts(SPEC, number, *FIGURES[number])


def test_the_rejected_pair_classifier_sees_no_graph():
    d = drawing("11.3")
    assert "rejected" in d.title.lower()
    assert not has_node(d, "graph") and not has_node(d, "user c")
    assert "chosen" in drawing("11.7").title.lower()


def test_one_hop_scenarios_differ_as_in_the_book():
    d = drawing("11.5")
    assert drawing("11.4") is d
    for friend in ("user c", "user d", "user e", "user f"):  # scenario 1: all four are mutual connections
        assert has_link(d, "user a", friend, "scenario 1") and has_link(d, "user b", friend, "scenario 1"), friend
    assert has_link(d, "user c", "user f", "scenario 1") and has_link(d, "user d", "user e", "scenario 1")
    assert has_link(d, "user a", "user b", "scenario 1") and has_link(d, "user a", "user b", "scenario 2")
    # scenario 2: two separate triangles, A-C-D and B-E-F, with no friend in common
    for a, b in (("user a", "user c"), ("user a", "user d"), ("user c", "user d"),
                 ("user b", "user e"), ("user b", "user f"), ("user e", "user f")):
        assert has_link(d, a, b, "scenario 2"), (a, b)
    for a, b in (("user a", "user e"), ("user a", "user f"), ("user b", "user c"), ("user b", "user d")):
        assert not has_link(d, a, b, "scenario 2"), (a, b)


def test_time_discount_scenarios_carry_the_books_ages():
    d = drawing("11.8")
    edge_labels = {e.label for e in d.edges if e.label}
    assert {"3 days", "6 days", "18 days", "311 days", "256 days", "839 days"} <= edge_labels


def test_gnn_input_is_the_books_simple_graph():
    d = drawing("11.6")
    assert drawing("11.9") is d and drawing("11.10") is d
    for a, b in (("node 1", "node 4"), ("node 2", "node 3"), ("node 3", "node 4")):
        assert has_link(d, a, b, "input graph"), (a, b)
    assert not has_link(d, "node 1", "node 2", "input graph")
    assert d.direction == "BT"


def test_snapshot_edges_and_edge_features():
    d = drawing("11.11")
    assert drawing("11.12") is d and drawing("11.13") is d
    for a, b in (("user 1", "user 2"), ("user 1", "user 3"), ("user 1", "user 4"), ("user 2", "user 4")):
        assert has_link(d, a, b, "time t"), (a, b)
    assert not has_link(d, "user 3", "user 4", "time t")
    assert {"E1,2", "E1,3", "E1,4", "E2,4"} <= {e.label for e in d.edges if e.label}


def test_labels_come_from_the_edge_formed_by_t_plus_1():
    d = drawing("11.14")
    assert drawing("11.15") is d
    assert not has_link(d, "user 3", "user 4", "time t")
    assert has_link(d, "user 3", "user 4", "time t+1")
    for a, b in (("user 1", "user 2"), ("user 1", "user 3"), ("user 1", "user 4"), ("user 2", "user 4")):
        assert has_link(d, a, b, "time t"), (a, b)
        assert has_link(d, a, b, "time t+1"), (a, b)


def test_batch_prediction_reads_the_store_and_online_calls_the_model():
    d = drawing("11.17")
    assert drawing("11.18") is d
    groups = {g.label.lower(): {getattr(n, "id", n) for n in g.nodes} for g in d.groups.values()}
    online = next(m for label, m in groups.items() if label.startswith("online"))
    batch = next(m for label, m in groups.items() if label.startswith("batch"))
    assert not any(d.nodes[n].kind == "store" for n in online)
    assert any(d.nodes[n].kind == "store" for n in batch)
    assert "chosen" in next(label for label in groups if label.startswith("batch"))


def test_system_has_the_two_pipelines_and_the_miss_path():
    d = drawing("11.19")
    assert {g.label.lower().split(" (")[0] for g in d.groups.values()} == {"prediction pipeline",
                                                                          "pymk generation pipeline"}
    assert has_edge(d, "pymk service", "fof")  # on a miss: a one-time request to the generation pipeline
    assert has_node(d, "on a miss")


def test_framework_follows_the_books_choices():
    fw = SPEC.framework
    assert "formed connections" in fw["framing"]["objective"].lower() or \
        "connections formed" in fw["framing"]["objective"].lower()
    assert "edge prediction" in fw["framing"]["category"].lower()
    assert "pointwise" in fw["framing"]["category"].lower()
    model = " ".join(fw["model"]).lower()
    for fact in ("gcn", "graphsage", "gat", "gin", "dot product", "t+1", "out of scope"):
        assert fact in model, fact
    assert "cross-entropy" not in model and "sigmoid" not in model  # the book leaves the loss open
    assert [m.split(" (")[0].lower() for m in fw["evaluation"]["offline"]] == ["roc-auc", "map"]
    online = " ".join(fw["evaluation"]["online"]).lower()
    assert "sent" in online and "accepted" in online
    serving = " ".join(fw["serving"]).lower()
    for fact in ("1 million", "92%", "batch", "7 days", "one request"):
        assert fact in serving, fact
