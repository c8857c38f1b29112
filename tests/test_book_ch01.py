"""Chapter 1 (Introduction and overview): the framework spec says what the book's chapter says.

Each test holds one fact of the chapter: the shape of a figure (the ML category tree, the data
types, the input/output options, the serving workflows) or a list from its text and tables
(offline metrics per task, online metrics per application, ways to test in production, ensembles).
"""

from importlib import resources

import pytest
import yaml

from mlsd_diagrams import load
from mlsd_diagrams.vocabulary import STEP_TITLES

SPEC = load("framework")
DIAGRAMS = SPEC.diagrams
FRAMEWORK = SPEC.framework
# read alone, so another chapter's catalogue cannot stop this one being checked
CATALOGUE = yaml.safe_load(resources.files("mlsd_diagrams.figures").joinpath("ch01.yaml").read_text("utf-8"))


def tree(diagram_id: str) -> dict[str, set[str]]:
    """Parent label -> its children's labels, for a diagram drawn as a tree."""
    d = DIAGRAMS[diagram_id]
    children: dict[str, set[str]] = {}
    for e in d.edges:
        children.setdefault(d.nodes[e.src].label, set()).add(d.nodes[e.dst].label)
    return children


def flows(diagram_id: str) -> set[tuple[str, str]]:
    """Every edge of a diagram as (source label, destination label)."""
    d = DIAGRAMS[diagram_id]
    return {(d.nodes[e.src].label, d.nodes[e.dst].label) for e in d.edges}


def group_labels(diagram_id: str, group_id: str) -> list[str]:
    d = DIAGRAMS[diagram_id]
    return [d.nodes[ref.id].label for ref in d.groups[group_id].nodes]


def mentions(text: str, *terms: str) -> list[str]:
    """The terms that do not appear in the text (case-insensitive)."""
    return [t for t in terms if t.lower() not in text.lower()]


# --- the catalogue --------------------------------------------------------------------------------

def test_the_chapter_catalogues_its_architecture_figures_and_the_framework_draws_them():
    assert CATALOGUE["chapter"] == SPEC.chapter == 1 and CATALOGUE["spec"] == "framework"
    numbers = list(CATALOGUE["figures"])
    assert numbers == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.15", "1.17", "1.18",
                       "1.19", "1.20", "1.21", "1.22", "1.23"]
    cited = {n for d in DIAGRAMS.values() for n in d.figures}
    assert cited == set(numbers)


@pytest.mark.parametrize("number,diagram", [
    ("1.1", "components"), ("1.2", "steps"), ("1.3", "input_output"), ("1.4", "input_output_options"),
    ("1.5", "ml_categories"),
    ("1.6", "data_preparation"), ("1.7", "databases"), ("1.8", "etl"), ("1.9", "data_types"),
    ("1.15", "model_development"), ("1.17", "class_imbalance"), ("1.18", "class_imbalance"),
    ("1.19", "shadow_and_ab_test"), ("1.20", "shadow_and_ab_test"), ("1.21", "batch_vs_online"),
    ("1.22", "batch_vs_online"), ("1.23", "typical_system"),
])
def test_each_figure_is_cited_by_the_diagram_that_draws_it(number, diagram):
    assert number in DIAGRAMS[diagram].figures


def test_a_production_system_is_far_more_than_its_ml_algorithm():
    """Figure 1.1: inside the ML system box, the algorithm among data, serving and management parts."""
    d = DIAGRAMS["components"]
    inside = group_labels("components", "system")
    assert mentions(" ".join(inside), "Data collection", "Data verification", "Feature extraction", "ML algorithm",
                    "Evaluation pipeline", "Analysis tools", "Serving infrastructure", "Monitoring",
                    "Configuration", "Process management tools", "Machine resource management") == []
    assert len(inside) == len(d.nodes) == 11
    edges = flows("components")
    assert {("Data collection", "Data verification"), ("Feature extraction", "ML algorithm"),
            ("ML algorithm", "Evaluation pipeline")} <= edges


# --- framing: Figures 1.3, 1.4, 1.5 and Table 1.1 ---------------------------------------------------

def test_ml_category_tree_is_the_books():
    """Figure 1.5: three kinds of learning; supervised splits into classification (binary, multiclass)
    and regression; unsupervised into clustering, association and dimension reduction."""
    assert tree("ml_categories") == {
        "Machine learning categories": {"Supervised learning", "Unsupervised learning", "Reinforcement learning"},
        "Supervised learning": {"Classification", "Regression"},
        "Classification": {"Binary", "Multiclass"},
        "Unsupervised learning": {"Clustering", "Association", "Dimension reduction"},
    }
    assert DIAGRAMS["ml_categories"].direction == "TB"


def test_framing_category_names_every_leaf_of_the_tree():
    leaves = ["binary", "multiclass", "regression", "clustering", "association", "dimension reduction",
              "reinforcement"]
    assert mentions(FRAMEWORK["framing"]["category"], "supervised", "unsupervised", *leaves) == []


def test_system_input_and_output():
    """Figure 1.3: a post goes in, a probability comes out; the text adds one model per kind of harm."""
    edges = flows("input_output")
    assert ("Post", "Harmful content detection system") in edges
    assert ("Harmful content detection system", "Probability (harmful)") in edges
    assert {("Post", "Violence model"), ("Post", "Nudity model")} <= edges


def test_two_ways_to_specify_a_models_input_and_output():
    """Figure 1.4: scenario 1 scores every event for a user; scenario 2 scores one user-event pair."""
    d = DIAGRAMS["input_output_options"]
    inputs = {g: [n for n in group_labels("input_output_options", g) if n in ("User A", "Event 4")]
              for g in ("scenario_1", "scenario_2")}
    assert inputs == {"scenario_1": ["User A"], "scenario_2": ["User A", "Event 4"]}
    outputs = {g: [d.nodes[r.id].label for r in d.groups[g].nodes if d.nodes[r.id].kind == "output"]
               for g in ("scenario_1", "scenario_2")}
    assert "one probability per event" in outputs["scenario_1"][0]
    assert "event 4" in outputs["scenario_2"][0]


def test_ml_objectives_of_table_1_1():
    assert mentions(FRAMEWORK["framing"]["objective"], "event registrations", "watch time",
                    "click-through rate", "harmful", "formed connections") == []


# --- data preparation: Figures 1.6 to 1.9 ----------------------------------------------------------

def test_data_preparation_is_data_engineering_then_feature_engineering():
    d = DIAGRAMS["data_preparation"]
    assert d.groups["preparation"].groups and {r.id for r in d.groups["preparation"].groups} == {"engineering",
                                                                                                 "features"}
    assert d.nodes["sources"].kind == "store" and d.nodes["prepared"].kind == "store"
    assert mentions(" ".join(group_labels("data_preparation", "features")), "missing", "scaling",
                    "bucketing", "integer", "one-hot", "embeddings") == []


def test_data_types_tree_is_the_books():
    assert tree("data_types") == {
        "Data types in ML": {"Structured", "Unstructured"},
        "Structured": {"Numerical", "Categorical"},
        "Numerical": {"Discrete", "Continuous"},
        "Categorical": {"Ordinal", "Nominal"},
        "Unstructured": {"Audio", "Video", "Image", "Text"},
    }


def test_databases_and_etl():
    labels = " ".join(n.label for n in DIAGRAMS["databases"].nodes.values())
    assert mentions(labels, "SQL", "NoSQL", "MySQL", "PostgreSQL", "Key/value", "Redis", "DynamoDB",
                    "Column", "Cassandra", "HBase", "Graph", "Neo4J", "Document", "MongoDB", "CouchDB") == []
    assert tree("databases") == {
        "Data storage": {"SQL", "NoSQL"},
        "SQL": {"Relational (MySQL, PostgreSQL)"},
        "NoSQL": {"Key/value (Redis, DynamoDB)", "Column-based (Cassandra, HBase)", "Graph (Neo4J)",
                  "Document (MongoDB, CouchDB)"},
    }


def test_etl_extracts_from_three_sources_and_loads_into_three_targets():
    """Figure 1.8: database, logs and flat files in; database, flat files and a data warehouse out."""
    etl = DIAGRAMS["etl"]
    assert [g.label for g in etl.groups.values()] == ["Extract", "Transform", "Load"]
    transform = etl.nodes["transform"].label
    edges = flows("etl")
    assert {(source, transform) for source in ("Database", "Logs", "Flat files")} <= edges
    assert {(transform, target) for target in ("Database", "Flat files", "Data warehouse")} <= edges
    assert sorted(group_labels("etl", "extract")) == ["Database", "Flat files", "Logs"]
    assert sorted(group_labels("etl", "load")) == ["Data warehouse", "Database", "Flat files"]


# --- model development: Figure 1.15, 1.17, 1.18 and model selection --------------------------------

def test_dataset_construction_has_the_five_steps_in_order():
    d = DIAGRAMS["model_development"]
    chain = [d.nodes[r.id].label for r in d.groups["dataset"].nodes]
    starts = ["Collect the raw data", "Identify features and labels", "Select a sampling strategy",
              "Split the data", "Address class imbalance"]
    assert [label for label, start in zip(chain, starts, strict=False) if not label.startswith(start)] == []
    ids = [r.id for r in d.groups["dataset"].nodes]
    assert all((a, b) in {e.key for e in d.edges} for a, b in zip(ids, ids[1:], strict=False))


def test_model_selection_ends_with_an_ensemble():
    """Baseline, simple models, complex models, then an ensemble by bagging, boosting or stacking."""
    d = DIAGRAMS["model_development"]
    chain = [d.nodes[r.id].label for r in d.groups["selection"].nodes]
    assert [c.split()[0] for c in chain] == ["Baseline", "Simple", "Complex", "Ensemble"]
    assert mentions(chain[-1], "bagging", "boosting", "stacking") == []
    assert mentions(" ".join(FRAMEWORK["model"]), "ensemble", "bagging", "boosting", "stacking",
                    "data or model parallelism", "fine-tune") == []


def test_class_imbalance_resamples_or_alters_the_loss():
    """Figures 1.17 and 1.18: positives repeated, or negatives thinned; the text adds weighting the loss."""
    edges = {(a.split(":")[0].split(" - ")[0], b.split(":")[0]) for a, b in flows("class_imbalance")}
    assert {("Imbalanced dataset", "Oversample the minority class"),
            ("Oversample the minority class", "Oversampled dataset"),
            ("Imbalanced dataset", "Undersample the majority class"),
            ("Undersample the majority class", "Undersampled dataset"),
            ("Oversampled dataset", "Model training"), ("Undersampled dataset", "Model training")} <= edges
    labels = " ".join(n.label for n in DIAGRAMS["class_imbalance"].nodes.values())
    assert mentions(labels, "repeated positives", "all positives", "class-balanced loss", "focal loss") == []


# --- evaluation: Tables 1.4 and 1.5 ----------------------------------------------------------------

OFFLINE = {  # Table 1.4
    "Classification": ["precision", "recall", "F1", "accuracy", "ROC-AUC", "PR-AUC", "confusion matrix"],
    "Regression": ["MSE", "MAE", "RMSE"],
    "Ranking": ["precision@k", "recall@k", "MRR", "mAP", "nDCG"],
    "Image generation": ["FID", "Inception score"],
    "Natural language processing": ["BLEU", "METEOR", "ROUGE", "CIDEr", "SPICE"],
}
ONLINE = {  # Table 1.5
    "Ad click prediction": ["click-through rate", "revenue lift"],
    "Harmful content detection": ["prevalence", "valid appeals"],
    "Video recommendation": ["click-through rate", "total watch time", "completed videos"],
    "Friend recommendation": ["requests sent per day", "requests accepted per day"],
}


@pytest.mark.parametrize("task", OFFLINE)
def test_offline_metrics_per_task(task):
    line = next(b for b in FRAMEWORK["evaluation"]["offline"] if b.startswith(task))
    assert mentions(line, *OFFLINE[task]) == []
    box = next(n.label for n in DIAGRAMS["evaluation"].nodes.values() if n.label.startswith(task.split()[0]))
    assert mentions(box, *OFFLINE[task]) == []


@pytest.mark.parametrize("application", ONLINE)
def test_online_metrics_per_application(application):
    line = next(b for b in FRAMEWORK["evaluation"]["online"] if b.startswith(application))
    assert mentions(line, *ONLINE[application]) == []
    box = next(n.label for n in DIAGRAMS["evaluation"].nodes.values()
               if n.label.startswith(application.split()[0]))
    assert box.split(":")[0] in application


def test_offline_metrics_are_measured_before_deployment_and_online_ones_after():
    d = DIAGRAMS["evaluation"]
    offline = {r.id for r in d.groups["offline"].nodes}
    online = {r.id for r in d.groups["online"].nodes}
    assert "production" in online and "eval_data" in offline
    assert {(m, "production") for m in offline - {"eval_data"}} <= {e.key for e in d.edges}


# --- deployment and serving: Figures 1.19 to 1.23 ----------------------------------------------------

def test_every_way_to_test_in_production_is_named():
    ways = ["shadow deployment", "A/B test", "canary release", "interleaving", "bandits"]
    assert mentions(" ".join(FRAMEWORK["serving"]), *ways) == []
    assert mentions(" ".join(group_labels("deployment", "testing")), *ways) == []


def test_shadow_deployment_serves_only_the_old_system_and_ab_test_splits_users():
    edges = flows("shadow_and_ab_test")
    assert ("Users (100%)", "New ML system") in edges and ("Users (100%)", "In-production ML system") in edges
    assert ("In-production ML system", "Users (100%)") in edges
    assert ("New ML system", "Users (100%)") not in edges  # its predictions are only logged
    assert ("New ML system", "Users (5%)") in edges and ("In-production ML system", "Users (95%)") in edges


def test_batch_and_online_prediction_workflows_are_numbered_as_in_the_book():
    d = DIAGRAMS["batch_vs_online"]
    steps = {(d.nodes[e.src].label, d.nodes[e.dst].label, e.seq) for e in d.edges}
    batch = {e.seq: (e.src, e.dst) for e in d.edges if e.src.startswith("b_")}
    online = {e.seq: (e.src, e.dst) for e in d.edges if e.src.startswith("o_")}
    assert batch == {1: ("b_features", "b_ml"), 2: ("b_ml", "b_predictions"),
                     3: ("b_client", "b_predictions"), 4: ("b_predictions", "b_client")}
    assert online == {1: ("o_client", "o_ml"), 2: ("o_features", "o_ml"), 3: ("o_ml", "o_client")}
    assert ("Pre-computed predictions", "Client", 4) in steps


def test_the_complete_design_joins_a_prediction_and_a_data_preparation_pipeline():
    d = DIAGRAMS["typical_system"]
    assert {g.label for g in d.groups.values()} == {"Prediction pipeline", "Data preparation pipeline"}
    edges = flows("typical_system")
    assert {("Retrieval service", "Ranking service"), ("Ranking service", "Re-ranking service"),
            ("Batch feature computation", "Feature store"), ("Feature store", "Ranking service"),
            ("Online feature computation", "Ranking service")} <= edges


# --- the framework itself: Figure 1.2 and monitoring ------------------------------------------------

def test_the_seven_steps_in_order():
    d = DIAGRAMS["steps"]
    chain = list(d.edges)
    order = [chain[0].src] + [e.dst for e in chain]
    assert [d.nodes[i].label for i in order] == list(STEP_TITLES.values())


def test_monitoring_covers_operation_and_ml_metrics():
    text = " ".join(FRAMEWORK["monitoring"])
    assert mentions(text, "distribution shift", "throughput", "CPU/GPU", "drift", "accuracy", "model versions") == []
