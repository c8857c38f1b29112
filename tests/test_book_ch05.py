"""Chapter 5 (Harmful Content Detection): each catalogued figure is drawn with the book's parts and flows.

Facts come from the chapter: a post is image, text and author; late fusion (one model per modality,
predictions fused) vs early fusion (features fused, one model, chosen); the four ML-category options
ending in the multi-task classifier (shared layers, one classification head per harm class); the
features (pre-trained text/image/video models, scaled reaction counts, comment embeddings averaged,
author features); labels per harm class; per-task losses summed; the serving design.
"""

from mlsd_diagrams import load

from . import book

SPEC = load("harmful_content_detection")
DIAGRAMS = SPEC.diagrams

WHERE = {
    "5.1": "framing", "5.2": "framing", "5.3": "framing", "5.4": "fusion", "5.5": "fusion",
    "5.6": "binary_classifiers", "5.7": "binary_classifiers", "5.8": "multi_label", "5.9": "multitask",
    "5.10": "multitask", "5.11": "multitask", "5.12": "multitask", "5.14": "reaction_features",
    "5.15": "features", "5.16": "dataset", "5.17": "training", "5.19": "system",
}
HARMS = ("violence", "nudity", "hate")


def labels(diagram_id: str) -> list[str]:
    return [n.label.lower() for n in DIAGRAMS[diagram_id].nodes.values()]


def missing(diagram_id: str, *parts: str) -> list[str]:
    """The parts that no node label of the diagram contains (case-insensitive)."""
    found = labels(diagram_id)
    return [p for p in parts if not any(p.lower() in label for label in found)]


def ends(diagram_id: str, group_id: str | None = None) -> set[tuple[str, str]]:
    """(source label, destination label) of every edge, lower-case; inside one group if given."""
    d = DIAGRAMS[diagram_id]
    inside = None if group_id is None else {ref.id for ref in d.groups[group_id].nodes}
    return {(d.nodes[e.src].label.lower(), d.nodes[e.dst].label.lower()) for e in d.edges
            if inside is None or {e.src, e.dst} <= inside}


def has_edge(diagram_id: str, src: str, dst: str, group_id: str | None = None) -> bool:
    """An edge whose source label contains `src` and whose destination label contains `dst`."""
    return any(src.lower() in a and dst.lower() in b for a, b in ends(diagram_id, group_id))


def missing_edges(diagram_id: str, *pairs: tuple[str, str], group_id: str | None = None) -> list:
    return [p for p in pairs if not has_edge(diagram_id, *p, group_id=group_id)]


# --- the catalogue --------------------------------------------------------------------------------

def test_the_chapter_catalogues_its_figures_and_each_is_cited_by_the_diagram_that_draws_it():
    book.assert_drawn_where(5, SPEC, WHERE)


# --- framing ----------------------------------------------------------------------------------------

def test_5_1_to_5_3_a_post_of_image_text_and_author_gets_a_probability_of_harm():
    assert missing_edges("framing", ("image", "post p"), ("text", "post p"), ("author", "post p"),
                         ("post p", "harmful content detection system"),
                         ("harmful content detection system", "p(harmful)"),
                         ("p(harmful)", "benign"), ("p(harmful)", "harmful")) == []


def test_5_4_late_fusion_one_model_per_modality_then_predictions_fused():
    """The book's modalities are image, text and author (not video) in both fusion figures."""
    assert missing_edges("fusion", ("post p", "image"), ("post p", "text"), ("post p", "author"),
                         ("image", "model 1"), ("text", "model 2"), ("author", "model n"),
                         ("model 1", "fusion of predictions"), ("model 2", "fusion of predictions"),
                         ("model n", "fusion of predictions"), ("fusion of predictions", "harmful probability"),
                         group_id="late") == []


def test_5_5_early_fusion_features_fused_before_one_model_and_chosen():
    assert missing_edges("fusion", ("image", "fusion of features"), ("text", "fusion of features"),
                         ("author", "fusion of features"), ("fusion of features", "model"),
                         ("model", "harmful probability"), group_id="early") == []
    assert "chosen" in DIAGRAMS["fusion"].groups["early"].label.lower()
    assert not any("video" in label for label in labels("fusion"))


# --- ML category options -------------------------------------------------------------------------------

def test_5_6_single_binary_classifier_outputs_one_harmful_probability():
    assert ends("binary_classifiers", "single") == {("fused features", "model"), ("model", "harmful probability")}


def test_5_7_one_binary_classifier_per_harm_class():
    assert missing_edges("binary_classifiers", ("fused features", "model 1"), ("fused features", "model 2"),
                         ("fused features", "model n"), ("model 1", "violence probability"),
                         ("model 2", "nudity probability"), ("model n", "hate probability"),
                         group_id="per_class") == []


def test_5_8_multi_label_one_model_predicts_every_class():
    assert ("fused features", "model") in ends("multi_label")
    for harm in HARMS:
        assert ("model", f"{harm} probability") in ends("multi_label"), harm


def test_5_9_to_5_12_multi_task_shared_layers_then_one_head_per_class():
    assert missing_edges("multitask", ("image", "fusion"), ("text", "fusion"), ("author", "fusion"),
                         ("fusion", "fused features"), ("fused features", "shared layers"),
                         ("shared layers", "transformed features")) == []
    heads = DIAGRAMS["multitask"].groups["heads"]
    assert heads.label == "Task-specific layers"
    for harm in HARMS:
        assert has_edge("multitask", "transformed features", f"{harm} classification head"), harm
        assert has_edge("multitask", f"{harm} classification head", f"{harm} probability"), harm
        assert has_edge("multitask", f"{harm} probability", "harmful probability"), harm
    assert len(heads.nodes) == 3


# --- features and dataset -------------------------------------------------------------------------------

def test_5_14_reactions_scaled_comments_embedded_and_averaged_content_through_pretrained_models():
    assert missing_edges("reaction_features", ("#reports, #likes, #comments, #shares", "scale"),
                         ("scale", "concatenated features"), ("comments", "pre-trained text model (each comment)"),
                         ("each comment", "average"), ("average", "concatenated features")) == []
    for modality in ("text", "image", "video"):
        assert has_edge("reaction_features", f"post's {modality}", "preprocess"), modality
        assert has_edge("reaction_features", f"pre-trained {modality} model", "concatenated features"), modality


def test_5_15_summary_image_video_text_comments_author_concatenated_into_fused_features():
    assert missing_edges("features", ("image", "clip or simclr"), ("video", "videomoco"),
                         ("text", "distilmbert"), ("comments", "same text model per comment"),
                         ("same text model per comment", "average comment embeddings"),
                         ("average comment embeddings", "concatenate"), ("author", "prepare author features"),
                         ("prepare author features", "concatenate"), ("concatenate", "fused features")) == []
    for model in ("clip or simclr", "videomoco", "distilmbert"):
        assert has_edge("features", model, "concatenate"), model


def test_5_16_a_data_point_is_prepared_features_plus_a_label_per_harm_class():
    assert missing_edges("dataset", ("post p", "feature preparation"), ("feature preparation", "features"),
                         ("features", "training data point"), ("label", "training data point"),
                         ("hand labelling", "label"), ("natural labelling", "label")) == []
    label = next(lab for lab in labels("dataset") if lab.startswith("label"))
    assert all(h in label for h in ("nudity", "illegal goods", "violence", "self-harm", "hate speech"))
    assert "evaluation" in next(lab for lab in labels("dataset") if lab.startswith("hand"))
    assert "user reports" in next(lab for lab in labels("dataset") if lab.startswith("natural"))


# --- model training -------------------------------------------------------------------------------------

def test_5_17_one_cross_entropy_per_task_summed_into_the_loss():
    assert has_edge("training", "fused features", "multi-task neural network")
    for harm, loss in zip(HARMS, ("l1", "l2", "ln"), strict=False):
        assert has_edge("training", "multi-task neural network", f"{harm} probability"), harm
        assert has_edge("training", f"{harm} probability", f"{loss} (cross-entropy)"), harm
        assert has_edge("training", f"{harm} label", f"{loss} (cross-entropy)"), harm
        assert has_edge("training", f"{loss} (cross-entropy)", "loss = l1 + l2 + ... + ln"), harm


# --- serving ----------------------------------------------------------------------------------------------

def test_5_19_system_design_routes_by_confidence():
    assert missing_edges("system", ("user", "application"), ("application", "feature preparation"),
                         ("feature preparation", "trained ml model"),
                         ("trained ml model", "violation enforcement service"),
                         ("trained ml model", "demoting service"),
                         ("demoting service", "posts that need manual review")) == []
    d = DIAGRAMS["system"]
    routes = {e.label for e in d.edges if d.nodes[e.src].label == "Trained ML model"}
    assert routes == {"high confidence", "low confidence"}
    detection = next(g for g in d.groups.values() if g.label == "Harmful content detection service")
    assert {d.nodes[r.id].label for r in detection.nodes} == {"Feature preparation", "Trained ML model"}


# --- framework metadata ------------------------------------------------------------------------------------

def test_framework_metadata_follows_the_chapter():
    fw = SPEC.framework
    assert fw["evaluation"]["offline"] == ["PR-AUC", "ROC-AUC"]
    online = " ".join(fw["evaluation"]["online"]).lower()
    assert all(m in online for m in ("prevalence", "harmful impressions", "valid appeals", "proactive rate",
                                     "user reports per harmful class"))
    data = " ".join(fw["data"]).lower()
    assert all(t in data for t in ("distilmbert", "clip", "simclr", "videomoco", "averaged", "scaled",
                                   "hand labelling", "natural labelling"))
    requirements = " ".join(fw["requirements"]).lower()
    assert "500 million" in requirements and "10,000" in requirements
    assert "early fusion" in fw["framing"]["category"].lower()
