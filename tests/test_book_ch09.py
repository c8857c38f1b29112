"""Chapter 9 (Similar Listings on Vacation Rental Platforms): each catalogued figure is drawn with the book's parts.

Components and edges below come from the book's figures 9.2-9.11 and the text around them; a component is a
case-insensitive substring of a node label, an edge is (substring of the source label, substring of the target).
"""

import pytest

from mlsd_diagrams import load

from . import book
from .book import has_edge

SPEC = load("similar_listings")


def drawing(number):
    return book.drawing(SPEC, number)


# figure -> (components, edges)
FIGURES = {
    "9.2": (["currently viewed listing", "similar listings system", "recommended similar listings"],
            [("currently viewed listing", "similar listings system"),
             ("similar listings system", "recommended similar listings")]),
    "9.3": (["t-shirt", "shoes", "shorts", "winter hat", "next item"],
            [("t-shirt", "shoes"), ("shoes", "shorts"), ("shorts", "winter hat"), ("winter hat", "next item")]),
    "9.4": (["viewed listing lt", "embedding of lt", "closest listing 1", "closest listing 2",
             "closest listing 3"],
            [("viewed listing lt", "embedding of lt"), ("embedding of lt", "closest listing 1"),
             ("embedding of lt", "closest listing 3")]),
    "9.5": (["l1", "l2", "l3", "l19", "l20 (booked)", "interactions"],
            [("l1", "l2"), ("l2", "l3"), ("l19", "l20 (booked)"), ("interactions", "extract search sessions")]),
    "9.6": (["central listing lc", "shallow neural network", "context before", "context after"],
            [("central listing lc", "shallow neural network"), ("shallow neural network", "context before"),
             ("shallow neural network", "context after")]),
    "9.7": (["listing 3 (central)", "positive: (3, 2), (3, 4)", "negative: (3, random listing)"],
            [("listing 2", "listing 3"), ("listing 3", "listing 4"), ("listing 3 (central)", "positive: (3, 2)"),
             ("listing 3 (central)", "negative: (3, random")]),
    "9.8": (["central listing", "paired listing", "one embedding per listing", "embedding e8", "embedding e10",
             "dot product", "sigmoid", "predicted probability p", "ground truth g", "cross-entropy"],
            [("central listing", "one embedding per listing"), ("paired listing", "one embedding per listing"),
             ("one embedding per listing", "embedding e8"), ("one embedding per listing", "embedding e10"),
             ("embedding e8", "dot product"), ("embedding e10", "dot product"), ("dot product", "sigmoid"),
             ("sigmoid", "predicted probability p"), ("predicted probability p", "cross-entropy"),
             ("ground truth g", "cross-entropy")]),
    "9.9": (["clicked listings", "central listing lc", "context window", "shallow neural network",
             "eventually booked listing lk"],
            [("central listing lc", "shallow neural network"), ("context window", "shallow neural network"),
             ("shallow neural network", "eventually booked listing lk")]),
    "9.10": (["first clicked listing l0", "l6 (booked)", "trained model", "re-ranked"],
             [("first clicked listing l0", "trained model"), ("clicked in the session", "trained model"),
              ("l6 (booked)", "trained model"), ("trained model", "re-ranked")]),
    "9.11": (["new listings", "model fine-tuning", "trained model", "listings db", "indexer", "index table",
              "currently viewed listing", "embedding fetcher service", "nearest neighbor service",
              "re-ranking service", "recommended similar listings"],
             [("new listings", "model fine-tuning"), ("model fine-tuning", "trained model"),
              ("trained model", "indexer"), ("listings db", "indexer"), ("indexer", "index table"),
              ("currently viewed listing", "embedding fetcher"), ("embedding fetcher", "nearest neighbor"),
              ("nearest neighbor", "index table"), ("nearest neighbor", "re-ranking"),
              ("re-ranking", "recommended similar listings")]),
}


def test_every_catalogued_figure_has_a_check():
    book.assert_catalogue_checked(9, SPEC, FIGURES)


@pytest.mark.parametrize("number", book.by_number(FIGURES))
def test_figure_is_drawn_with_the_books_parts(number):
    book.assert_books_parts(SPEC, number, *FIGURES[number])


def test_embedding_fetcher_reads_the_index_table_not_the_model():
    """The fetcher looks the viewed listing up in the index table; a new listing borrows a nearby listing's."""
    d = drawing("9.11")
    assert has_edge(d, "index table", "embedding fetcher")
    assert not has_edge(d, "trained model", "embedding fetcher")
    fetcher = next(n.id for n in d.nodes.values() if "embedding fetcher" in n.label.lower())
    notes = [d.nodes[e.src if e.dst == fetcher else e.dst].label.lower() for e in d.edges if fetcher in (e.src, e.dst)]
    assert any("new listing" in n and "nearby listing" in n for n in notes)


def test_system_has_the_three_pipelines():
    groups = {g.label.lower() for g in drawing("9.11").groups.values()}
    assert groups == {"training pipeline", "indexing pipeline", "prediction pipeline"}


def test_training_pairs_hold_the_global_context_and_hard_negatives():
    d = drawing("9.7")
    assert any(g.label.lower() == "sliding window" for g in d.groups.values())
    assert has_edge(d, "listing 3 (central)", "global context") and has_edge(d, "listing 3 (central)", "same region")


def test_framework_follows_the_books_choices():
    fw = SPEC.framework
    requirements = " ".join(fw["requirements"]).lower()
    for fact in ("bookings", "5 million", "anonymous", "one day", "interactions only"):
        assert fact in requirements, fact
    assert fw["evaluation"]["offline"] == ["Average rank of the eventually booked listing"]
    assert {m.lower() for m in fw["evaluation"]["online"]} == {"ctr", "session book rate"}
    serving = " ".join(fw["serving"]).lower()
    assert "index table" in serving and "nearby listing" in serving and "other cities" in serving
