"""Exports: Mermaid, draw.io and DOT carry every node, edge and group, with labels shown as written."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from mlsd_diagrams import load
from mlsd_diagrams.catalog import bundled_ids
from mlsd_diagrams.cli import export_cmd
from mlsd_diagrams.export import FORMATS, to_dot, to_drawio, to_mermaid
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


# --- DOT -------------------------------------------------------------------------------------------------

def test_dot_is_the_renderer_source(diagram):
    text = to_dot(diagram)
    assert text == build_dot(diagram, load_theme("book")).rstrip("\n") + "\n"
    for nid in diagram.nodes:
        assert re.search(rf"^\s*{nid} \[", text, re.M), nid
    for gid in diagram.groups:
        assert f"subgraph cluster_{gid} {{" in text


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
    for to, _ext in (("mermaid", ".mmd"), ("drawio", ".drawio"), ("dot", ".dot")):
        result = run("export", "visual_search", "--to", to, "--out", "exports")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"visual_search: {len(spec.diagrams)} {to} files in exports/visual_search/\n"
    names = sorted(p.name for p in (tmp_path / "exports/visual_search").iterdir())
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
