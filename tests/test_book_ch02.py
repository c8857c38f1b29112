"""Chapter 2 (Visual Search System): each catalogued figure is drawn with the parts and links the book shows."""

import pytest

from mlsd_diagrams import load
from mlsd_diagrams.figures import chapters

from . import book
from .book import linked, node

SPEC = load("visual_search")
CHAPTER = next(c for c in chapters() if c.number == 2)


def drawing(number):
    return book.drawing(SPEC, number)


def assert_figure(number, components, edges):
    return book.assert_figure(SPEC, number, components, edges)


def test_the_catalogue_lists_the_architecture_figures_of_chapter_2():
    assert CHAPTER.spec == "visual_search"
    assert [f.number for f in CHAPTER.figures] == [
        "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "2.19", "2.20", "2.22", "2.24"]


def test_2_2_input_output_query_image_to_ranked_results():
    d = assert_figure("2.2", ["query image", "visual search system", "results"],
                      [("query image", "visual search system"), ("visual search system", "results")])
    assert d.id == "framing"
    assert any(n.kind == "note" and "ranking" in n.label.lower() for n in d.nodes.values())


def test_2_3_similar_images_map_to_close_points():
    assert_figure("2.3", ["image a", "image b", "ml model", "embedding of a", "embedding of b", "embedding space"],
                  [("image a", "ml model"), ("image b", "ml model"), ("ml model", "embedding of a"),
                   ("ml model", "embedding of b"), ("embedding of a", "embedding space"),
                   ("embedding of b", "embedding space")])


def test_2_4_query_embedding_ranked_against_nearby_points():
    assert_figure("2.4", ["query image", "query embedding", "similarity", "top 3 similar images"],
                  [("query image", "query embedding"), ("query embedding", "similarity"),
                   ("similarity", "top 3 similar images")])


def test_2_5_simplified_model_reads_bottom_to_top():
    d = assert_figure("2.5", ["input image", "convolution layers", "fully connected layers", "embedding vector"],
                      [("input image", "convolution layers"), ("convolution layers", "fully connected layers"),
                       ("fully connected layers", "embedding vector")])
    assert d.id == "encoder" and d.direction == "BT"
    conv = d.nodes[node(d, "convolution layers")].label.lower()
    assert "resnet" in conv and "vit" in conv  # the book names both families


@pytest.mark.parametrize("number", ["2.6", "2.7", "2.8"])
def test_2_6_to_2_8_a_training_data_point(number):
    d = assert_figure(number, ["query image", "positive image", "n-1 negative images", "label", "augment"],
                      [("query image", "augment"), ("augment", "positive image"), ("positive image", "label")])
    assert d.id == "training_data"
    group = [g for g in d.groups.values() if "n candidate" in g.label.lower()]
    assert group and {r.id for r in group[0].nodes} == {node(d, "positive image"), node(d, "n-1 negative")}
    assert "index of the positive" in d.nodes[node(d, "label")].label.lower()


def test_2_9_one_model_embeds_query_positive_and_negatives():
    d = assert_figure("2.9", ["query image", "positive image", "negative images", "ml model", "eq", "ep", "e1"],
                      [("query image", "ml model"), ("positive image", "ml model"), ("negative images", "ml model"),
                       ("ml model", "eq"), ("ml model", "ep"), ("ml model", "e1")])
    assert d.direction == "BT"


def test_2_10_positive_close_negatives_far():
    d = assert_figure("2.10", ["positive", "query", "negative"], [("positive", "query"), ("query", "negative")])
    labels = {(d.nodes[e.src].label.lower(), e.label) for e in d.edges}
    assert ("positive p", "close") in labels
    assert all(e.label == "far" and e.style == "dashed" for e in d.edges if "negative" in d.nodes[e.dst].label.lower())


def test_2_11_simplified_contrastive_loss():
    d = assert_figure("2.11", ["similarities", "softmax", "label", "cross-entropy"],
                      [("eq", "similarities"), ("ep", "similarities"), ("e1", "similarities"),
                       ("similarities", "softmax"), ("softmax", "cross-entropy"), ("label", "cross-entropy")])
    assert d.nodes[node(d, "cross-entropy")].kind == "loss"


def test_2_19_prediction_and_indexing_pipelines():
    d = assert_figure("2.19", ["query image", "preprocessing", "embedding generation service", "trained model",
                               "nearest neighbor service", "index table", "re-ranking service", "similar images",
                               "new images", "object storage", "indexing service"],
                      [("query image", "preprocessing"), ("preprocessing", "embedding generation"),
                       ("trained model", "embedding generation"), ("embedding generation", "nearest neighbor"),
                       ("nearest neighbor", "index table"), ("nearest neighbor", "re-ranking"),
                       ("re-ranking", "similar images"), ("new images", "object storage"),
                       ("object storage", "indexing service"), ("indexing service", "index table")])
    assert d.id == "system"
    groups = {g.label.lower(): {r.id for r in g.nodes} for g in d.groups.values()}
    assert node(d, "re-ranking") in groups["prediction pipeline"]
    assert node(d, "object storage") in groups["indexing pipeline"]
    assert d.nodes[node(d, "index table")].kind == d.nodes[node(d, "object storage")].kind == "store"


def test_2_20_embedding_generation_service():
    assert_figure("2.20", ["query image", "preprocessing", "embedding generation service", "trained ml model",
                           "embedding e"],
                  [("query image", "preprocessing"), ("preprocessing", "embedding generation service"),
                   ("trained ml model", "embedding generation service"),
                   ("embedding generation service", "embedding e")])


def test_2_22_tree_splits_the_space_into_seven_regions():
    d = drawing("2.22")
    regions = [n for n in d.nodes.values() if n.label in {f"R{k}" for k in range(1, 8)}]
    assert len(regions) == 7
    assert linked(d, "root", "split")
    children = {}
    for e in d.edges:
        children.setdefault(e.src, []).append(e.dst)
    assert all(len(kids) == 2 for kids in children.values())  # a binary tree
    assert {r.id for r in regions} == {n for kids in children.values() for n in kids if n not in children}


def test_2_24_lsh_hashes_points_into_buckets():
    d = assert_figure("2.24", ["embeddings", "query embedding", "lsh(x)", "bucket 1", "bucket 2", "bucket 3"],
                      [("embeddings", "lsh(x)"), ("query embedding", "lsh(x)"), ("lsh(x)", "bucket 1"),
                       ("lsh(x)", "bucket 2"), ("lsh(x)", "bucket 3"), ("q's bucket", "search only")])
    assert d.nodes[node(d, "lsh(x)")].kind == "op"
