"""Chapter 3 (Google Street View Blurring System): each catalogued figure is drawn as the book shows it."""

from mlsd_diagrams import load
from mlsd_diagrams.figures import chapters

from . import book
from .book import linked, node

SPEC = load("street_view_blurring")
CHAPTER = next(c for c in chapters() if c.number == 3)


def drawing(number):
    return book.drawing(SPEC, number)


def assert_figure(number, components, edges):
    return book.assert_figure(SPEC, number, components, edges)


def members(d, group_label):
    group = next(g for g in d.groups.values() if g.label.lower().startswith(group_label.lower()))
    return {r.id for r in group.nodes}


def test_the_catalogue_lists_the_architecture_figures_of_chapter_3():
    assert CHAPTER.spec == "street_view_blurring"
    assert [f.number for f in CHAPTER.figures] == ["3.2", "3.3", "3.4", "3.6", "3.7", "3.11", "3.12"]


def test_3_2_object_detection_input_output():
    d = assert_figure("3.2", ["image", "object detection", "class and a confidence"],
                      [("image", "object detection"), ("object detection", "class and a confidence")])
    assert d.id == "framing"
    note = next(n.label.lower() for n in d.nodes.values() if n.kind == "note")
    assert "regression" in note and "classification" in note  # location is regression, class is classification


def test_3_3_and_3_4_two_stage_and_one_stage_networks():
    d = assert_figure("3.3", ["region proposal network", "candidate regions", "classifier", "one network"],
                      [("region proposal network", "candidate regions"), ("candidate regions", "classifier"),
                       ("classifier", "boxes with classes"), ("one network", "boxes with classes")])
    assert drawing("3.4") is d
    two, one = members(d, "two-stage"), members(d, "one-stage")
    assert node(d, "region proposal") in two and node(d, "stage 2") in two
    assert node(d, "one network") in one and not one & two
    labels = " ".join(g.label.lower() for g in d.groups.values())
    assert "yolo" in labels and "ssd" in labels and "chosen" in labels


def test_3_6_dataset_preparation_workflow():
    d = assert_figure("3.6", ["original dataset", "preprocessing", "augmentation", "preprocessed dataset"],
                      [("original dataset", "preprocessing"), ("preprocessing", "augmentation"),
                       ("augmentation", "preprocessed dataset")])
    assert d.nodes[node(d, "original dataset")].kind == "store"
    assert d.nodes[node(d, "preprocessed dataset")].kind == "store"
    assert "1m" in d.nodes[node(d, "original dataset")].label.lower()
    assert "10m" in d.nodes[node(d, "preprocessed dataset")].label.lower()


def test_3_7_two_stage_detector_reads_bottom_to_top():
    d = assert_figure("3.7", ["input image", "convolutional layers", "feature map", "region proposal network",
                              "candidate regions", "classifier", "classes"],
                      [("input image", "convolutional layers"), ("convolutional layers", "feature map"),
                       ("feature map", "region proposal network"), ("region proposal network", "candidate regions"),
                       ("candidate regions", "classifier"), ("feature map", "classifier"), ("classifier", "classes")])
    assert d.direction == "BT"
    assert node(d, "region proposal") in members(d, "stage 1")
    assert members(d, "stage 2") == {node(d, "classifier")}


def test_3_11_nms_keeps_one_box_per_object():
    assert_figure("3.11", ["before nms", "nms - keep", "after nms"],
                  [("before nms", "nms - keep"), ("nms - keep", "after nms")])


def test_3_12_system_design():
    d = assert_figure("3.12", [
        "street view data sourcing team", "raw street view images", "preprocessing (cpu)", "object detection", "nms",
        "blur", "blurred street view images", "fetching service", "user", "ml model", "user reports", "kafka",
        "hard negative mining", "hard dataset", "original dataset", "augmentation", "preprocessed dataset",
        "model training"], [
        ("data sourcing team", "raw street view images"), ("raw street view images", "preprocessing (cpu)"),
        ("preprocessing (cpu)", "object detection"), ("object detection", "nms"), ("nms", "blur boxes"),
        ("blur boxes", "blurred street view images"), ("ml model", "object detection"), ("user", "fetching service"),
        ("fetching service", "blurred street view images"), ("user reports", "kafka"),
        ("kafka", "hard negative mining"), ("hard negative mining", "hard dataset"), ("hard dataset", "preprocessing"),
        ("original dataset", "preprocessing"), ("preprocessing", "augmentation"),
        ("augmentation", "preprocessed dataset"), ("preprocessed dataset", "model training"),
        ("model training", "ml model")])
    assert d.id == "system" and d.direction == "LR"
    for store in ("raw street view images", "blurred street view images", "hard dataset", "original dataset",
                  "preprocessed dataset"):
        assert d.nodes[node(d, store)].kind == "store", store
    assert node(d, "nms") in members(d, "blurring service") and node(d, "preprocessing (cpu)") in members(d, "batch")
    assert node(d, "hard negative mining") in members(d, "data pipeline")
    assert node(d, "fetching") in members(d, "serving")


def test_offline_metrics_follow_the_book():
    """AP averages precision over IoU thresholds for one class; mAP averages AP over classes; 0.7 is the example."""
    d = SPEC.diagrams["metrics"]
    labels = {n.id: n.label.lower() for n in d.nodes.values()}
    assert "0.7" in labels[node(d, "correct if iou")]
    assert "iou thresholds" in labels[node(d, "ap per class")]
    assert "classes" in labels[node(d, "map")]
    assert linked(d, "precision", "ap per class") and linked(d, "ap per class", "map")
