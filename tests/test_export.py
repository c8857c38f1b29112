"""Exports: Mermaid, draw.io and DOT carry every node, edge and group, with labels shown as written."""

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mlsd_diagrams import load
from mlsd_diagrams.catalog import bundled_ids
from mlsd_diagrams.cli import export_cmd
from mlsd_diagrams.export import FORMATS, export_files, to_dot, to_drawio, to_mermaid
from mlsd_diagrams.export.mermaid import SHAPES
from mlsd_diagrams.renderer.dot import build_dot
from mlsd_diagrams.themes import load_theme

HOSTILE = r'<b>bold</b> & "quotes" \N {a|b} [x] (y) #quot; `t`; <script>alert(1)</script>'
# Every kind of node, nested groups, every arrow and style, a sequence number, ids that are Mermaid
# keywords (end, graph, style) or start edge decorations (o, x), and labels full of syntax.
SPEC = """
id: kitchen
title: Kitchen sink
diagrams:
  system:
    title: 'All "things" & <more>'
    direction: TB
    nodes:
      end: {label: 'HOSTILE', kind: store}
      o: {label: Dot product, kind: op}
      x: {label: User, kind: actor}
      graph: {label: "two\\nlines", kind: service}
      style: {label: Phone app, kind: client}
      i: {label: Query, kind: input}
      out: {label: Results, kind: output, color: green}
      m: {label: Model, kind: model}
      q: {label: Kafka, kind: queue}
      d: {label: Logs, kind: data}
      e: {label: Partner API, kind: external}
      n: {label: a note, kind: note}
      l: {label: Dense layer, kind: layer}
      t: {label: Embedding, kind: tensor}
      loss: {label: Cross-entropy, kind: loss}
      s: {label: Step, kind: step}
    groups:
      outer: {label: 'Outer <i>&amp;</i> "g"', nodes: [end, graph], groups: [inner]}
      inner: {label: Inner | pipe, nodes: [o]}
      other: {label: Training, nodes: [m, l, t, loss]}
    edges:
      - end -> o: 'HOSTILE'
      - o <-> x: {style: dashed, label: both ways}
      - x -- graph
      - graph -> end: {style: bold, seq: 3, label: bold one}
      - end -> graph: {style: dotted}
      - style -> i -> out
      - m -> q -> d -> e -> n -> l -> t -> loss -> s
""".replace("HOSTILE", HOSTILE.replace("'", "''"))


@pytest.fixture
def diagram(spec_file):
    return load(str(spec_file(SPEC))).diagrams["system"]


def test_cli_formats_match_the_library():
    assert tuple(FORMATS) == export_cmd._TO


# --- Mermaid ---------------------------------------------------------------------------------------------

_ENTITY = re.compile(r"#(\w+);")
_NAMED = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}


def unmermaid(text: str) -> str:
    """What Mermaid shows for a quoted label."""
    def one(m):
        name = m.group(1)
        return chr(int(name)) if name.isdigit() else _NAMED[name]
    return _ENTITY.sub(one, text.replace("<br>", "\n"))


def parse_mermaid(text: str):
    """Nodes (id -> (shape, label, subgraph)), subgraphs (id -> (label, parent)), edges [(src, link, label, dst)]."""
    nodes, subgraphs, edges, stack = {}, {}, [], []
    node_re = re.compile(r'^(n_\w+)(\S*?)"(.*)"(\S*)$')
    edge_re = re.compile(r'^(n_\w+) (<?[-=.]+>?)(?:\|"(.*)"\|)? (n_\w+)$')
    for raw in text.splitlines():
        line = raw.strip()
        if m := re.match(r'^subgraph (g_\w+)\["(.*)"\]$', line):
            subgraphs[m.group(1)] = (unmermaid(m.group(2)), stack[-1] if stack else None)
            stack.append(m.group(1))
        elif line == "end":
            stack.pop()
        elif m := edge_re.match(line):
            edges.append((m.group(1), m.group(2), unmermaid(m.group(3) or ""), m.group(4)))
        elif m := node_re.match(line):
            nodes[m.group(1)] = ((m.group(2), m.group(4)), m.group(3), stack[-1] if stack else None)
    assert stack == [], "every subgraph is closed"
    return nodes, subgraphs, edges


def test_mermaid_has_every_node_group_and_edge(diagram):
    text = to_mermaid(diagram)
    nodes, subgraphs, edges = parse_mermaid(text)
    assert text.startswith("%% ") and "\nflowchart TB\n" in text  # '&' and '<' keep the title out of front matter
    assert set(nodes) == {f"n_{nid}" for nid in diagram.nodes}
    for nid, n in diagram.nodes.items():
        shape, label, parent = nodes[f"n_{nid}"]
        assert unmermaid(label) == n.label
        assert shape == tuple(s.strip('"') for s in SHAPES[n.kind])
    parent = diagram.parent_of()
    for nid in diagram.nodes:
        assert nodes[f"n_{nid}"][2] == (f"g_{parent[nid]}" if nid in parent else None)
    assert subgraphs == {
        "g_outer": ('Outer <i>&amp;</i> "g"', None), "g_inner": ("Inner | pipe", "g_outer"),
        "g_other": ("Training", None)}
    assert edges[:5] == [
        ("n_end", "-->", HOSTILE, "n_o"),
        ("n_o", "<-.->", "both ways", "n_x"),
        ("n_x", "---", "", "n_graph"),
        ("n_graph", "==>", "③ bold one", "n_end"),
        ("n_end", "-.->", "", "n_graph"),
    ]
    assert len(edges) == len(diagram.edges)


def test_mermaid_labels_carry_no_raw_syntax(diagram):
    text = to_mermaid(diagram)
    nodes, _, _ = parse_mermaid(text)
    raw = [label for _, label, _ in nodes.values()]
    raw += re.findall(r'subgraph g_\w+\["(.*)"\]$', text, re.M) + re.findall(r'\|"(.*)"\|', text)
    assert len(raw) == len(diagram.nodes) + len(diagram.groups) + sum(1 for e in diagram.edges if e.label or e.seq)
    for label in raw:
        bare = _ENTITY.sub("", label.replace("<br>", ""))
        assert not set(bare) & set('"<>|;`&#'), label
    escaped = nodes["n_end"][1]
    assert '"' not in escaped and "<b>" not in escaped and "|" not in escaped and "#quot;" in escaped
    assert nodes["n_graph"][1] == "two<br>lines"


def test_mermaid_title_goes_into_front_matter_when_it_shows_as_written(spec_file):
    d = load(str(spec_file(SPEC.replace("""'All "things" & <more>'""", '''Visual "search"''')))).diagrams["system"]
    assert to_mermaid(d).startswith('---\ntitle: "Visual \\"search\\""\n---\nflowchart TB\n')


def test_mermaid_uses_the_theme_colours(diagram):
    text = to_mermaid(diagram)
    book = load_theme("book")
    assert f"classDef k_store fill:{book.palette['yellow']}," in text
    assert f"style n_out fill:{book.palette['green']}" in text
    assert "style g_outer " in text and "stroke-dasharray" in text.split("style g_outer ")[1].splitlines()[0]


@pytest.mark.parametrize("spec_id", bundled_ids())
def test_every_bundled_diagram_exports_to_mermaid(spec_id):
    for d in load(spec_id).diagrams.values():
        nodes, subgraphs, edges = parse_mermaid(to_mermaid(d))
        assert len(nodes) == len(d.nodes) and len(subgraphs) == len(d.groups) and len(edges) == len(d.edges)


# --- draw.io ---------------------------------------------------------------------------------------------

def cells(xml: str):
    root = ET.fromstring(xml)
    assert root.tag == "mxfile"
    (page,) = root.findall("diagram")
    model = page.find("mxGraphModel")
    return page, {c.get("id"): c for c in model.find("root").findall("mxCell")}


def geometry(cell):
    g = cell.find("mxGeometry")
    return {k: float(g.get(k, 0)) for k in ("x", "y", "width", "height")}


def shown(value: str) -> list[str]:
    """The words draw.io shows for an html=1 label (line breaks are where the renderer breaks lines)."""
    return html.unescape(value.replace("<br>", "\n")).split()


def test_drawio_has_every_node_group_and_edge(diagram):
    page, by_id = cells(to_drawio(diagram))
    assert page.get("name") == diagram.title and page.get("id") == "system"
    assert by_id["0"].get("parent") is None and by_id["1"].get("parent") == "0"
    parent = diagram.parent_of()
    for nid, n in diagram.nodes.items():
        cell = by_id[f"n_{nid}"]
        assert cell.get("vertex") == "1"
        assert shown(cell.get("value")) == n.label.split()
        assert cell.get("parent") == (f"g_{parent[nid]}" if nid in parent else "1")
    for gid, g in diagram.groups.items():
        cell = by_id[f"g_{gid}"]
        assert "container=1" in cell.get("style") and "dashed=1" in cell.get("style")
        assert shown(cell.get("value")) == g.label.split()
        assert cell.get("parent") == (f"g_{parent[gid]}" if gid in parent else "1")
    edges = [c for c in by_id.values() if c.get("edge") == "1"]
    assert [(c.get("source"), c.get("target")) for c in edges] == [(f"n_{e.src}", f"n_{e.dst}") for e in diagram.edges]
    first, both, plain, bold, dotted = edges[:5]
    assert shown(first.get("value")) == HOSTILE.split() and "&lt;script&gt;" in first.get("value")
    assert "startArrow=classic" in both.get("style") and "dashed=1" in both.get("style")
    assert "endArrow=none" in plain.get("style") and "startArrow=none" in plain.get("style")
    assert shown(bold.get("value")) == ["③", "bold", "one"] and "strokeWidth=2.5" in bold.get("style")
    assert "dashPattern" in dotted.get("style")


def test_drawio_children_sit_inside_their_containers(diagram):
    """Child geometry is relative to the container (as draw.io expects), and inside it."""
    _, by_id = cells(to_drawio(diagram))
    for cid, cell in by_id.items():
        parent = cell.get("parent")
        if cell.get("vertex") != "1" or parent == "1":
            continue
        box, outer = geometry(cell), geometry(by_id[parent])
        assert box["x"] >= 0 and box["y"] >= 0, cid
        assert box["x"] + box["width"] <= outer["width"] + 0.5, cid
        assert box["y"] + box["height"] <= outer["height"] + 0.5, cid


def test_drawio_styles_follow_kinds_and_embed_pictograms(diagram):
    _, by_id = cells(to_drawio(diagram))
    assert "shape=cylinder3" in by_id["n_end"].get("style")
    assert by_id["n_o"].get("style").startswith("ellipse")
    actor = by_id["n_x"].get("style")
    assert "shape=label" in actor and "image=data:image/png,iVBOR" in actor and "strokeColor=none" in actor
    assert f"fillColor={load_theme('book').palette['green']}" in by_id["n_out"].get("style")
    assert "file:" not in to_drawio(diagram)


def test_drawio_breaks_lines_where_the_renderer_does(diagram):
    _, by_id = cells(to_drawio(diagram))
    assert by_id["n_graph"].get("value") == "two<br>lines"
    assert by_id["n_end"].get("value").count("<br>") >= 2  # wrapped like the rendered box (22 characters)


def test_drawio_is_xml_escaped(diagram):
    text = to_drawio(diagram)
    assert "<script>" not in text and "<b>" not in text  # only as &lt;...&gt; inside attributes
    ET.fromstring(text)


# Where diagrams.net draws a label and a pictogram, after its own code (draw.io 16, mxGraph): text lines are
# 1.2 x the font size; mxText keeps `spacing` (2) plus spacingTop/spacingBottom from the edge, and draw.io
# adds 5 px above a top-aligned label and 1 px below a bottom-aligned one (mxText.baseSpacingTop/Bottom);
# a label-shape's image (imageVerticalAlign=top) sits spacing + 5 px below the top (mxLabel.getImageBounds);
# boundedLbl=1 moves the label area in by the shape's margins (getLabelMargins of the shape).
LINES = """
id: lines
title: Lines
diagrams:
  system:
    title: Label lines
    direction: LR
    nodes:
      a1: {label: "one", kind: actor}
      a2: {label: "Registered user of the app", kind: actor}
      a5: {label: "one\\ntwo\\nthree\\nfour\\nfive", kind: actor}
      c2: {label: "Phone app on iOS", kind: client}
      m2: {label: "Two tower retrieval model", kind: model}
      s3: {label: "one\\ntwo\\nthree", kind: service, icon: pic.png}
      d1: {label: Logs, kind: data}
      d2: {label: Training data with labels, kind: data}
      d3: {label: "one\\ntwo\\nthree", kind: data}
      d9: {label: "1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9", kind: data}
    groups:
      people: {label: People, nodes: [a1, a2]}
    edges:
      - a1 -> a2 -> a5 -> c2 -> m2 -> s3
      - d1 -> d2 -> d3 -> d9
      - a2 -> d2
"""


@pytest.fixture
def lines(spec_file, tmp_path):
    shutil.copy(Path(__file__).parent.parent / "mlsd_diagrams/icons/cloud.png", tmp_path / "pic.png")
    return load(str(spec_file(LINES))).diagrams["system"]


def style_of(cell) -> dict[str, str]:
    return dict(p.split("=", 1) if "=" in p else (p, "1") for p in cell.get("style").split(";") if p)


def absolute(by_id, cell) -> tuple[float, float, float, float]:
    """A vertex's box on the page: its geometry plus its containers' offsets."""
    g = geometry(cell)
    x, y = g["x"], g["y"]
    parent = by_id.get(cell.get("parent"))
    while parent is not None and parent.get("vertex") == "1":
        x, y = x + geometry(parent)["x"], y + geometry(parent)["y"]
        parent = by_id.get(parent.get("parent"))
    return x, y, g["width"], g["height"]


def label_span(cell, box) -> tuple[float, float]:
    """Top and bottom of the label's text, as diagrams.net sets it (see above)."""
    st, (_, y, _, h) = style_of(cell), box
    text = (cell.get("value").count("<br>") + 1) * float(st.get("fontSize", 12)) * 1.2
    spacing = float(st.get("spacing", 2))
    top_margin, bottom_margin = 0.0, 0.0
    if st.get("boundedLbl") == "1":
        if st.get("shape") == "cylinder3":
            size = float(st.get("size", 15))
            top_margin, bottom_margin = min(h, 2 * size), 0.3 * size
        elif st.get("shape") in ("note", "cylinder", "datastore"):  # mxCylinder's: size read as a fraction
            top_margin = min(40, h * 2 * float(st.get("size", 0.15)))
        else:
            raise AssertionError(f"no model of boundedLbl for {st.get('shape')}")
    top = y + top_margin + spacing + float(st.get("spacingTop", 0))
    bottom = y + h - bottom_margin - spacing - float(st.get("spacingBottom", 0))
    valign = st.get("verticalAlign", "middle")
    if valign == "top":
        return top + 5, top + 5 + text
    if valign == "bottom":
        return bottom - 1 - text, bottom - 1
    return (top + bottom - text) / 2, (top + bottom + text) / 2


def image_span(cell, box) -> tuple[float, float]:
    st, (_, y, _, h) = style_of(cell), box
    size, spacing = float(st["imageHeight"]), float(st.get("spacing", 2))
    top = {"top": y + spacing + 5, "bottom": y + h - size - spacing - 5}.get(st.get("imageVerticalAlign"),
                                                                         y + (h - size) / 2)
    return top, top + size


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("which", ["lines", "diagram"])
def test_drawio_data_labels_stay_inside_the_shape(which, request):
    d = request.getfixturevalue(which)
    _, by_id = cells(to_drawio(d))
    for nid, n in d.nodes.items():
        if n.kind != "data":
            continue
        cell = by_id[f"n_{nid}"]
        box = absolute(by_id, cell)
        top, bottom = label_span(cell, box)
        assert box[1] <= top and bottom <= box[1] + box[3], (nid, box, top, bottom)


@pytest.mark.parametrize("which", ["lines", "diagram"])
def test_drawio_captions_sit_under_their_pictogram_inside_the_cell(which, request):
    """Every line of a caption is below the pictogram, inside the node's cell, and clear of every other cell."""
    d = request.getfixturevalue(which)
    _, by_id = cells(to_drawio(d))
    vertices = {cid: absolute(by_id, c) for cid, c in by_id.items() if c.get("vertex") == "1"}
    icon_size, checked = load_theme("book").icon_size, 0
    for nid in d.nodes:
        cell = by_id[f"n_{nid}"]
        if "image" not in style_of(cell):
            continue
        box = vertices[f"n_{nid}"]
        top, bottom = label_span(cell, box)
        image_top, image_bottom = image_span(cell, box)
        assert box[1] <= image_top and image_bottom <= top, (nid, image_bottom, top)
        assert icon_size / 2 <= image_bottom - image_top <= icon_size, nid  # shrunk to fit, never to nothing
        assert bottom <= box[1] + box[3], (nid, bottom, box)
        caption = (box[0], top, box[2], bottom - top)
        ancestors = set()
        parent = cell.get("parent")
        while parent in by_id:
            ancestors.add(parent)
            parent = by_id[parent].get("parent")
        for other, other_box in vertices.items():
            if other != f"n_{nid}" and other not in ancestors:
                assert not overlap(caption, other_box), (nid, other)
        checked += 1
    assert checked == sum(1 for n in d.nodes.values() if n.kind in ("actor", "client", "model") or n.icon)


def test_drawio_repaints_pictograms_as_the_theme_does(diagram):
    """The dark theme repaints pictograms (light on dark); draw.io gets those pixels, not the book's."""
    book, dark = (style_of(cells(to_drawio(diagram, t))[1]["n_x"])["image"] for t in ("book", "dark"))
    assert book != dark and dark.startswith("data:image/png,iVBOR")


# --- DOT -------------------------------------------------------------------------------------------------

ICON_DIR = Path(__file__).parent.parent / "mlsd_diagrams/icons"


def comments(text: str) -> tuple[str, str]:
    """The ``//`` lines at the top of a DOT text, and the source after them."""
    head = text.split("\ndigraph {", 1)[0] if not text.startswith("digraph {") else ""
    assert all(line.startswith("// ") for line in head.splitlines()), head
    return head, text[len(head) + 1 if head else 0:]


def test_dot_is_the_renderer_source(diagram):
    head, source = comments(to_dot(diagram))
    assert source == build_dot(diagram, load_theme("book")).rstrip("\n") + "\n"
    for nid in diagram.nodes:
        assert re.search(rf"^\s*{nid} \[", source, re.M), nid
    for gid in diagram.groups:
        assert f"subgraph cluster_{gid} {{" in source


def test_dot_on_stdout_says_what_it_needs(diagram, spec_file):
    """The renderer's source finds its pictograms on this machine only: its first lines say so, and how to get
    a copy that draws anywhere."""
    head, source = comments(to_dot(diagram))
    assert f'imagepath="{ICON_DIR.resolve()}"' in source
    assert "files on the machine that wrote it" in head and "--out DIR" in head and "icons/" in head
    plain = load(str(spec_file("id: plain\ntitle: P\ndiagrams:\n  system:\n    title: S\n    nodes:\n"
                               "      a: {label: A, kind: service}\n      b: {label: B, kind: store}\n"
                               "    edges: [a -> b]\n"))).diagrams["system"]
    head, _ = comments(to_dot(plain))
    assert head.endswith("It names no other file.") and "imagepath" not in head


def export_dot(run, *args):
    result = run("export", *args, "--to", "dot", "--out", "ex")
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    return result


def draw(folder: Path, *args: str) -> tuple[str, str]:
    """``dot -Tsvg`` run in ``folder``: the SVG and what Graphviz printed."""
    out = subprocess.run(["dot", "-Tsvg", *args], cwd=folder, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout, out.stderr


def test_dot_folder_draws_its_pictograms_anywhere(run, lines, tmp_path):
    """``--out`` writes the pictograms beside the DOT file and names them relative to it: a copy of the folder
    moved elsewhere, with the spec's own icon gone, draws every pictogram from its own icons/."""
    export_dot(run, tmp_path / "lines.yaml")
    moved = tmp_path / "elsewhere" / "copy"
    shutil.move(tmp_path / "ex" / "lines", moved)
    (tmp_path / "pic.png").unlink()  # the custom icon's source: the copy must not need it
    text = (moved / "system.dot").read_text()
    assert str(ICON_DIR.resolve()) not in text and str(tmp_path) not in text
    assert "imagepath" not in comments(text)[1]
    pictograms = [nid for nid, n in lines.nodes.items() if n.kind in ("actor", "client", "model") or n.icon]
    for args in (["system.dot"], ["-Gimagepath=copy", "copy/system.dot"]):
        svg, printed = draw(moved if args == ["system.dot"] else moved.parent, *args)
        assert printed == "", printed  # no "No such file or directory" warning, nor any other
        hrefs = re.findall(r'<image [^>]*xlink:href="([^"]+)"', svg)
        assert len(hrefs) == len(pictograms), hrefs
        assert all(h.split("/")[-2] == "icons" for h in hrefs), hrefs
    names = sorted(p.relative_to(moved).as_posix() for p in moved.rglob("*") if p.is_file())
    custom = next(n for n in names if n.startswith("icons/pic-"))
    assert names == sorted(["system.dot", "icons/person.png", "icons/phone.png", "icons/cloud.png", custom])
    head, _ = comments(text)
    assert "dot -Tsvg system.dot -o system.svg" in head
    assert head.endswith(f"// It needs: {', '.join(n for n in names if n != 'system.dot')}")


def test_dot_folder_holds_the_checked_bytes_and_the_themes_pictograms(run, lines, tmp_path):
    """A custom icon is written from the bytes the loader checked (the file changed since is not read again);
    built-in pictograms are the theme's: repainted for dark, the shipped files for book."""
    checked = (tmp_path / "pic.png").read_bytes()
    spec = load(str(tmp_path / "lines.yaml"))
    (tmp_path / "pic.png").write_bytes((ICON_DIR / "person.png").read_bytes())
    files = export_files(spec, "dot", tmp_path / "ex", theme="dark")
    assert [p.name for p in files][:1] == ["system.dot"] and all(p.exists() for p in files)
    icons = tmp_path / "ex/lines/icons"
    custom = next(icons.glob("pic-*.png"))
    assert custom.read_bytes() == checked
    assert (icons / "person.png").read_bytes() != (ICON_DIR / "person.png").read_bytes()  # repainted
    export_files(spec, "dot", tmp_path / "book")
    assert (tmp_path / "book/lines/icons/person.png").read_bytes() == (ICON_DIR / "person.png").read_bytes()


def test_dot_folder_is_the_same_bytes_every_time(run, lines, tmp_path):
    def snapshot():
        export_dot(run, tmp_path / "lines.yaml")
        return {p.relative_to(tmp_path / "ex").as_posix(): p.read_bytes() for p in (tmp_path / "ex").rglob("*")
                if p.is_file()}
    first = snapshot()
    shutil.rmtree(tmp_path / "ex")
    assert snapshot() == first and len(first) == 5


def test_dot_folder_that_cannot_be_written_writes_no_dot_file(run, lines, tmp_path):
    (tmp_path / "ex/lines").mkdir(parents=True)
    (tmp_path / "ex/lines/icons").write_text("in the way")
    result = run("export", tmp_path / "lines.yaml", "--to", "dot", "--out", "ex")
    assert result.exit_code == 3 and "Traceback" not in result.stderr
    assert "a file of that name is in the way" in result.stderr
    assert not (tmp_path / "ex/lines/system.dot").exists()


# --- the command -----------------------------------------------------------------------------------------

def test_one_diagram_goes_to_stdout(run):
    result = run("export", "visual_search", "--to", "mermaid", "--diagram", "system")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == to_mermaid(load("visual_search").diagrams["system"])


def test_several_diagrams_need_out_or_diagram(run):
    result = run("export", "visual_search", "--to", "dot")
    assert result.exit_code == 2 and result.stdout == ""
    assert "name one with --diagram, or write them all with --out DIR" in result.stderr


def test_out_writes_one_file_per_diagram(run, tmp_path):
    spec = load("visual_search")
    for to, _ext in (("mermaid", ".mmd"), ("drawio", ".drawio")):
        result = run("export", "visual_search", "--to", to, "--out", "exports")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"visual_search: {len(spec.diagrams)} {to} files in exports/visual_search/\n"
    result = run("export", "visual_search", "--to", "dot", "--out", "exports")
    icons = sorted(p.name for p in (tmp_path / "exports/visual_search/icons").iterdir())
    assert icons == ["cloud.png", "image.png"]
    assert result.stdout == (
        f"visual_search: {len(spec.diagrams)} dot files in exports/visual_search/, with 2 pictograms beside them "
        f"in icons/\n  draw one in that folder (dot finds the pictograms from where it runs): "
        f"cd exports/visual_search && dot -Tsvg {next(iter(spec.diagrams))}.dot -o {next(iter(spec.diagrams))}.svg\n")
    names = sorted(p.name for p in (tmp_path / "exports/visual_search").iterdir() if p.is_file())
    assert names == sorted(f"{d}{ext}" for d in spec.diagrams for ext in (".mmd", ".drawio", ".dot"))
    assert (tmp_path / "exports/visual_search/system.mmd").read_text() == to_mermaid(spec.diagrams["system"])


def test_unknown_diagram_and_format_are_usage_errors(run):
    result = run("export", "visual_search", "--to", "mermaid", "--diagram", "sytem")
    assert result.exit_code == 2 and "did you mean 'system'?" in result.stderr
    result = run("export", "visual_search", "--to", "svg")
    assert result.exit_code == 2 and "'svg' is not one of 'mermaid', 'drawio', 'dot'" in result.stderr


def test_bad_spec_exports_nothing(run, spec_file, tmp_path):
    path = spec_file(SPEC.replace("kind: store", "kind: stor"))
    result = run("export", path, "--to", "mermaid", "--out", "exports")
    assert result.exit_code == 1 and result.stdout == ""
    assert "unknown kind 'stor'" in result.stderr
    assert not (tmp_path / "exports").exists()


def test_mermaid_and_dot_need_no_graphviz_but_drawio_does(run, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    for to in ("mermaid", "dot"):
        assert run("export", "visual_search", "--to", to, "--diagram", "system").exit_code == 0
    result = run("export", "visual_search", "--to", "drawio", "--diagram", "system")
    assert result.exit_code == 3 and "apt-get install graphviz" in result.stderr and result.stdout == ""


def test_export_takes_several_specs(run, tmp_path):
    result = run("export", "visual_search", "ad_click_prediction", "--to", "mermaid", "-d", "system", "--out", "ex")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.relative_to(tmp_path / "ex").as_posix() for p in (tmp_path / "ex").rglob("*.mmd")) == \
        ["ad_click_prediction/system.mmd", "visual_search/system.mmd"]
    assert run("export", "visual_search", "ad_click_prediction", "--to", "mermaid", "-d", "system").exit_code == 2
