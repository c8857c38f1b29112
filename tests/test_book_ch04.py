"""Chapter 4 (YouTube Video Search): each catalogued figure is drawn with the book's parts and flows.

Facts come from the chapter: text search and visual search run side by side and are fused; two
encoders and a dot product; text is normalised, tokenised and mapped to IDs (lookup table or
hashing); the text encoder options; video-level vs frame-level encoders; contrastive training with
softmax and cross-entropy; the three pipelines of the serving design.
"""

from mlsd_diagrams import load

from . import book

SPEC = load("youtube_video_search")
DIAGRAMS = SPEC.diagrams

WHERE = {
    "4.2": "framing", "4.3": "overview", "4.4": "framing", "4.5": "text_search", "4.6": "text_preparation",
    "4.8": "text_preparation", "4.9": "video_preprocessing", "4.10": "text_encoder", "4.13": "embedding_lookup",
    "4.14": "word2vec", "4.15": "transformer", "4.16": "video_encoder", "4.17": "video_encoder",
    "4.18": "training", "4.19": "system", "4.20": "nn_retrieval",
}


def labels(diagram_id: str) -> list[str]:
    return [n.label.lower() for n in DIAGRAMS[diagram_id].nodes.values()]


def missing(diagram_id: str, *parts: str) -> list[str]:
    """The parts that no node label of the diagram contains (case-insensitive)."""
    found = labels(diagram_id)
    return [p for p in parts if not any(p.lower() in label for label in found)]


def has_edge(diagram_id: str, src: str, dst: str) -> bool:
    """An edge whose source label contains `src` and whose destination label contains `dst`."""
    d = DIAGRAMS[diagram_id]
    return any(src.lower() in d.nodes[e.src].label.lower() and dst.lower() in d.nodes[e.dst].label.lower()
               for e in d.edges)


def missing_edges(diagram_id: str, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [p for p in pairs if not has_edge(diagram_id, *p)]


def group_of(diagram_id: str, label: str) -> set[str]:
    """Labels of the groups holding a node whose label contains `label`."""
    d = DIAGRAMS[diagram_id]
    ids = {n.id for n in d.nodes.values() if label.lower() in n.label.lower()}
    return {g.label for g in d.groups.values() if ids & {ref.id for ref in g.nodes}}


# --- the catalogue --------------------------------------------------------------------------------

def test_the_chapter_catalogues_its_figures_and_each_is_cited_by_the_diagram_that_draws_it():
    book.assert_drawn_where(4, SPEC, WHERE)


# --- framing ----------------------------------------------------------------------------------------

def test_4_2_and_4_4_two_encoders_and_a_dot_product_rank_videos_for_a_query():
    assert missing("framing", "text query", "text encoder", "video encoder", "text embedding",
                   "video embedding", "dot product", "ranked") == []
    assert missing_edges("framing", ("text query", "text encoder"), ("text encoder", "text embedding"),
                         ("video", "video encoder"), ("video encoder", "video embedding"),
                         ("text embedding", "dot product"), ("video embedding", "dot product"),
                         ("dot product", "ranked")) == []
    groups = DIAGRAMS["framing"].groups
    assert group_of("framing", "text encoder") == group_of("framing", "video encoder") == {"ML model"}
    assert groups["system"].label == "Video search system"
    assert [ref.id for ref in groups["system"].groups] == ["ml_model"]


def test_4_3_text_search_and_visual_search_run_in_parallel_and_are_fused():
    assert missing("overview", "text query", "visual search", "text search", "fusing") == []
    assert missing_edges("overview", ("text query", "visual search"), ("text query", "text search"),
                         ("visual search", "fusing"), ("text search", "fusing"), ("fusing", "videos")) == []
    assert not has_edge("overview", "visual search", "text search")


def test_4_5_text_search_looks_up_the_videos_textual_data():
    assert missing("text_search", "text query", "inverted index", "elasticsearch", "titles", "tags") == []
    assert missing_edges("text_search", ("text query", "text search"), ("textual data", "text search"),
                         ("text search", "matching videos")) == []


# --- data preparation --------------------------------------------------------------------------------

def test_4_6_and_4_8_text_becomes_token_ids_through_a_lookup_table_or_hashing():
    assert missing("text_preparation", "text normalization", "tokenization", "lookup table",
                   "hash function", "token ids") == []
    assert missing_edges("text_preparation", ("raw text", "text normalization"),
                         ("tokenization", "tokens"), ("tokens", "lookup table"), ("tokens", "hash function"),
                         ("lookup table", "token ids"), ("hash function", "token ids")) == []
    assert has_edge("text_preparation", "text normalization", "dog play indoor")
    assert has_edge("text_preparation", "dog play indoor", "tokenization")


def test_4_9_video_preprocessing_decodes_samples_resizes_and_normalizes():
    chain = [("raw video", "decode frames"), ("decode frames", "sample frames"), ("sample frames", "resize"),
             ("resize", "normalize"), ("normalize", "frames.npy")]
    assert missing_edges("video_preprocessing", *chain) == []


# --- model development ------------------------------------------------------------------------------

def test_4_10_text_encoder_options_statistical_vs_ml_based_bert_chosen():
    assert missing_edges("text_encoder", ("text query", "text encoder"), ("text encoder", "text embedding")) == []
    statistical = {"bag of words", "tf-idf"}
    ml_based = {"embedding (lookup) layer", "word2vec", "transformer"}
    for option in statistical | ml_based:
        assert has_edge("text_encoder", option, "text encoder"), option
    assert all(any(g.startswith("Statistical") for g in group_of("text_encoder", o)) for o in statistical)
    assert all(any(g.startswith("ML-based") for g in group_of("text_encoder", o)) for o in ml_based)
    chosen = [n for n in DIAGRAMS["text_encoder"].nodes.values() if "chosen" in n.label.lower()]
    assert [n.label for n in chosen] == ["Transformer, e.g. BERT (chosen)"]


def test_4_13_embedding_layer_looks_ids_up_in_its_table():
    assert missing_edges("embedding_lookup", ("token ids", "embedding layer"),
                         ("embedding layer", "embedding per id"), ("embedding layer", "lookup table")) == []


def test_4_14_cbow_predicts_the_centre_word_from_its_context():
    for position in ("t-2", "t-1", "t+1", "t+2"):
        assert has_edge("word2vec", position, "shallow neural network"), position
    assert has_edge("word2vec", "shallow neural network", "centre word")


def test_4_15_transformer_gives_each_word_a_context_dependent_embedding():
    words = ["dogs", "playing", "in", "snow"]
    for w in words:
        assert has_edge("transformer", w, "transformer-based model"), w
        assert has_edge("transformer", "transformer-based model", f"{w} in context"), w


def test_4_16_and_4_17_video_level_vs_frame_level_encoders_frame_level_chosen():
    d = DIAGRAMS["video_encoder"]
    groups = {g.label for g in d.groups.values()}
    assert groups == {"Video-level model", "Frame-level model (chosen)"}
    assert missing_edges("video_encoder", ("preprocess", "video model"), ("video model", "video embedding")) == []
    assert "3d convolutions" in " ".join(labels("video_encoder"))
    for frame in ("Frame 1", "Frame 5", "Frame N"):
        assert has_edge("video_encoder", frame, "image model (vit)"), frame
        assert has_edge("video_encoder", f"{frame} embedding", "average"), frame
    assert has_edge("video_encoder", "average", "video embedding")
    assert has_edge("video_encoder", "sample frames", "frame 1")


def test_4_18_contrastive_loss_softmax_over_dot_products_against_one_hot_truth():
    assert missing("training", "positive", "n-1 negative", "video encoder", "text encoder", "softmax",
                   "ground truth", "cross-entropy") == []
    assert missing_edges("training", ("input video", "video encoder"), ("positive", "text encoder"),
                         ("negative", "text encoder"), ("video embedding", "dot products"),
                         ("text embeddings", "dot products"), ("dot products", "softmax"),
                         ("softmax", "predictions"), ("predictions", "cross-entropy"),
                         ("ground truth", "cross-entropy")) == []


# --- serving ---------------------------------------------------------------------------------------

def test_4_19_system_design_has_the_three_pipelines_and_the_fusing_path():
    d = DIAGRAMS["system"]
    assert {g.label for g in d.groups.values()} >= {"Prediction pipeline", "Visual search",
                                                    "Video indexing pipeline", "Text indexing pipeline"}
    assert missing_edges("system", ("text query", "text preprocessing"), ("text preprocessing", "text encoder"),
                         ("text encoder", "nearest neighbor"), ("nearest neighbor", "video index table"),
                         ("text query", "elasticsearch"), ("nearest neighbor", "fusing layer"),
                         ("elasticsearch", "fusing layer"), ("fusing layer", "re-ranking"),
                         ("re-ranking", "search results"), ("new videos", "video preprocessing"),
                         ("video preprocessing", "video encoder"), ("video encoder", "video index table"),
                         ("titles", "elasticsearch"), ("manual tags", "elasticsearch"),
                         ("auto-tagger", "auto-generated tags"), ("auto-generated tags", "elasticsearch")) == []
    assert "Visual search" in group_of("system", "text encoder")
    assert "Text indexing pipeline" in group_of("system", "auto-tagger")
    assert "Video indexing pipeline" in group_of("system", "video encoder")


def test_4_20_nearest_video_embeddings_to_the_query_are_the_top_results():
    assert missing_edges("nn_retrieval", ("query text", "query embedding"), ("query embedding", "nearest"),
                         ("indexed video embeddings", "nearest"), ("nearest", "top 3")) == []


# --- framework metadata ------------------------------------------------------------------------------

def test_framework_metadata_follows_the_chapter():
    fw = SPEC.framework
    assert fw["evaluation"]["offline"] == ["precision@k", "mAP", "recall@k", "MRR (chosen)"]
    assert fw["evaluation"]["online"] == ["CTR", "video completion rate", "total watch time of search results"]
    model = " ".join(fw["model"]).lower()
    assert "bert is chosen" in model and "vit" in model and "n-1 negative" in model
    requirements = " ".join(fw["requirements"]).lower()
    assert "1 billion videos" in requirements and "10 million" in requirements and "english" in requirements
    assert "weighted sum" in " ".join(fw["serving"]).lower()
