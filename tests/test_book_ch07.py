"""Chapter 7 (Event Recommendation System): each catalogued figure is drawn with the book's parts.

Components and edges below come from the book's figures 7.2-7.22 and the text around them; a component is a
case-insensitive substring of a node label, an edge is (substring of the source label, substring of the target).
"""

import pytest

from mlsd_diagrams import load

from . import book
from .book import has_node

SPEC = load("event_recommendation")


def drawing(number):
    return book.drawing(SPEC, number)


# figure -> (components, edges)
FIGURES = {
    "7.2": (["recommendation problems", "rule-based", "learning to rank", "embedding-based", "pointwise",
             "pairwise", "listwise"],
            [("recommendation problems", "rule-based"), ("recommendation problems", "learning to rank"),
             ("recommendation problems", "embedding-based"), ("learning to rank", "pointwise"),
             ("learning to rank", "pairwise"), ("learning to rank", "listwise")]),
    "7.3": (["item", "query", "pointwise ranking model", "relevance score"],
            [("item", "pointwise ranking model"), ("query", "pointwise ranking model"),
             ("pointwise ranking model", "relevance score")]),
    "7.4": (["item pair", "pairwise ranking model", "y > x"],
            [("item pair", "pairwise ranking model"), ("query", "pairwise ranking model"),
             ("pairwise ranking model", "y > x")]),
    "7.5": (["item list", "listwise ranking model", "5 > 2"],
            [("item list", "listwise ranking model"), ("query", "listwise ranking model"),
             ("listwise ranking model", "5 > 2")]),
    "7.6": (["user", "event", "binary classification model", "probability of registration"],
            [("user", "binary classification model"), ("event", "binary classification model"),
             ("binary classification model", "probability of registration")]),
    "7.7": (["walk score", "walk score similarity", "transit score", "transit score similarity", "bike score",
             "bike score similarity", "same city", "same country", "distance", "bucketize + one-hot",
             "distance similarity", "concatenated features"],
            [("walk score", "concatenated"), ("transit score", "concatenated"), ("bike score", "concatenated"),
             ("same city", "concatenated"), ("same country", "concatenated"), ("distance to", "bucketize"),
             ("bucketize", "concatenated"), ("distance similarity", "concatenated")]),
    "7.9": (["remaining time", "estimated travel time", "bucketize + one-hot", "remaining time similarity",
             "estimated travel time similarity", "day similarity", "hour similarity", "concatenated features"],
            [("remaining time until", "bucketize"), ("estimated travel time to", "bucketize"),
             ("bucketize", "concatenated"), ("remaining time similarity", "concatenated"),
             ("estimated travel time similarity", "concatenated"), ("day similarity", "concatenated"),
             ("hour similarity", "concatenated")]),
    "7.10": (["age", "gender", "bucketize + one-hot", "price", "price similarity", "event description similarity",
              "registered users", "registered friends", "invitations from friends", "host is a friend",
              "user-host registration rate", "concatenated features"],
             [("age", "bucketize"), ("gender", "bucketize"), ("bucketize", "concatenated"),
              ("price (", "concatenated"), ("price similarity", "concatenated"),
              ("description similarity", "concatenated"), ("registered users", "concatenated"),
              ("registered friends", "concatenated"), ("invitations", "concatenated"),
              ("host is a friend", "concatenated")]),
    "7.11": (["feature 1", "feature f", "sigmoid", "probability"],
             [("feature 1", "sigmoid"), ("feature f", "sigmoid"), ("sigmoid", "probability")]),
    "7.13": (["age < 30", "gender", "+ (registers)", "- (does not register)"],
             [("age < 30", "gender"), ("age < 30", "+ (registers)"), ("gender", "- (does not register)"),
              ("gender", "+ (registers)")]),
    "7.14": (["input features", "tree t1", "tree t2", "tree t3", "vote", "prediction"],
             [("input features", "tree t1"), ("input features", "tree t2"), ("input features", "tree t3"),
              ("tree t1", "vote"), ("tree t2", "vote"), ("tree t3", "vote"), ("vote", "prediction")]),
    "7.15": (["input features", "weak tree 1", "weak tree 2", "weak tree 3", "output"],
             [("input features", "weak tree 1"), ("weak tree 1", "weak tree 2"), ("weak tree 2", "weak tree 3"),
              ("weak tree 3", "output")]),
    "7.16": (["feature 1", "feature f", "gbdt", "+ (registers)"],
             [("feature 1", "gbdt"), ("feature f", "gbdt"), ("gbdt", "+ (registers)")]),
    "7.17": (["input features", "neural network", "predicted probability"],
             [("input features", "neural network"), ("neural network", "predicted probability")]),
    "7.19": (["neural network", "p - predicted", "g - ground truth", "binary cross-entropy"],
             [("neural network", "p - predicted"), ("p - predicted", "binary cross-entropy"),
              ("g - ground truth", "binary cross-entropy")]),
    "7.20": (["data source", "dataset construction", "training dataset", "learner", "trained model", "evaluator",
              "deploy", "model repository", "query user", "event filtering", "events data", "candidate events",
              "ranking service", "feature computation", "feature store", "raw data", "top k events"],
             [("data source", "dataset construction"), ("dataset construction", "training dataset"),
              ("training dataset", "learner"), ("learner", "trained model"), ("trained model", "evaluator"),
              ("evaluator", "deploy"), ("deploy", "model repository"), ("query user", "event filtering"),
              ("events data", "event filtering"), ("event filtering", "candidate events"),
              ("candidate events", "ranking service"), ("trained model (deployed)", "ranking service"),
              ("ranking service", "feature computation"), ("feature store", "feature computation"),
              ("raw data", "feature computation"), ("ranking service", "top k events")]),
    "7.21": (["query user", "event filtering", "events data", "candidate events"],
             [("query user", "event filtering"), ("events data", "event filtering"),
              ("event filtering", "candidate events")]),
    "7.22": (["query user", "candidate events", "trained model", "ranking service", "top k events",
              "feature computation", "feature store (static", "raw data (dynamic"],
             [("query user", "candidate events"), ("candidate events", "ranking service"),
              ("trained model", "ranking service"), ("ranking service", "top k events"),
              ("ranking service", "feature computation"), ("feature store", "feature computation"),
              ("raw data", "feature computation")]),
}


def test_every_catalogued_figure_has_a_check():
    book.assert_catalogue_checked(7, SPEC, FIGURES)


@pytest.mark.parametrize("number", book.by_number(FIGURES))
def test_figure_is_drawn_with_the_books_parts(number):
    book.assert_books_parts(SPEC, number, *FIGURES[number])


def test_location_features_keep_the_accessibility_scores_and_not_travel_time():
    """Figure 7.7: walk, transit and bike scores each with a similarity; travel time belongs to figure 7.9."""
    d = drawing("7.7")
    groups = {g.label.lower(): g for g in d.groups.values()}
    assert set(groups) == {"accessibility", "geographic", "distance"}
    members = " ".join(d.nodes[getattr(n, "id", n)].label.lower() for n in groups["accessibility"].nodes)
    for score in ("walk", "transit", "bike"):
        assert f"{score} score similarity" in members, score
    assert not has_node(d, "travel time") and not has_node(d, "drive")
    assert has_node(drawing("7.9"), "estimated travel time")
    assert has_node(drawing("7.10"), "description similarity") and not has_node(d, "description")


def test_pointwise_is_the_chosen_ltr_approach():
    assert "chosen" in drawing("7.2").nodes["pointwise"].label.lower()
    ltr = drawing("7.3")
    assert any("pointwise" in g.label.lower() and "chosen" in g.label.lower() for g in ltr.groups.values())


def test_system_has_the_two_pipelines():
    groups = {g.label.lower() for g in drawing("7.20").groups.values()}
    assert groups == {"online learning pipeline", "prediction pipeline"}


def test_framework_follows_the_books_choices():
    fw = SPEC.framework
    requirements = " ".join(fw["requirements"]).lower()
    for fact in ("ticket sales", "expire", "location", "friendship", "invite", "1 million"):
        assert fact in requirements, fact
    data = " ".join(fw["data"]).lower()
    for fact in ("walk, transit and bike scores", "estimated travel time", "description similarity", "tf-idf"):
        assert fact in data, fact
    assert "drive score" not in data
    model = " ".join(fw["model"]).lower()
    assert "xgboost" in model and "baseline" in model and "binary cross-entropy" in model
    assert fw["evaluation"]["offline"][0].lower().startswith("map")
    assert {m.lower() for m in fw["evaluation"]["online"]} == {"ctr", "conversion rate", "bookmark rate",
                                                                "revenue lift"}
