"""Every bundled case study: valid, complete, faithful to the brief, and renderable with real Graphviz."""

from pathlib import Path

import pytest

from mlsd_diagrams import bundled_ids, load, render, validate
from mlsd_diagrams.vocabulary import STEPS

CASE_STUDIES = [
    "visual_search", "street_view_blurring", "youtube_video_search", "harmful_content_detection",
    "video_recommendation", "event_recommendation", "ad_click_prediction", "similar_listings",
    "personalized_news_feed", "people_you_may_know",
]

# What an interviewer expects to see in each serving design (case-studies.md, "Serving"):
# each entry must appear, case-insensitively, in some node label of the `system` diagram.
KEY_COMPONENTS = {
    "visual_search": ["query image", "preprocessing", "embedding generation", "nearest neighbor", "index table",
                      "re-ranking", "object storage", "indexing service", "trained model"],
    "street_view_blurring": ["street view images", "preprocessing", "detection", "nms", "blur", "fetching",
                             "user reports", "kafka", "hard negative mining", "augmentation", "training"],
    "youtube_video_search": ["text query", "text encoder", "nearest neighbor", "video index", "elasticsearch",
                             "fusing layer", "re-ranking", "video encoder", "video preprocessing", "auto-tagger"],
    "harmful_content_detection": ["user", "application", "feature preparation", "model",
                                  "violation enforcement", "demoting", "manual review", "labels"],
    "video_recommendation": ["user", "feature preparation", "user encoder", "nearest neighbor",
                             "video embeddings", "scoring", "video feature store", "re-ranking", "top k"],
    "event_recommendation": ["data source", "dataset construction", "learner", "evaluator", "deploy",
                             "model repository", "event filtering", "ranking service", "feature computation",
                             "feature store", "raw data"],
    "ad_click_prediction": ["batch feature computation", "feature store", "online feature computation",
                            "fine-tune", "evaluate", "model registry", "candidate generation", "ranking service",
                            "re-ranking"],
    "similar_listings": ["currently viewed listing", "embedding fetcher", "nearest neighbor", "index table",
                         "re-ranking", "fine-tuning", "indexer", "listings db"],
    "personalized_news_feed": ["retrieval service", "ranking service", "re-ranking", "data store",
                               "batch feature computation", "feature store", "online feature computation"],
    "people_you_may_know": ["friends-of-friends", "scoring service", "gnn", "feature computation", "data lake",
                            "pre-computed pymk", "pymk service"],
}

ALL = sorted(set(bundled_ids()))


def test_every_case_study_and_the_framework_ship():
    assert set(ALL) == {*CASE_STUDIES, "framework"}
    assert sum(len(load(i).diagrams) for i in ALL) >= 45


@pytest.mark.parametrize("spec_id", ALL)
def test_loads_without_errors_or_warnings(spec_id):
    assert [str(p) for p in validate(spec_id)] == []


@pytest.mark.parametrize("spec_id", ALL)
def test_framework_metadata_is_complete(spec_id):
    fw = load(spec_id).framework
    assert set(fw) == set(STEPS)
    assert all(fw["framing"].get(k) for k in ("objective", "input", "output", "category"))
    assert fw["evaluation"]["offline"] and fw["evaluation"]["online"]
    assert all(fw[step] for step in STEPS)


@pytest.mark.parametrize("spec_id", CASE_STUDIES)
def test_case_study_has_the_expected_diagrams(spec_id):
    spec = load(spec_id)
    assert len(spec.diagrams) >= 4
    assert "system" in spec.diagrams and "framing" in spec.diagrams
    system = spec.diagrams["system"]
    # pinned, so a cold render is one layout; left to right, or stacked where a long chain would zigzag
    assert system.direction in ("LR", "BT") and len(system.groups) >= 2
    model_diagrams = [d for d in spec.diagrams.values() if d.step == "model"]
    assert model_diagrams, "at least one model-architecture diagram"
    assert any(d.direction == "BT" for d in model_diagrams), "model architectures read bottom to top"


@pytest.mark.parametrize("spec_id", CASE_STUDIES)
def test_serving_design_has_the_key_components(spec_id):
    labels = [n.label.lower() for n in load(spec_id).diagrams["system"].nodes.values()]
    missing = [k for k in KEY_COMPONENTS[spec_id] if not any(k in label for label in labels)]
    assert missing == []


@pytest.mark.parametrize("spec_id", ALL)
def test_every_diagram_is_whiteboard_sized_and_connected(spec_id):
    for d in load(spec_id).diagrams.values():
        assert 1 <= len(d.nodes) <= 25, d.id
        linked = {end for e in d.edges for end in (e.src, e.dst)}
        assert {n.id for n in d.nodes.values() if n.kind != "note"} <= linked, d.id


@pytest.mark.parametrize("spec_id", ALL)
def test_every_diagram_renders_with_real_graphviz(spec_id, tmp_path):
    spec = load(spec_id)
    result = render(spec, tmp_path, formats=["svg"])
    assert result.warnings == []
    assert sorted(p.name for p in (tmp_path / spec_id).glob("*.svg")) == sorted(f"{d}.svg" for d in spec.diagrams)
    for d in spec.diagrams.values():
        svg = (tmp_path / spec_id / f"{d.id}.svg").read_text()
        for node_id in d.nodes:  # Graphviz titles every node's <g> with its id
            assert f"<title>{node_id}</title>" in svg, (d.id, node_id)


@pytest.mark.parametrize("spec_id", ALL)
def test_pure_python_yaml_reads_the_same(spec_id):
    """Machines without libyaml fall back to PyYAML's pure-Python parser; both must accept every spec."""
    import yaml

    from mlsd_diagrams.catalog import resolve

    text = Path(resolve(spec_id)[0]).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader)
