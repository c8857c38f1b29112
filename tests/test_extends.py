"""``extends``: add, replace and remove on top of a base spec; errors at file:line:col; chains and cycles."""

import textwrap

import pytest

from mlsd_diagrams import load, validate
from mlsd_diagrams.core.errors import SpecError

from .conftest import MINIMAL


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Work in tmp_path, so spec files are shown by their relative names."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def messages(target):
    return [str(p) for p in validate(str(target))]


@pytest.fixture
def base(here):
    return write(here, "mini.yaml", MINIMAL)


def test_inherits_everything_not_named(base, here):
    write(here, "mine.yaml", """
        id: mine
        extends: mini.yaml
    """)
    spec, ref = load("mine.yaml"), load("mini.yaml")
    assert spec.id == "mine" and spec.title == "Mini"
    assert spec.diagrams["system"].nodes.keys() == ref.diagrams["system"].nodes.keys()
    assert [e.key for e in spec.diagrams["system"].edges] == [("user", "api"), ("api", "db")]
    assert spec.diagrams["system"].nodes["api"].pos.file == "mini.yaml"  # inherited parts keep their place


def test_add_and_replace_nodes_and_edges(base, here):
    write(here, "mine.yaml", """
        id: mine
        extends: mini.yaml
        title: Mine
        diagrams:
          system:
            nodes:
              api: {label: Gateway, kind: service}
              cache: {label: Cache, kind: store}
            edges:
              - user -> api: search
              - api -> cache
    """)
    d = load("mine.yaml").diagrams["system"]
    assert load("mine.yaml").title == "Mine"
    assert list(d.nodes) == ["user", "api", "db", "cache"]  # a replaced node keeps its place
    assert d.nodes["api"].label == "Gateway" and d.nodes["api"].pos.file == "mine.yaml"
    assert [(e.key, e.label) for e in d.edges] == [(("user", "api"), "search"), (("api", "db"), ""),
                                                   (("api", "cache"), "")]
    assert d.edges[0].pos.file == "mine.yaml" and d.edges[1].pos.file == "mini.yaml"


def test_replace_one_hop_of_a_chain_keeps_the_columns(here):
    write(here, "base.yaml", """
        id: base
        title: Base
        diagrams:
          s:
            title: S
            nodes:
              a: {label: A, kind: service}
              b: {label: B, kind: service}
              c: {label: C, kind: service}
            edges:
              - a -> b -> c
    """)
    write(here, "mine.yaml", """
        id: mine
        extends: base.yaml
        diagrams:
          s:
            edges:
              - a -> b: hello
            remove:
              nodes: [c]
    """)
    d = load("mine.yaml").diagrams["s"]
    assert [(e.key, e.label) for e in d.edges] == [(("a", "b"), "hello")]
    write(here, "cut.yaml", """
        id: cut
        extends: base.yaml
        diagrams:
          s:
            remove:
              edges: [a -> b]
    """)
    (edge,) = load("cut.yaml").diagrams["s"].edges
    assert edge.key == ("b", "c")
    assert (edge.src_pos.line, edge.src_pos.col, edge.dst_pos.col) == (11, 14, 19)  # "      - a -> b -> c"


def test_remove_node_takes_its_edges_groups_and_rank_places(here):
    write(here, "base.yaml", """
        id: base
        title: Base
        diagrams:
          s:
            title: S
            nodes:
              a: {label: A, kind: service}
              b: {label: B, kind: service}
              c: {label: C, kind: service}
            groups:
              g: {label: G, nodes: [a, b]}
            edges:
              - a -> b -> c
              - c -> a
            rank:
              - [a, b]
              - [a, b, c]
    """)
    write(here, "mine.yaml", """
        id: mine
        extends: base.yaml
        diagrams:
          s:
            remove:
              nodes: [b]
    """)
    d = load("mine.yaml").diagrams["s"]
    assert list(d.nodes) == ["a", "c"]
    assert [e.key for e in d.edges] == [("c", "a")]
    assert [r.id for r in d.groups["g"].nodes] == ["a"]
    assert [[r.id for r in row] for row in d.rank] == [["a", "c"]]  # a row left with one node goes


def test_remove_group_moves_its_members_to_the_group_around_it(here):
    write(here, "base.yaml", """
        id: base
        title: Base
        diagrams:
          s:
            title: S
            nodes:
              a: {label: A, kind: service}
              b: {label: B, kind: service}
            groups:
              outer: {label: Outer, nodes: [a], groups: [inner]}
              inner: {label: Inner, nodes: [b]}
            edges: [a -> b]
    """)
    write(here, "mine.yaml", """
        id: mine
        extends: base.yaml
        diagrams:
          s:
            remove: {groups: [inner]}
    """)
    d = load("mine.yaml").diagrams["s"]
    assert list(d.groups) == ["outer"]
    assert [r.id for r in d.groups["outer"].nodes] == ["a", "b"] and d.groups["outer"].groups == ()


def test_new_diagram_and_framework_steps(base, here):
    write(here, "mine.yaml", """
        id: mine
        extends: mini.yaml
        framework:
          serving: [Online prediction]
        diagrams:
          extra:
            title: Extra
            nodes: {x: {label: X, kind: note}}
    """)
    spec = load("mine.yaml")
    assert list(spec.diagrams) == ["system", "extra"]
    assert spec.framework == {"serving": ["Online prediction"]}


def test_removing_what_the_base_lacks_is_an_error_at_its_position(base, here):
    write(here, "mine.yaml", """
        id: mine
        extends: mini.yaml
        diagrams:
          system:
            remove:
              nodes: [dbb]
              groups: [servng]
              edges: [db -> api, user -> db]
          other:
            title: O
            nodes: {x: {label: X, kind: service}}
            remove: {nodes: [x]}
    """)
    assert messages("mine.yaml") == [
        "mine.yaml:6:15: error: diagrams.system.remove.nodes: mini.yaml has no node 'dbb' in diagram 'system'; "
        "did you mean 'db'?",
        "mine.yaml:7:16: error: diagrams.system.remove.groups: mini.yaml has no group 'servng' in diagram "
        "'system'; did you mean 'serving'?",
        "mine.yaml:8:15: error: diagrams.system.remove.edges: mini.yaml has no edge 'db -> api' in diagram "
        "'system' (it has an edge from api to db: name the ends in the order the base writes them)",
        "mine.yaml:8:26: error: diagrams.system.remove.edges: mini.yaml has no edge 'user -> db' in diagram "
        "'system'",
        "mine.yaml:12:5: error: diagrams.other.remove: mini.yaml has no diagram 'other', so there is nothing to "
        "remove",
    ]


def test_remove_without_extends_is_an_error(here):
    write(here, "mini.yaml", MINIMAL + "    remove: {nodes: [db]}\n")
    assert messages("mini.yaml") == [
        "mini.yaml:15:5: error: diagrams.system.remove: only a spec that extends another can remove parts of it; "
        "add 'extends: <case study id or path>' at the top",
    ]


def test_a_bad_remove_entry_does_not_hide_the_others(base, here):
    write(here, "mine.yaml", """
        id: mine
        extends: mini.yaml
        diagrams:
          system:
            remove: {nodes: [Db, dbb], edges: ["api - db"]}
    """)
    assert messages("mine.yaml") == [
        "mine.yaml:5:22: error: diagrams.system.remove.nodes[0]: 'Db' is not valid: an id is snake_case: a "
        "lowercase letter, then lowercase letters, digits or '_'",
        "mine.yaml:5:26: error: diagrams.system.remove.nodes: mini.yaml has no node 'dbb' in diagram 'system'; "
        "did you mean 'db'?",
        "mine.yaml:5:41: error: diagrams.system.remove.edges[0]: 'api - db' is not valid: write an edge as "
        "'a -> b'",
    ]


def test_an_edge_to_a_removed_node_is_reported_where_it_is_written(base, here):
    write(here, "mine.yaml", """
        id: mine
        extends: mini.yaml
        diagrams:
          system:
            edges: [user -> db]
            remove: {nodes: [db]}
    """)
    assert messages("mine.yaml") == [
        "mine.yaml:5:21: error: edge end 'db' is not a node of diagram 'system'",
    ]


@pytest.mark.parametrize("remove, cause, alone", [("{edges: ['user -> api']}", "user", ["user"]),
                                                   ("{nodes: [api]}", "api", ["db", "user"])])
def test_a_node_left_without_edges_is_reported_at_the_remove_that_did_it(base, here, remove, cause, alone):
    """The base connects every node; only the extending file's removal leaves some alone, so the warning
    points there, not at a base file that never said anything wrong."""
    line = f"    remove: {remove}"
    write(here, "mine.yaml", f"""
        id: mine
        extends: mini.yaml
        diagrams:
          system:
        {line}
    """)
    column = line.index(cause) + 1
    assert sorted(messages("mine.yaml")) == [
        f"mine.yaml:5:{column}: warning: node {nid!r} has no edges; connect it or remove it" for nid in alone]


def test_problems_in_inherited_parts_point_into_the_base(here):
    write(here, "base.yaml", MINIMAL.replace("id: mini", "id: base").replace("kind: store", "kind: stor"))
    write(here, "mine.yaml", """
        id: mine
        extends: base.yaml
    """)
    (problem,) = messages("mine.yaml")
    assert problem.startswith("base.yaml:9:40: error: diagrams.system.nodes.db.kind: unknown kind 'stor'")


def test_extends_a_bundled_case_study():
    spec = load("visual_search")
    assert "extends" not in spec.framework


def test_bundled_id_and_chain(here):
    write(here, "designs/a.yaml", """
        id: a
        extends: visual_search
        diagrams:
          system:
            nodes: {cache: {label: Cache, kind: store}}
            edges: [nn -> cache]
    """)
    write(here, "designs/b.yaml", """
        id: b
        extends: a.yaml
        diagrams:
          system:
            remove: {nodes: [rerank]}
            edges: [nn -> results]
    """)
    write(here, "c.yaml", """
        id: c
        extends: designs/b.yaml
        title: C
    """)
    spec = load("c.yaml")
    d = spec.diagrams["system"]
    assert spec.title == "C" and "cache" in d.nodes and "rerank" not in d.nodes
    assert ("nn", "results") in [e.key for e in d.edges]
    assert d.nodes["cache"].pos.file == "designs/a.yaml"
    assert d.nodes["query"].pos.file.endswith("visual_search.yaml")
    assert validate("c.yaml") == []


def test_cycles_are_reported(here):
    write(here, "a.yaml", "id: a\nextends: b.yaml\n")
    write(here, "b.yaml", "id: b\nextends: a.yaml\n")
    write(here, "self.yaml", "id: self\nextends: self.yaml\n")
    assert messages("a.yaml") == [
        "b.yaml:2:10: error: extends: specs extend each other in a cycle: a.yaml -> b.yaml -> a.yaml"]
    assert messages("self.yaml") == [
        "self.yaml:2:10: error: extends: specs extend each other in a cycle: self.yaml -> self.yaml"]


@pytest.mark.parametrize("value, message", [
    ("visual_serch", "extends: no bundled case study 'visual_serch'; did you mean 'visual_search'?; a path to your "
                     "own spec ends in .yaml"),
    ("/etc/base.yaml", "extends: '/etc/base.yaml' is an absolute path, which does not travel with the spec; write the "
                       "path relative to this file's folder"),
    ("../base.txt", "extends: '../base.txt' is not a .yaml file; expected a bundled case study id (such as "
                    "visual_search) or a relative path to a .yaml file"),
    ("missing.yaml", "extends: there is no file 'missing.yaml' next to this spec (looked for missing.yaml)"),
    ("../mini.yaml", "extends: '../mini.yaml' lies outside this spec's folder; a spec reads files only from its own "
                     "folder and below (put the base beside it, or name a bundled case study)"),
    ("sub/../../x.yaml", "extends: 'sub/../../x.yaml' lies outside this spec's folder; a spec reads files only from "
                         "its own folder and below (put the base beside it, or name a bundled case study)"),
    ("42", "extends: expected a bundled case study id (such as visual_search) or a relative path to a .yaml file, "
           "found a number (42)"),
])
def test_bad_extends_values(here, value, message):
    write(here, "mine.yaml", f"id: mine\nextends: {value}\n")
    assert messages("mine.yaml") == [f"mine.yaml:2:10: error: {message}"]


def test_a_symlink_does_not_lead_outside(here):
    (here / "outside").mkdir()
    write(here / "outside", "base.yaml", MINIMAL.replace("id: mini", "id: base"))
    write(here, "repo/mine.yaml", "id: mine\nextends: base.yaml\n")
    try:
        (here / "repo" / "base.yaml").symlink_to(here / "outside" / "base.yaml")
    except OSError:
        pytest.skip("no symlinks here")
    (problem,) = messages("repo/mine.yaml")
    assert "lies outside this spec's folder" in problem and "Mini" not in problem


def test_a_base_in_a_subfolder_is_fine(here):
    write(here, "bases/mini.yaml", MINIMAL)
    write(here, "mine.yaml", "id: mine\nextends: ./bases/../bases/mini.yaml\n")
    assert load("mine.yaml").title == "Mini"


def test_a_broken_base_stops_with_its_own_message(here):
    write(here, "base.yaml", "id: base\ntitle: [unclosed\n")
    write(here, "mine.yaml", "id: mine\nextends: base.yaml\n")
    with pytest.raises(SpecError) as e:
        load("mine.yaml")
    assert str(e.value).startswith("base.yaml:3:1: error: invalid YAML")


def test_id_is_not_inherited(base, here):
    write(here, "mine.yaml", "extends: mini.yaml\n")
    assert messages("mine.yaml") == ["mine.yaml:1:1: error: missing required key 'id'"]
