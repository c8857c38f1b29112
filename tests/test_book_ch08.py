"""Chapter 8 (Ad Click Prediction on Social Platforms): each catalogued figure is drawn with the book's parts.

Components and edges below come from the book's figures 8.2-8.18 and the text around them; a component is a
case-insensitive substring of a node label, an edge is (substring of the source label, substring of the target).
"""

import pytest

from mlsd_diagrams import load

from . import book
from .book import has_edge

SPEC = load("ad_click_prediction")


def drawing(number):
    return book.drawing(SPEC, number)


# figure -> (components, edges)
FIGURES = {
    "8.2": (["user", "ads", "ad click prediction system", "ranked ads"],
            [("user", "ad click prediction system"), ("ads", "ad click prediction system"),
             ("ad click prediction system", "ranked ads")]),
    "8.3": (["user", "ad", "binary classification model", "probability"],
            [("user", "binary classification"), ("ad", "binary classification"),
             ("binary classification", "probability")]),
    "8.4": (["ids", "advertiser", "campaign", "ad group", "category", "tokenization", "pre-trained text model",
             "image or video", "pre-trained image/video model", "impressions", "clicks", "embedding",
             "concatenated ad features"],
            [("ids", "embedding"), ("category", "tokenization"), ("tokenization", "text model"),
             ("text model", "concatenated"), ("image or video", "image/video model"),
             ("image/video model", "concatenated"), ("engagement", "concatenated"),
             ("embedding", "concatenated")]),
    "8.5": (["age", "gender", "city", "language", "time of day", "device", "ad click rate", "total ad views",
             "clicked ad ids", "bucketize + one-hot", "one-hot", "embedding", "scale", "ad feature computation",
             "aggregate (average)", "concatenated user features"],
            [("age", "bucketize"), ("time of day", "bucketize"), ("gender", "one-hot"), ("device", "one-hot"),
             ("city", "embedding"), ("ad click rate", "scale"), ("clicked ad ids", "ad feature computation"),
             ("ad feature computation", "aggregate"), ("aggregate", "concatenated"), ("scale", "concatenated"),
             ("embedding", "concatenated")]),
    "8.6": (["country", "language", "cross", "usa-english", "england-chinese"],
            [("country", "cross"), ("language", "cross"), ("cross", "usa-english")]),
    "8.7": (["original features", "feature crossing", "crossed features", "logistic regression", "p ("],
            [("original features", "feature crossing"), ("feature crossing", "crossed features"),
             ("crossed features", "logistic regression"), ("original features", "logistic regression"),
             ("logistic regression", "p (")]),
    "8.8": (["original features", "tree t1", "tree t2", "tree t3", "one-hot", "extracted features"],
            [("original features", "tree t1"), ("original features", "tree t2"), ("original features", "tree t3"),
             ("tree t1", "t1 leaf"), ("t1 leaf", "extracted features"), ("t3 leaf", "extracted features")]),
    "8.9": (["original features", "gbdt", "extracted features", "selected features", "lr", "p ("],
            [("original features", "gbdt"), ("gbdt", "extracted features"), ("original features", "selected"),
             ("extracted features", "lr"), ("selected features", "lr"), ("lr", "p (")]),
    "8.10": (["original features", "neural network", "probability"],
             [("original features", "neural network"), ("neural network", "probability")]),
    "8.11": (["user-related features", "ad-related features", "user encoder", "ad encoder", "user embedding",
              "ad embedding", "similarity", "p(click)"],
             [("user-related features", "user encoder"), ("user encoder", "user embedding"),
              ("ad-related features", "ad encoder"), ("ad encoder", "ad embedding"),
              ("user embedding", "similarity"), ("ad embedding", "similarity"), ("similarity", "p(click)")]),
    "8.12": (["sparse input features", "embedding layers", "feature embeddings", "dense input features",
              "deep neural network", "cross network", "concatenate", "sigmoid", "p(click)"],
             [("sparse input features", "embedding layers"), ("embedding layers", "feature embeddings"),
              ("feature embeddings", "deep neural network"), ("dense input features", "cross network"),
              ("deep neural network", "concatenate"), ("cross network", "concatenate"),
              ("concatenate", "sigmoid"), ("sigmoid", "p(click)")]),
    "8.13": (["sparse input features", "embedding layers", "feature embeddings", "pairwise feature interactions",
              "per-feature weights", "sum", "sigmoid", "p(click)"],
             [("sparse input features", "embedding layers"), ("embedding layers", "feature embeddings"),
              ("feature embeddings", "pairwise"), ("pairwise", "sum"), ("per-feature weights", "sum"),
              ("sum", "sigmoid"), ("sigmoid", "p(click)")]),
    "8.14": (["sparse input features", "embedding layers", "feature embeddings", "per-feature weights",
              "pairwise feature interactions", "deep neural network", "sum", "sigmoid", "p(click)"],
             [("sparse input features", "embedding layers"), ("feature embeddings", "per-feature weights"),
              ("feature embeddings", "pairwise"), ("feature embeddings", "deep neural network"),
              ("per-feature weights", "sum"), ("pairwise", "sum"), ("deep neural network", "sum"),
              ("sum", "sigmoid"), ("sigmoid", "p(click)")]),
    "8.18": (["raw data", "batch feature computation", "feature store", "online feature computation",
              "training data", "fine-tune", "evaluate", "deploy", "model registry", "user", "ads",
              "candidate generation", "ranking service", "trained model", "re-ranking", "top ads"],
             [("raw data", "batch feature computation"), ("batch feature computation", "feature store"),
              ("new ads and interactions", "training data generation"), ("training data", "fine-tune"),
              ("fine-tune", "evaluate"), ("evaluate", "deploy"), ("deploy", "model registry"),
              ("model registry", "trained model"), ("user", "candidate generation"),
              ("ads", "candidate generation"), ("candidate generation", "ranking service"),
              ("feature store", "ranking service"), ("online feature computation", "ranking service"),
              ("trained model", "ranking service"), ("ranking service", "re-ranking"),
              ("re-ranking", "top ads")]),
}


def test_every_catalogued_figure_has_a_check():
    book.assert_catalogue_checked(8, SPEC, FIGURES)


@pytest.mark.parametrize("number", book.by_number(FIGURES))
def test_figure_is_drawn_with_the_books_parts(number):
    book.assert_books_parts(SPEC, number, *FIGURES[number])


def test_dcn_is_parallel_with_sparse_embeddings_to_the_deep_side_and_dense_to_the_cross_side():
    d = drawing("8.12")
    assert not has_edge(d, "deep neural network", "cross network")
    assert not has_edge(d, "cross network", "deep neural network")
    assert not has_edge(d, "sparse input features", "cross network")
    assert "parallel" in d.title.lower()


def test_deepfm_keeps_the_fm_part_apart_from_the_dnn():
    d = drawing("8.14")
    fm = [g for g in d.groups.values() if "fm" in g.label.lower()]
    assert len(fm) == 1
    members = {d.nodes[getattr(n, "id", n)].label.lower() for n in fm[0].nodes}
    assert any("per-feature weights" in m for m in members) and any("pairwise" in m for m in members)
    assert not any("deep neural network" in m for m in members)


def test_system_has_the_three_pipelines():
    groups = {g.label.lower() for g in drawing("8.18").groups.values()}
    assert groups == {"data preparation pipeline", "continual learning pipeline", "prediction pipeline"}


def test_framework_follows_the_books_requirements_and_choices():
    fw = SPEC.framework
    requirements = " ".join(fw["requirements"]).lower()
    for fact in ("revenue", "timeline", "same revenue", "fatigue", "hide", "block", "continual", "minutes"):
        assert fact in requirements, fact
    for absent in ("retarget", "hierarchy"):
        assert absent not in requirements, absent
    model = " ".join(fw["model"]).lower()
    assert "dcn and deepfm" in model and "does not pick" in model
    assert "(chosen)" not in model
    assert {m.lower() for m in fw["evaluation"]["online"]} == {"ctr", "conversion rate", "revenue lift", "hide rate"}
    assert any("normalised cross-entropy" in m.lower() for m in fw["evaluation"]["offline"])
