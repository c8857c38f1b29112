"""Practice tools with real Graphviz: quiz, check, reveal, sheet, new."""

import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd_diagrams import load
from mlsd_diagrams.core.errors import UsageError
from mlsd_diagrams.practice.check import check, compare
from mlsd_diagrams.practice.match import THRESHOLD, similarity
from mlsd_diagrams.practice.new import new_spec
from mlsd_diagrams.practice.quiz import blank_label, quiz
from mlsd_diagrams.practice.reveal import frames, reveal
from mlsd_diagrams.practice.sheet import sheet
from mlsd_diagrams.renderer import RenderOptions
from mlsd_diagrams.vocabulary import STEP_TITLES

SVG = "{http://www.w3.org/2000/svg}"
SVG_ONLY = RenderOptions(formats=("svg",))


def svg_nodes(path: Path) -> dict[str, list[str]]:
    """Node id -> its drawing (shapes, pictograms and texts with their coordinates), from a finished SVG."""
    out = {}
    for g in ET.parse(path).getroot().iter(f"{SVG}g"):
        if "node" in (g.get("class") or "").split():
            title = g.find(f"{SVG}title")
            out[title.text] = [_drawn(child) for child in g if child is not title]
    return out


def _drawn(el: ET.Element) -> str:
    """An element as '<tag attributes>text', namespaces left out."""
    attrs = " ".join(f'{k.rsplit("}", 1)[-1]}="{v}"' for k, v in sorted(el.attrib.items()))
    return f"<{el.tag.rsplit('}', 1)[-1]} {attrs}>{''.join(el.itertext())}"


def svg_texts(path: Path) -> list[str]:
    return ["".join(t.itertext()) for t in ET.parse(path).getroot().iter(f"{SVG}text")]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --- quiz ---------------------------------------------------------------------------------------

def answer_rows(key: Path) -> list[tuple[int, str, str]]:
    """(blank number, answer, node id) rows of an answer key."""
    rows = re.findall(r"^\| (\d+) \| (.*?) \| \w+ \| `(\w+)` \|$", key.read_text(), re.MULTILINE)
    return [(int(n), label, nid) for n, label, nid in rows]


def test_quiz_same_seed_same_quiz(tmp_path):
    spec = load("visual_search")
    one = quiz(spec, tmp_path / "one", SVG_ONLY, diagrams=["system"], blank=4, seed=42)
    two = quiz(spec, tmp_path / "two", SVG_ONLY, diagrams=["system"], blank=4, seed=42)
    other = quiz(spec, tmp_path / "other", SVG_ONLY, diagrams=["system"], blank=4, seed=43)
    for name in ("system.svg", "system.answers.md"):
        a = (tmp_path / "one/visual_search/quiz" / name).read_bytes()
        assert a == (tmp_path / "two/visual_search/quiz" / name).read_bytes(), name
    ids = lambda r: [n.id for _, n in r.quizzes[0].answers]  # noqa: E731
    assert ids(one) == ids(two) and len(ids(one)) == 4
    assert ids(other) != ids(one)


def test_answer_key_names_exactly_the_blanked_nodes(tmp_path):
    spec = load("visual_search")
    result = quiz(spec, tmp_path, SVG_ONLY, diagrams=["system"], blank=3, seed=7)
    (q,) = result.quizzes
    folder = tmp_path / "visual_search/quiz"
    rows = answer_rows(folder / "system.answers.md")
    assert [(n, nid) for n, _, nid in rows] == [(k, n.id) for k, n in q.answers]
    assert {label for _, label, _ in rows} == {n.label for _, n in q.answers}
    texts = svg_texts(folder / "system.svg")
    joined = " ".join(texts)
    blanked = {nid for _, _, nid in rows}
    for nid, node in spec.diagrams["system"].nodes.items():
        assert (node.label in joined) == (nid not in blanked), nid
    assert sorted(t for t in texts if t.startswith("? ")) == [blank_label(k) for k in (1, 2, 3)]


def test_quiz_keeps_the_layout(tmp_path):
    """Blanked or not, every node is drawn in the same place and size: compare with the last frame of reveal
    (the full diagram, drawn from the same frozen layout)."""
    spec = load("visual_search")
    quiz(spec, tmp_path, SVG_ONLY, diagrams=["system"], blank=5, seed=1)
    result = reveal(spec, tmp_path, SVG_ONLY, diagrams=["system"])
    last = svg_nodes(result.files[-1])
    # The outline of every node; a pictogram may sit a point higher over a short blank than over its label.
    shapes = lambda nodes: {k: [c for c in v if not c.startswith(("<text", "<image"))]  # noqa: E731
                            for k, v in nodes.items()}
    assert shapes(svg_nodes(tmp_path / "visual_search/quiz/system.svg")) == shapes(last)


def test_quiz_by_kind_blanks_every_node_of_that_kind(tmp_path):
    spec = load("visual_search")
    result = quiz(spec, tmp_path, SVG_ONLY, blank_kind="store")
    with_stores = [d.id for d in spec.diagrams.values() if any(n.kind == "store" for n in d.nodes.values())]
    assert "system" in with_stores and "encoder" not in with_stores
    assert [q.diagram for q in result.quizzes] == with_stores
    assert result.skipped == [d for d in spec.diagrams if d not in with_stores]
    system = next(q for q in result.quizzes if q.diagram == "system")
    assert {n.id for _, n in system.answers} == {"index", "object_storage"}
    with pytest.raises(UsageError, match="no node of kind 'loss' in visual_search diagram system"):
        quiz(spec, tmp_path, SVG_ONLY, diagrams=["system"], blank_kind="loss")


def test_answer_key_shows_labels_as_written(tmp_path, spec_file):
    from .conftest import MINIMAL

    spec = load(str(spec_file(MINIMAL.replace("label: API service", "label: '<b>x</b> | *y*'"))))
    quiz(spec, tmp_path / "out", SVG_ONLY, blank_kind="service")
    key = (tmp_path / "out/mini/quiz/system.answers.md").read_text()
    assert r"| 1 | &lt;b&gt;x&lt;/b&gt; \| \*y\* | service | `api` |" in key


# --- check --------------------------------------------------------------------------------------

@pytest.fixture
def designs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "same.yaml", "id: same\nextends: visual_search\n")
    write(tmp_path, "fewer.yaml", """
        id: fewer
        extends: visual_search
        diagrams:
          system:
            remove: {nodes: [rerank]}
            edges: [nn -> results]
    """)
    write(tmp_path, "renamed.yaml", """
        id: renamed
        extends: visual_search
        diagrams:
          system:
            nodes:
              ann: {label: ANN service, kind: service}
              cache: {label: Cache, kind: store}
            edges: [embedding -> ann, ann <-> index, ann -> rerank, ann -> cache]
            remove: {nodes: [nn]}
    """)
    return tmp_path


def test_identical_design_scores_100(designs):
    report = compare(load("same.yaml"), load("visual_search"))
    assert len(report.diagrams) == len(load("visual_search").diagrams)
    for c in report.diagrams:
        assert c.identical
        assert (c.node_precision, c.node_recall, c.edge_precision, c.edge_recall) == (1, 1, 1, 1)
        assert not (c.missing or c.extra or c.missing_edges or c.extra_edges or c.rewired)


def test_one_node_removed_is_missing_with_its_edges(designs):
    c = compare(load("fewer.yaml"), load("visual_search"), ["system"]).diagrams[0]
    assert c.missing == ["rerank"] and c.extra == []
    ref_edges = {e.key for e in load("visual_search").diagrams["system"].edges}
    lost = {e.key for e in c.missing_edges} | {r.key for r, _ in c.rewired}
    assert lost == {k for k in ref_edges if "rerank" in k} == {("nn", "rerank"), ("rerank", "results")}
    assert [(r.key, m.key) for r, m in c.rewired] == [(("nn", "rerank"), ("nn", "results"))]
    assert (len(c.matches), c.scored_nodes) == (10, (10, 11))
    assert c.node_precision == 1 and c.node_recall == pytest.approx(10 / 11)
    assert c.edge_recall == pytest.approx(9 / 11) and c.edge_precision == pytest.approx(9 / 10)


def test_relabelled_node_is_matched_by_similarity(designs):
    c = compare(load("renamed.yaml"), load("visual_search"), ["system"]).diagrams[0]
    by_label = [m for m in c.matches if m.how == "label"]
    assert [(m.mine, m.ref) for m in by_label] == [("ann", "nn")]
    assert by_label[0].score >= THRESHOLD
    assert c.missing == [] and c.extra == ["cache"]  # "Cache" is like nothing in the reference
    assert [e.key for e in c.extra_edges] == [("ann", "cache")] and c.missing_edges == [] and c.rewired == []
    assert c.edge_recall == 1
    text = compare(load("renamed.yaml"), load("visual_search"), ["system"]).text()
    assert "    ann            = nn: 'ANN service' = 'Nearest neighbor service': synonym, same kind, " \
           "same neighbours (3 of 3)" in text
    assert "  components  precision 91% (11/12)  recall 100% (11/11)" in text


@pytest.mark.parametrize("a, b, close", [
    ("ANN service", "Nearest neighbor service", True),
    ("Nearest neighbour search", "Nearest neighbor service", True),
    ("Reranking svc", "Re-ranking service", True),
    ("Embedding service", "Embedding generation service", True),
    ("Query image", "New images", False),
    ("Indexing service", "Re-ranking service", False),
    ("Cache", "Index table", False),
])
def test_similarity(a, b, close):
    assert similarity(a, b) >= 0.6 if close else similarity(a, b) <= 0.5


def test_overlay_marks_missing_and_extra(designs, tmp_path):
    report = check(load("renamed.yaml"), load("visual_search"), tmp_path / "out", SVG_ONLY)
    assert report.overlays == [tmp_path / "out/renamed/check/system.svg"]  # identical diagrams get none
    cache = " ".join(svg_nodes(report.overlays[0])["cache"]).lower()
    assert 'stroke="#e65100"' in cache and 'fill="#ffe0c2"' in cache
    report = check(load("fewer.yaml"), load("visual_search"), tmp_path / "out", SVG_ONLY, diagrams=["system"])
    rerank = " ".join(svg_nodes(report.overlays[0])["ref_rerank"])
    assert 'stroke="#d32f2f"' in rerank.lower() and "stroke-dasharray" in rerank and "Re-ranking service" in rerank
    assert "compared with visual_search: red dashed = missing, orange = extra" in svg_texts(report.overlays[0])


def test_check_needs_a_shared_diagram(designs, spec_file):
    from .conftest import MINIMAL

    with pytest.raises(UsageError, match="no diagram of mini resembles one of visual_search"):
        compare(load(str(spec_file(MINIMAL.replace("system:", "design:")))), load("visual_search"))


# --- reveal -------------------------------------------------------------------------------------

def test_reveal_frames_share_node_coordinates(tmp_path):
    spec = load("visual_search")
    result = reveal(spec, tmp_path, SVG_ONLY, diagrams=["system"])
    steps = result.frames["system"]
    assert [f.title for f in steps] == ["Prediction pipeline", "Trained model", "Index table", "Indexing pipeline"]
    files = [tmp_path / f"visual_search/reveal/system-0{k}.svg" for k in range(1, 5)]
    assert result.files == files
    final = svg_nodes(files[-1])
    assert set(final) == set(spec.diagrams["system"].nodes)
    shown = []
    for frame, path in zip(steps, files, strict=True):
        shown += frame.nodes
        drawn = svg_nodes(path)
        assert set(drawn) == set(shown)
        for nid, drawing in drawn.items():
            assert drawing == final[nid], (path.name, nid)
    boxes = {re.search(r'viewBox="[^"]*"', p.read_text()).group() for p in files}
    assert len(boxes) == 1  # the canvas does not change size either


def test_reveal_by_step_follows_the_framework(tmp_path):
    spec = load("framework")
    steps = frames(spec.diagrams["steps"], "step")
    assert [f.title for f in steps] == list(STEP_TITLES.values())
    assert steps[0].nodes == ("requirements_note", "requirements")  # a note comes with the step beside it


def test_reveal_removes_frames_left_from_a_longer_reveal(tmp_path):
    spec = load("visual_search")
    stale = tmp_path / "visual_search/reveal/system-07.svg"
    stale.parent.mkdir(parents=True)
    stale.write_text("<svg/>")
    keep = tmp_path / "visual_search/reveal/system-notes.txt"
    keep.write_text("mine")
    result = reveal(spec, tmp_path, SVG_ONLY, diagrams=["system"], by="step")
    assert len(result.frames["system"]) == 1  # every node of this diagram is in one step
    assert result.removed == [stale] and not stale.exists() and keep.exists()


# --- sheet --------------------------------------------------------------------------------------

def test_sheet_markdown_has_every_step_and_links_images(tmp_path):
    files = sheet(load("visual_search"), tmp_path)
    text = (tmp_path / "visual_search/sheet.md").read_text()
    for k, title in enumerate(STEP_TITLES.values(), 1):
        assert f"## {k}. {title}\n" in text
    assert "- **Offline metrics:** MRR, recall@k" in text
    for did in load("visual_search").diagrams:
        assert f"]({did}.png)" in text and (tmp_path / f"visual_search/{did}.png").is_file()
    assert files[0] == tmp_path / "visual_search/sheet.md"


def test_sheet_html_is_self_contained(tmp_path):
    (path,) = sheet(load("visual_search"), tmp_path, fmt="html")
    text = path.read_text()
    for title in STEP_TITLES.values():
        assert f"{title}</h2>" in text
    assert text.count('src="data:image/svg+xml;base64,') == len(load("visual_search").diagrams)
    assert not re.findall(r'(?:src|href)="(?!data:)', text)
    assert sorted(p.name for p in path.parent.iterdir()) == ["sheet.html"]


def test_sheet_escapes_spec_text(tmp_path, spec_file):
    from .conftest import MINIMAL

    text = MINIMAL.replace("title: Mini\n", "title: '<script>x</script>'\nframework:\n  data: ['**bold** <i>']\n")
    spec = load(str(spec_file(text)))
    html_text = sheet(spec, tmp_path, fmt="html")[0].read_text()
    assert "<script>x" not in html_text and "&lt;script&gt;x" in html_text and "<i>" not in html_text
    md_text = (sheet(spec, tmp_path)[0]).read_text()
    assert r"- \*\*bold\*\* &lt;i&gt;" in md_text and "- (not written)" in md_text


# --- new ----------------------------------------------------------------------------------------

def test_new_copies_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = new_spec("my_search", "visual_search")
    assert path == Path("my_search.yaml")
    text = path.read_text()
    first, rest = text.split("\n", 1)
    assert first.startswith("# yaml-language-server: $schema=file://")  # the installed schema, not a relative path
    assert rest.startswith("id: my_search\ntitle: Visual Search System\n") and "yaml-language-server" not in rest
    assert "# notes first, so each sits below its step" in new_spec("my_fw", "framework").read_text()
    assert load("my_search.yaml").diagrams.keys() == load("visual_search").diagrams.keys()
    path.write_text("mine")
    with pytest.raises(UsageError, match="my_search.yaml already exists; pass --force to overwrite it"):
        new_spec("my_search", "visual_search")
    assert path.read_text() == "mine"
    new_spec("my_search", "visual_search", force=True)
    assert load("my_search.yaml").id == "my_search"


def test_new_extends_writes_a_short_valid_spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = new_spec("mine", "visual_search", "designs", extends=True)
    text = path.read_text()
    body = text.split("\n", 1)[1]  # after the schema modeline
    assert body.startswith('id: mine\nextends: visual_search\ntitle: "Visual Search System (my version)"\n')
    assert load(str(path)).diagrams.keys() == load("visual_search").diagrams.keys()
    nested = new_spec("deeper", str(path), "designs", extends=True)
    assert "extends: mine.yaml\n" in nested.read_text()
    assert load(str(nested)).title == "Visual Search System (my version) (my version)"
    with pytest.raises(UsageError, match="outside the folder"):
        new_spec("elsewhere", str(path), "other", extends=True)
    assert not (tmp_path / "other/elsewhere.yaml").exists()


def test_new_rejects_a_bad_name(tmp_path):
    with pytest.raises(UsageError, match="'My Search' is not a spec id"):
        new_spec("My Search", "visual_search", tmp_path)


def test_practice_pictures_go_through_the_render_cache(tmp_path):
    """reveal draws through the same pipeline as render: a second run finds every frame up to date."""
    spec = load("visual_search")
    first = reveal(spec, tmp_path, SVG_ONLY, diagrams=["system"])
    stamps = {f: f.stat().st_mtime_ns for f in first.files}
    again = reveal(spec, tmp_path, SVG_ONLY, diagrams=["system"])
    assert again.files == first.files and {f: f.stat().st_mtime_ns for f in again.files} == stamps
    assert (tmp_path / "visual_search/reveal/.mlsd-cache.json").is_file()


@pytest.mark.parametrize("spec_id, diagram", [("harmful_content_detection", "system"),
                                               ("event_recommendation", "system"), ("people_you_may_know", "labels")])
def test_a_frozen_frame_keeps_external_edge_labels_where_the_layout_put_them(spec_id, diagram):
    """Labels Graphviz places after the layout (xlabel, on edges between nodes of one rank) stay put in quiz and
    reveal frames, relative to the nodes, instead of being placed again up to 8 points away."""
    import json
    import subprocess

    from mlsd_diagrams import load_theme
    from mlsd_diagrams.practice.frozen import freeze
    from mlsd_diagrams.renderer.dot import build_dot

    def drawn(source):
        data = json.loads(subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True,
                                         check=True).stdout)
        nodes = {o["name"]: [float(v) for v in o["pos"].split(",")] for o in data["objects"] if "pos" in o}
        labels = [[float(v) for v in e["xlp"].split(",")] for e in data["edges"] if "xlp" in e]
        anchor = next(iter(sorted(nodes)))
        return [(round(x - nodes[anchor][0], 1), round(y - nodes[anchor][1], 1)) for x, y in sorted(labels)]

    d, theme = load(spec_id).diagrams[diagram], load_theme("book")
    full = drawn(build_dot(d, theme))
    assert full, "the diagram has an external label to keep"
    assert drawn(freeze(d, theme).source()) == full
