"""The details of a clean figure, measured on Graphviz's own layout of every bundled diagram: edge labels off
the group borders, notes beside what they annotate, ways back that run beside the flow, step numbers as
legible as their labels, feature diagrams built bottom up."""

import html
import math
import re
import subprocess
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from mlsd_diagrams import bundled_ids, load, load_theme
from mlsd_diagrams.renderer.dot import SEQ_SCALE, build_dot
from mlsd_diagrams.renderer.layout import graphviz_json, layout
from mlsd_diagrams.renderer.placement import note_anchors, settled_edges

DESIGNS = Path(__file__).parent / "designs"
BOOK = load_theme("book")
THEMES = ("book", "dark", "mono", "whiteboard")  # whiteboard's larger lettering makes labels wider
SPECS = list(bundled_ids())
INCH = 72.0  # points


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("spec_id", SPECS)
def test_edge_labels_stay_off_group_borders(spec_id, theme):
    """No edge label is drawn across a group's dashed border: it sits inside the group or outside it."""
    style = load_theme(theme)
    crossing = []
    for d in load(spec_id).diagrams.values():
        if not d.groups:
            continue
        drawn = layout(build_dot(d, style))
        assert len(drawn.labels) == sum(1 for e in d.edges if e.text), d.id  # every label is measured
        crossing += [f"{d.id}: {label.text!r} ({label.tail} -> {label.head}) on the border of {gid}"
                     for label in drawn.labels for gid, group in drawn.groups.items() if label.box.straddles(group)]
    assert crossing == []


NOTE_GAP = 0.5 * INCH  # a note and its node: at most half an inch apart (one node gap is 0.35 in)
GROUP_WALL = 0.5 * INCH  # more for each group border between them (the group's margin and title)


@pytest.mark.parametrize("spec_id", SPECS)
def test_notes_sit_beside_their_node(spec_id):
    far = []
    notes = 0
    for d in load(spec_id).diagrams.values():
        anchors = note_anchors(d)
        if not anchors:
            continue
        boxes = layout(build_dot(d, BOOK)).nodes
        for note, node in anchors.items():
            notes += 1
            walls = len(set(d.ancestors(note)) ^ set(d.ancestors(node)))
            gap = boxes[note].gap(boxes[node])
            if gap > NOTE_GAP + walls * GROUP_WALL:
                far.append(f"{d.id}: {note} is {gap:.0f} pt from {node}")
    assert far == []
    assert notes or spec_id not in ("framework", "video_recommendation")  # the notes were found


def test_note_anchors():
    d = load("event_recommendation").diagrams["event_filtering"]
    assert note_anchors(d) == {"rules": "filtering"}  # joined by a dotted line
    assert note_anchors(load("framework").diagrams["steps"])["data_note"] == "data"  # set beside it by a rank hint
    assert "skip_note" not in note_anchors(load("personalized_news_feed").diagrams["multitask_passive"])  # free


def _points(pos: str) -> list[tuple[float, float]]:
    """An edge's spline (Graphviz's ``pos``: cubic Bezier pieces) as a polyline."""
    pts = [tuple(float(v) for v in p.split(",")) for p in pos.split() if not p.startswith(("e,", "s,"))]
    out = [pts[0]]
    for k in range(0, len(pts) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[k:k + 4]
        for j in range(1, 21):
            t = j / 20
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3
            out.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return out


def _cross(p, q) -> bool:
    """Whether two polylines cross (touching ends do not count)."""
    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    for a, b in pairwise(p):
        for c, d in pairwise(q):
            s1, s2, s3, s4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
            if s1 * s2 < 0 and s3 * s4 < 0:
                return True
    return False


WAYS_BACK = [(spec_id, did) for spec_id in SPECS for did, d in load(spec_id).diagrams.items()
             if any(settled_edges(d).values())]
WAYS_BACK += [(str(DESIGNS / f"{name}.yaml"), "system") for name in ("rag_assistant", "retraining_loop", "ride_eta")]


@pytest.mark.parametrize("spec, diagram_id", WAYS_BACK, ids=[f"{Path(s).stem}/{d}" for s, d in WAYS_BACK])
def test_a_way_back_runs_beside_the_flow(spec, diagram_id):
    """The return edge of a loop (answer -> user, decision -> logs) crosses no other edge, and a long one is
    hardly longer than the gap between its ends: it does not swing round the picture."""
    d = load(spec).diagrams[diagram_id]
    back = [d.edges[i] for i in sorted(d.feedback_edges() | {i for i, b in settled_edges(d).items() if b})]
    assert back
    source = build_dot(d, BOOK)
    data, boxes = graphviz_json(source), layout(source).nodes
    names = {obj["_gvid"]: obj["name"] for obj in data["objects"]}
    drawn = {(names[e["tail"]], names[e["head"]]): _points(e["pos"]) for e in data["edges"]}
    for e in back:
        path = drawn.get((e.src, e.dst)) or drawn[(e.dst, e.src)]
        crossed = [ends for ends, other in drawn.items() if other is not path and _cross(path, other)]
        assert crossed == [], f"{e.src} -> {e.dst} crosses {crossed}"
        gap = boxes[e.src].gap(boxes[e.dst])
        length = sum(math.dist(a, b) for a, b in pairwise(path))
        if gap >= 2 * INCH:
            assert length <= 1.2 * gap + INCH, f"{e.src} -> {e.dst}: {length:.0f} pt for a {gap:.0f} pt gap"


def test_a_way_back_is_drawn_from_its_target():
    d = load("video_recommendation").diagrams["matrix_factorization"]
    back = next(i for i, e in enumerate(d.edges) if (e.src, e.dst) == ("predicted", "feedback"))
    assert not d.edges[back].constraint and settled_edges(d) == {back: True}
    source = build_dot(d, BOOK)
    assert "feedback -> predicted [" in source and "predicted -> feedback" not in source
    edge = next(line for line in source.splitlines() if "feedback -> predicted [" in line)
    assert "dir=back" in edge and "constraint" not in edge  # arrowhead at the spec's target; ranked with the rest


# The digit inside a circled number is 0.63 of a plain digit's height in DejaVu Sans (measured on the glyphs)
CIRCLED_DIGIT = 0.63
SEQUENCED = [(spec_id, did) for spec_id in SPECS for did, d in load(spec_id).diagrams.items()
             if any(e.seq for e in d.edges)]


@pytest.mark.parametrize("spec_id, diagram_id", SEQUENCED, ids=[f"{s}/{d}" for s, d in SEQUENCED])
def test_step_numbers_read_as_large_as_their_labels(spec_id, diagram_id):
    d = load(spec_id).diagrams[diagram_id]
    data = graphviz_json(build_dot(d, BOOK))
    marks = 0
    for edge in data["edges"]:
        size, sizes = None, {}
        for op in edge.get("_ldraw_", []):
            if op["op"] == "F":
                size = op["size"]
            elif op["op"] == "T":
                sizes.setdefault("mark" if "\u2460" <= op["text"].strip()[:1] <= "\u2473" else "text", size)
        if "mark" in sizes:
            marks += 1
            label = sizes.get("text", float(BOOK.edge["fontsize"]))
            assert sizes["mark"] * CIRCLED_DIGIT >= 0.99 * label, edge.get("label")
    assert marks == sum(1 for e in d.edges if e.seq)
    assert SEQ_SCALE * CIRCLED_DIGIT >= 0.99


FEATURES = [(spec_id, did) for spec_id in SPECS for did, d in load(spec_id).diagrams.items()
            if d.step == "data" and "feature" in d.title.lower()
            and len({e.dst for e in d.edges} - {e.src for e in d.edges}) == 1]


@pytest.mark.parametrize("spec_id, diagram_id", FEATURES, ids=[f"{s}/{d}" for s, d in FEATURES])
def test_feature_diagrams_build_bottom_up(spec_id, diagram_id):
    """Raw values at the bottom, the feature vector they are turned into at the top."""
    d = load(spec_id).diagrams[diagram_id]
    assert d.direction == "BT"
    vector, = {e.dst for e in d.edges} - {e.src for e in d.edges}
    inputs = {e.src for e in d.edges} - {e.dst for e in d.edges}
    boxes = layout(build_dot(d, BOOK)).nodes
    assert all(boxes[vector].bottom < boxes[n].top for n in inputs)


def test_feature_diagrams_are_found():
    assert len(FEATURES) >= 12 and ("ad_click_prediction", "ad_features") in FEATURES


def test_validate_layout_warns_of_a_label_on_a_group_border():
    from mlsd_diagrams.renderer.shape import PageShape, measure

    shape = PageShape("d", 800, 500, 10, 100, ("'ranked list' on the border of group 'batch'",))
    assert shape.problems() == ["edge label 'ranked list' on the border of group 'batch': Graphviz leaves labels "
                                "out of a group's box (a rank hint that moves the edge away from the group's side "
                                "helps)"]
    assert measure(load("harmful_content_detection").diagrams["system"], load_theme("whiteboard")).problems() == []


ARROWHEADS = {"->": 1, "<->": 2, "--": 0}


@pytest.mark.parametrize("spec_id", SPECS)
def test_every_edge_draws_the_arrowheads_its_arrow_says(spec_id):
    """A plain line (--) has no arrowhead and -> one, however it is routed: Graphviz 2.43 drew an arrowhead on
    an undirected edge with a port (a person's pictogram) once it was routed outside the ranking."""
    wrong = []
    for d in load(spec_id).diagrams.values():
        svg = subprocess.run(["dot", "-Tsvg"], input=build_dot(d, BOOK).encode(), capture_output=True,
                             check=True).stdout.decode()
        drawn = Counter()
        for title, body in re.findall(r'<g id="edge\d+" class="edge">\s*<title>(.*?)</title>(.*?)</g>', svg, re.S):
            ends = frozenset(end.split(":")[0].strip('"') for end in html.unescape(title).split("->"))
            drawn[ends, body.count("<polygon")] += 1
        wanted = Counter((frozenset((e.src, e.dst)), ARROWHEADS[e.arrow]) for e in d.edges)
        wrong += [f"{d.id}: {' -- '.join(sorted(ends))} drawn with {n} arrowheads" for ends, n in drawn - wanted]
    assert wrong == []


def _bezier_points(points: list, steps: int = 20) -> list[tuple[float, float]]:
    out = []
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for k in range(steps + 1):
            t = k / steps
            w = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3)
            out.append((sum(c * p[0] for c, p in zip(w, (p0, p1, p2, p3), strict=True)),
                        sum(c * p[1] for c, p in zip(w, (p0, p1, p2, p3), strict=True))))
    return out


@pytest.mark.parametrize("spec_id", SPECS)
def test_arrows_do_not_run_through_a_group_title_on_the_side_they_cross(spec_id):
    """In a picture that reads up or down, a group whose arrows all cross one side (features leaving upwards
    to be concatenated, requests entering from above) has its title on the other side, clear of them."""
    crossing = []
    for d in load(spec_id).diagrams.values():
        if d.direction not in ("TB", "BT") or not d.groups:
            continue
        data = graphviz_json(build_dot(d, BOOK))
        feedback = d.feedback_edges()
        titles = {}
        for obj in data.get("objects", []):
            gid = obj.get("name", "")[len("cluster_"):]
            if obj.get("name", "").startswith("cluster_") and "lp" in obj:
                inside = {m for m in d.nodes if gid in d.ancestors(m)}
                sides = {e.dst in inside for i, e in enumerate(d.edges)
                         if i not in feedback and (e.src in inside) != (e.dst in inside)}
                if len(sides) == 1:  # every arrow enters, or every arrow leaves
                    x, y = (float(v) for v in obj["lp"].split(","))
                    w, h = float(obj["lwidth"]) * INCH / 2, float(obj["lheight"]) * INCH / 2
                    titles[gid] = (x - w, y - h, x + w, y + h)
        names = {obj["_gvid"]: obj["name"] for obj in data.get("objects", [])}
        for edge in data.get("edges", []):
            points = [tuple(p) for op in edge.get("_draw_", []) if op["op"] in ("b", "B") for p in op["points"]]
            crossing += [f"{d.id}: {names[edge['tail']]} -> {names[edge['head']]} through the title of {gid}"
                         for gid, (x0, y0, x1, y1) in titles.items()
                         if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in _bezier_points(points))]
    assert crossing == []
