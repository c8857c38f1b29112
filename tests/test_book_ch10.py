"""Chapter 10 (Personalized News Feed): each catalogued figure is drawn with the book's parts.

Components and edges below come from the book's figures 10.2-10.14 and the text around them; a component is a
case-insensitive substring of a node label, an edge is (substring of the source label, substring of the target).
"""

import pytest

from mlsd_diagrams import load

from . import book
from .book import has_edge, has_node, label

SPEC = load("personalized_news_feed")
# the reactions the engagement score weighs (Table 10.1), and their values
WEIGHTS = {"click": "1", "like": "5", "comment": "10", "share": "20", "friendship request": "30",
           "hide": "-20", "block": "-50"}


def drawing(number):
    return book.drawing(SPEC, number)


# figure -> (components, edges)
FIGURES = {
    "10.2": (["user", "personalized news feed system", "post 1", "post 2", "post k"],
             [("user", "personalized news feed system"), ("personalized news feed system", "post 1"),
              ("personalized news feed system", "post k")]),
    "10.3": (["user", "post", "click classifier", "like classifier", "block classifier", "probabilities"],
             [("user", "<user, post>"), ("post", "<user, post>"), ("<user, post>", "click classifier"),
              ("<user, post>", "block classifier"), ("click classifier", "probabilities"),
              ("like classifier", "probabilities"), ("block classifier", "probabilities")]),
    "10.4": (["p(click)", "p(like)", "p(comment)", "p(share)", "p(friendship request)", "p(hide)", "p(block)",
              "engagement score"],
             [("p(click)", "sum"), ("p(block)", "sum"), ("sum", "engagement score")]),
    "10.5": (["post text", "preprocess", "pre-trained text model", "bert", "image or video",
              "pre-trained image/video model", "resnet or clip", "hashtags", "viterbi", "feature hashing",
              "tf-idf or word2vec", "aggregate", "likes", "shares", "scale", "post age", "bucketise + one-hot",
              "concatenated post features"],
             [("post text", "preprocess"), ("preprocess", "pre-trained text model"),
              ("pre-trained text model", "concatenated"), ("image or video", "preprocess"),
              ("preprocess", "pre-trained image/video model"), ("pre-trained image/video model", "concatenated"),
              ("hashtags", "tokenise"), ("tokenise", "tf-idf"), ("tf-idf", "aggregate"),
              ("aggregate", "concatenated"), ("number of likes", "scale"), ("number of shares", "scale"),
              ("scale", "concatenated"), ("post age", "bucketise"), ("bucketise", "concatenated")]),
    "10.6": (["age", "gender", "city", "country", "language", "time of day", "device", "mentioned",
              "liked post ids", "shared post ids", "post feature preparation", "aggregate", "embedding",
              "bucketise + one-hot", "concatenated user features"],
             [("age", "bucketise"), ("gender", "embedding"), ("time of day", "bucketise"),
              ("liked post ids", "post feature preparation"), ("shared post ids", "post feature preparation"),
              ("post feature preparation", "aggregate"), ("aggregate", "concatenated"),
              ("embedding", "concatenated"), ("bucketise", "concatenated"), ("mentioned", "concatenated")]),
    "10.7": (["like rate", "click rate", "share rate", "friendship length", "close friends or family",
              "concatenated affinity features"],
             [("like rate", "concatenated"), ("click rate", "concatenated"), ("share rate", "concatenated"),
              ("friendship length", "concatenated"), ("close friends", "concatenated"),
              ("friendship data", "friendship length")]),
    "10.8": (["input features", "click classifier", "like classifier", "share classifier", "comment classifier",
              "p(click)", "p(like)", "p(share)", "p(comment)"],
             [("input features", "click classifier"), ("input features", "like classifier"),
              ("input features", "share classifier"), ("input features", "comment classifier"),
              ("click classifier", "p(click)"), ("comment classifier", "p(comment)")]),
    "10.9": (["input features", "shared layers", "click head", "like head", "share head", "comment head",
              "p(click)", "p(like)", "p(share)", "p(comment)"],
             [("input features", "shared layers"), ("shared layers", "click head"), ("shared layers", "like head"),
              ("shared layers", "share head"), ("shared layers", "comment head"), ("click head", "p(click)"),
              ("share head", "p(share)")]),
    "10.10": (["input features", "shared layers", "skip head", "dwell-time head", "click head", "like head",
               "share head", "comment head", "p(skip)", "dwell time"],
              [("input features", "shared layers"), ("shared layers", "skip head"),
               ("shared layers", "dwell-time head"), ("shared layers", "click head"),
               ("skip head", "p(skip)"), ("dwell-time head", "dwell time")]),
    "10.13": (["input features", "multi-task dnn", "predicted dwell time", "p(skip)", "p(like)", "p(share)",
               "dwell-time label", "skip label", "like label", "share label", "l_dwell", "l_skip", "l_like",
               "l_share", "lambda x l_dwell"],
              [("input features", "multi-task dnn"), ("multi-task dnn", "predicted dwell time"),
               ("multi-task dnn", "p(skip)"), ("predicted dwell time", "l_dwell"), ("dwell-time label", "l_dwell"),
               ("p(like)", "l_like"), ("like label", "l_like"), ("l_dwell", "loss ="), ("l_skip", "loss ="),
               ("l_share", "loss =")]),
    "10.14": (["user", "retrieval service", "ranking service", "ml model", "re-ranking service",
               "personalized feed", "stream of new data and interactions", "data store",
               "batch feature computation", "feature store", "online feature computation"],
              [("user", "retrieval service"), ("retrieval service", "ranking service"),
               ("ranking service", "re-ranking service"), ("re-ranking service", "personalized feed"),
               ("ml model", "ranking service"), ("feature store", "ranking service"),
               ("online feature computation", "ranking service"), ("new data", "data store"),
               ("data store", "batch feature computation"), ("batch feature computation", "feature store")]),
}


def test_every_catalogued_figure_has_a_check():
    book.assert_catalogue_checked(10, SPEC, FIGURES)


@pytest.mark.parametrize("number", book.by_number(FIGURES))
def test_figure_is_drawn_with_the_books_parts(number):
    book.assert_books_parts(SPEC, number, *FIGURES[number])


def test_engagement_score_uses_the_books_weights():
    d = drawing("10.4")
    weights = {}
    for e in d.edges:
        for reaction in WEIGHTS:
            if f"p({reaction})" in label(d, e.src):
                weights[reaction] = e.label.replace("x", "").strip()
    assert weights == WEIGHTS


def test_every_weighted_reaction_has_a_classifier_and_a_multitask_head():
    """The engagement score needs a probability for each weighted reaction, block included."""
    classifiers, multitask, passive = drawing("10.3"), drawing("10.9"), drawing("10.10")
    for reaction in WEIGHTS:
        assert has_edge(classifiers, "<user, post>", f"{reaction} classifier"), reaction
        assert has_edge(multitask, "shared layers", f"{reaction} head"), reaction
        assert has_edge(passive, "shared layers", reaction), reaction


def test_skip_and_dwell_time_join_only_with_the_passive_user_model():
    assert not has_node(drawing("10.9"), "skip") and not has_node(drawing("10.9"), "dwell")
    passive = drawing("10.10")
    assert "regression" in label(passive, next(n for n in passive.nodes if "dwell-time head" in label(passive, n)))


def test_independent_dnns_share_no_layers_and_the_multitask_dnn_does():
    rejected, chosen = drawing("10.8"), drawing("10.9")
    assert not has_node(rejected, "shared")
    assert "rejected" in rejected.title.lower() and "chosen" in chosen.title.lower()
    heads = [e for e in chosen.edges if "shared layers" in label(chosen, e.src)]
    assert len(heads) == len(WEIGHTS)


def test_system_has_the_two_pipelines():
    d = drawing("10.14")
    groups = {g.label.lower(): g for g in d.groups.values()}
    assert set(groups) == {"data preparation pipeline", "prediction pipeline"}
    prediction = {label(d, getattr(n, "id", n)) for n in groups["prediction pipeline"].nodes}
    assert any("retrieval service" in n for n in prediction) and any("re-ranking" in n for n in prediction)


def test_framework_follows_the_book():
    fw = SPEC.framework
    requirements = " ".join(fw["requirements"]).lower()
    for fact in ("unseen comments", "200 ms", "3 billion", "2 billion", "twice a day", "friendship request",
                 "block", "revenue"):
        assert fact in requirements, fact
    assert "pointwise learning to rank" in fw["framing"]["category"].lower()
    assert fw["framing"]["input"].lower().startswith("a user")
    data = " ".join(fw["data"]).lower()
    for fact in ("bert", "resnet or clip", "viterbi", "feature hashing", "tf-idf or word2vec", "bucketed",
                 "close friend"):
        assert fact in data, fact
    model = " ".join(fw["model"]).lower()
    for fact in ("n independent dnns", "multi-task dnn", "skip", "0.5 s", "dwell-time", "mae, mse or huber",
                 "binary cross-entropy"):
        assert fact in model, fact
    offline = " ".join(fw["evaluation"]["offline"]).lower()
    assert "precision" in offline and "recall" in offline and "roc-auc" in offline
    online = " ".join(fw["evaluation"]["online"]).lower()
    for fact in ("ctr", "reaction rates", "total time spent", "user satisfaction"):
        assert fact in online, fact
