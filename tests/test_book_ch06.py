"""Chapter 6 (Video Recommendation System): each catalogued figure is drawn with the parts the book gives it."""

import pytest

from mlsd_diagrams import load

SPEC = load("video_recommendation")


def drawing(figure):
    """The one diagram of the spec that cites ``figure``."""
    found = [d for d in SPEC.diagrams.values() if figure in d.figures]
    assert len(found) == 1, (figure, [d.id for d in found])
    return found[0]


def labels(d):
    return [n.label.lower() for n in d.nodes.values()]


def has_node(d, text):
    return any(text.lower() in label for label in labels(d))


def has_edge(d, src, dst, label=None, style=None):
    """An edge whose source label contains ``src`` and whose target label contains ``dst``."""
    for e in d.edges:
        a, b = d.nodes[e.src].label.lower(), d.nodes[e.dst].label.lower()
        ends = {(a, b), (b, a)} if e.arrow in ("<->", "--") else {(a, b)}
        if not any(src.lower() in x and dst.lower() in y for x, y in ends):
            continue
        if label is not None and label.lower() not in e.label.lower():
            continue
        if style is not None and e.style != style:
            continue
        return True
    return False


def assert_parts(figure, nodes, edges):
    d = drawing(figure)
    missing = [n for n in nodes if not has_node(d, n)]
    assert missing == [], (figure, d.id, missing)
    absent = [e for e in edges if not has_edge(d, *e)]
    assert absent == [], (figure, d.id, absent)
    return d


def test_every_chapter_6_figure_has_a_test():
    from importlib import resources

    import yaml

    ch6 = yaml.safe_load(resources.files("mlsd_diagrams.figures").joinpath("ch06.yaml").read_text(encoding="utf-8"))
    assert ch6["spec"] == SPEC.id and ch6["chapter"] == SPEC.chapter == 6
    assert set(ch6["figures"]) == set(PARTS) | {"6.23", "6.25", "6.16"}


# figure -> (node label substrings, edges as (source label, target label[, edge label[, style]]))
PARTS = {
    "6.2": (["user", "video recommendation system", "videos", "recommended videos"],
            [("user", "video recommendation system"), ("videos", "video recommendation system"),
             ("video recommendation system", "recommended videos")]),
    "6.3": (["recommendation system", "personalised", "non-personalised", "content-based filtering",
             "collaborative filtering", "hybrid filtering", "rule-based filtering"],
            [("recommendation system", "personalised"), ("recommendation system", "non-personalised"),
             ("personalised", "content-based"), ("personalised", "collaborative"), ("personalised", "hybrid"),
             ("non-personalised", "rule-based")]),
    "6.4": (["user a", "video x", "video y", "video z"],
            [("user a", "video x", "liked"), ("user a", "video y"), ("video x", "video z", "similar"),
             ("video y", "video z"), ("user a", "video z", "may like", "dashed")]),
    "6.5": (["user a", "user b", "video x", "video y", "video z"],
            [("user b", "user a", "similar user"), ("user b", "video x"), ("user b", "video y"),
             ("user b", "video z"), ("user a", "video x"), ("user a", "video y"),
             ("user a", "video z", "may like", "dashed")]),
    "6.6": (["inputs", "cf-based recommendation", "content-based recommendation", "combiner", "recommendations"],
            [("inputs", "cf-based"), ("inputs", "content-based"), ("cf-based", "combiner"),
             ("content-based", "combiner"), ("combiner", "recommendations"),
             ("cf-based", "content-based"), ("content-based", "recommendations")]),
    "6.7": (["video id", "duration", "language", "title", "tags", "bert", "cbow", "aggregate", "concatenated"],
            [("video id", "embedding"), ("language", "embedding"), ("title", "bert"), ("tags", "cbow"),
             ("cbow", "aggregate"), ("aggregate", "concatenated"), ("bert", "concatenated"),
             ("duration", "concatenated")]),
    "6.8": (["user id", "age", "gender", "language", "city", "country", "bucketize", "one-hot", "concatenated"],
            [("user id", "embedding"), ("age", "bucketize"), ("gender", "one-hot"), ("language", "embedding"),
             ("city", "embedding"), ("country", "embedding"), ("bucketize", "concatenated"),
             ("one-hot", "concatenated"), ("embedding", "concatenated")]),
    "6.9": (["day of the week", "time of day", "device", "concatenated"],
            [("day of the week", "embedding"), ("time of day", "bucketize"), ("device", "one-hot"),
             ("embedding", "concatenated"), ("bucketize", "concatenated"), ("one-hot", "concatenated")]),
    "6.10": (["search queries", "liked videos", "watched videos", "impressions", "pre-trained text model",
              "aggregate", "concatenated"],
             [("search queries", "pre-trained text model"), ("pre-trained text model", "aggregate"),
              ("liked videos", "embedding"), ("watched videos", "embedding"), ("impressions", "embedding"),
              ("embedding", "aggregate"), ("aggregate", "concatenated")]),
    "6.11": (["users", "videos", "feedback matrix", "observed"],
             [("users", "feedback matrix"), ("videos", "feedback matrix")]),
    "6.12": (["feedback matrix", "user embeddings", "video embeddings"],
             [("feedback matrix", "user embeddings"), ("feedback matrix", "video embeddings")]),
    "6.13": (["user embeddings", "video embeddings", "predicted scores", "feedback matrix"],
             [("user embeddings", "product"), ("video embeddings", "product"), ("product", "predicted scores"),
              ("predicted scores", "feedback matrix", "approximates")]),
    "6.14": (["feedback matrix", "predicted scores", "observed pairs only"],
             [("feedback matrix", "observed pairs only"), ("predicted scores", "observed pairs only")]),
    "6.15": (["feedback matrix", "predicted scores", "all pairs"],
             [("feedback matrix", "all pairs"), ("predicted scores", "all pairs")]),
    "6.17": (["user embedding", "video embedding", "dot product", "relevance score"],
             [("user embedding", "dot product"), ("video embedding", "dot product"),
              ("dot product", "relevance score")]),
    "6.18": (["user embeddings u", "video embeddings v", "predicted relevance for every"],
             [("relevance score", "predicted relevance for every"), ("predicted relevance", "ranked")]),
    "6.19": (["user features", "video features", "user encoder (dnn)", "video encoder (dnn)", "user embedding",
              "video embedding", "similarity"],
             [("user features", "user encoder"), ("video features", "video encoder"),
              ("user encoder", "user embedding"), ("video encoder", "video embedding"),
              ("user embedding", "similarity"), ("video embedding", "similarity")]),
    "6.21": (["dot product", "label", "cross-entropy loss"],
             [("dot product", "relevance"), ("relevance", "cross-entropy"), ("label", "cross-entropy")]),
    "6.22": (["user features", "user encoder", "video id", "embedding layer", "similarity"],
             [("user features", "user encoder"), ("user encoder", "user embedding"), ("video id", "embedding layer"),
              ("embedding layer", "video embedding"), ("user embedding", "similarity"),
              ("video embedding", "similarity")]),
    "6.24": (["query user", "feature preparation", "user encoder", "approximate nearest neighbor",
              "indexed video embeddings", "billions", "thousands"],
             [("query user", "feature preparation"), ("feature preparation", "user encoder"),
              ("user encoder", "approximate nearest neighbor"),
              ("approximate nearest neighbor", "indexed video embeddings", None, "dashed"),
              ("billions", "indexed video embeddings"), ("approximate nearest neighbor", "thousands")]),
    "6.26": (["query user", "candidate videos", "video feature store", "feature preparation",
              "two-tower neural network", "scoring"],
             [("query user", "scoring"), ("candidate videos", "scoring"),
              ("video feature store", "feature preparation"), ("feature preparation", "scoring", "video features"),
              ("two-tower", "scoring")]),
}


@pytest.mark.parametrize("figure", sorted(PARTS, key=lambda n: int(n.split(".")[1])))
def test_figure_is_drawn_with_its_parts(figure):
    assert_parts(figure, *PARTS[figure])


def test_6_16_weighted_loss_over_observed_and_unobserved_pairs_is_chosen():
    d = assert_parts("6.16", ["feedback matrix", "predicted scores", "weighted"],
                     [("feedback matrix", "weighted"), ("predicted scores", "weighted")])
    weighted = next(n for n in d.nodes.values() if "weighted" in n.label.lower())
    text = weighted.label.lower()
    assert weighted.kind == "loss" and "chosen" in text
    assert "obs" in text and "unobs" in text and "w" in text.split("+")[1], "W weighs the unobserved sum"


def test_6_23_prediction_pipeline_narrows_billions_to_dozens():
    d = assert_parts("6.23", ["query user", "feature preparation", "video corpus", "user encoder",
                              "approximate nearest neighbor", "indexed video embeddings", "scoring",
                              "two-tower", "video feature store", "re-ranking", "top k videos"],
                     [("query user", "feature preparation"), ("feature preparation", "user encoder"),
                      ("user encoder", "approximate nearest neighbor", "user embedding"),
                      ("video corpus", "indexed video embeddings", "billions"),
                      ("approximate nearest neighbor", "scoring", "thousands"),
                      ("video feature store", "scoring", None, "dashed"),
                      ("scoring", "re-ranking", "hundreds"), ("re-ranking", "top k videos", "dozens")])
    assert {g.label for g in d.groups.values()} >= {"Prediction pipeline", "Candidate generation"}
    # the counts sit on the stages they leave, and "billions" only on the corpus entering candidate generation
    billions = [e for e in d.edges if "billions" in e.label]
    assert [(e.src, e.dst) for e in billions] == [("video_corpus", "video_index")]


def test_6_25_every_generator_is_fed_by_the_user_encoder_and_uses_the_ann_service():
    d = assert_parts("6.25", ["query user", "feature preparation", "user encoder", "billions of videos",
                              "candidate generation 1", "candidate generation 2", "candidate generation k",
                              "relevant videos", "popular videos", "trending videos",
                              "approximate nearest neighbor", "indexed video embeddings"],
                     [("query user", "feature preparation"), ("feature preparation", "user encoder"),
                      ("candidate generation 1", "relevant videos"), ("candidate generation 2", "popular videos"),
                      ("candidate generation k", "trending videos"),
                      ("billions of videos", "indexed video embeddings", "billions"),
                      ("approximate nearest neighbor", "indexed video embeddings", None, "dashed")])
    for generator in ("candidate generation 1", "candidate generation 2", "candidate generation k"):
        assert has_edge(d, "user encoder", generator), generator
        assert has_edge(d, generator, "approximate nearest neighbor", None, "dashed"), generator
    assert not has_edge(d, "feature preparation", "candidate generation"), "generators sit behind the user encoder"


def test_model_diagrams_read_bottom_to_top_and_features_build_upwards():
    for figure in ("6.7", "6.8", "6.9", "6.10", "6.12", "6.16", "6.17", "6.19", "6.22"):
        assert drawing(figure).direction == "BT", figure


def test_framework_follows_the_chapter():
    fw = SPEC.framework
    assert "relevant videos" in fw["framing"]["objective"].lower()
    assert "sequential" in fw["framing"]["category"].lower()
    assert any("wals" in m.lower() for m in fw["model"])
    assert any("unobserved" in m.lower() and "w " in m.lower() for m in fw["model"])
    assert fw["evaluation"]["offline"][:2] == ["precision@k", "mAP"]
    assert any("diversity" in m for m in fw["evaluation"]["offline"])
    assert "CTR" in fw["evaluation"]["online"]
    assert not any("web and mobile" in r.lower() for r in fw["requirements"])
