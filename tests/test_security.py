"""A spec from someone else: it cannot run code, read files outside its folder, write outside --out, inject
markup or Graphviz attributes through a label, or make the SVG fetch or run anything."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsd_diagrams import load, render
from mlsd_diagrams.core.errors import SpecError
from mlsd_diagrams.core.yamlsrc import parse_bytes
from mlsd_diagrams.renderer.svg import custom_icon_uri
from mlsd_diagrams.spec.icons import MAX_ICON_BYTES, IconError, resolve_icon
from mlsd_diagrams.spec.load import build, load_file

from .inert import active_content

SVG_NS = "{http://www.w3.org/2000/svg}"


def png(rgb=(200, 30, 30), size=16) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def one_node_spec(folder: Path, label: str = "A", icon: str | None = None, sid: str = "hostile") -> Path:
    """A spec whose node ``a`` has ``label`` (as a double-quoted YAML string, so any text can be written)."""
    quoted = '"' + label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
    icon_line = f", icon: {icon}" if icon else ""
    text = textwrap.dedent(f"""\
        id: {sid}
        title: Hostile
        diagrams:
          system:
            title: System
            nodes:
              a: {{label: {quoted}, kind: service{icon_line}}}
              b: {{label: B, kind: store}}
            edges:
              - a -> b: {quoted}
        """)
    path = folder / f"{sid}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def render_svg(spec_path: Path, out: Path, formats=("svg",)) -> str:
    render(load(str(spec_path)), out, formats=list(formats), force=True)
    return (out / spec_path.stem / "system.svg").read_text(encoding="utf-8")


def all_text(svg: str) -> str:
    root = ET.fromstring(svg)
    return "".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def squash(s: str) -> str:
    return re.sub(r"\s", "", s)


# --- labels are text ---------------------------------------------------------------------------------------

HOSTILE_LABELS = [
    '<script>alert("x")</script>',
    "<b>bold</b> & <i>it</i> &amp; &lt;",
    '"]; node [shape=box URL="http://evil.example/" target=_top]; x [label="',
    "{a|b|<f0> c} | record",
    r"\N \G \E \H \T \L \l \r \n \\ end",
    "<TABLE><TR><TD><IMG SRC=\"/etc/passwd\"/></TD></TR></TABLE>",
    "]]><![CDATA[ <!-- comment --> <?xml-stylesheet href='x'?>",
    "<svg onload=alert(1)><a xlink:href='javascript:alert(1)'>x</a>",
    "Ünïcödé 中文 עברית \u200fevil emoji 🚀 ①②",  # (bidi overrides are refused: tests/test_hostile_inputs.py)
    "${HOME} $(id) `id` %s %n {0} ' quotes ''",
    "]", "]] ", "\u00a0",  # Graphviz 2.43 rejected these HTML labels ("syntax error") before dot.text_html escaped them
]


@pytest.mark.parametrize("label", HOSTILE_LABELS, ids=range(len(HOSTILE_LABELS)))
def test_hostile_labels_render_literally_and_the_svg_stays_inert(label, tmp_path):
    svg = render_svg(one_node_spec(tmp_path / "spec", label), tmp_path / "out")
    assert active_content(svg) == []
    assert squash(label) in squash(all_text(svg))  # shown as written (wrapping only moves spaces)
    root = ET.fromstring(svg)
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert tags <= {"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "text", "tspan", "image", "rect"}
    assert "evil.example" not in "".join(f"{k}={v}" for el in root.iter() for k, v in el.attrib.items())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("\\<>&\"'{}|[]$%@#:;=`~")),
               min_size=1, max_size=60).filter(str.strip))
def test_any_label_renders_literally(tmp_path_factory, label):
    folder = tmp_path_factory.mktemp("label")
    svg = render_svg(one_node_spec(folder / "spec", label), folder / "out")
    assert active_content(svg) == []
    assert squash(label) in squash(all_text(svg))


def test_empty_and_blank_texts_render(tmp_path):
    path = one_node_spec(tmp_path / "spec", " ")
    path.write_text(path.read_text().replace("title: System", 'title: ""'), encoding="utf-8")
    svg = render_svg(path, tmp_path / "out")
    assert active_content(svg) == []


def test_bundled_case_study_svg_is_inert_and_self_contained(tmp_path):
    render(load("visual_search"), tmp_path, formats=["svg"])
    for svg_path in (tmp_path / "visual_search").glob("*.svg"):
        svg = svg_path.read_text(encoding="utf-8")
        assert active_content(svg) == [], svg_path.name
        hrefs = re.findall(r'href="([^"]*)"', svg)
        assert all(h.startswith("data:image/png;base64,") for h in hrefs), svg_path.name


# --- custom icons ----------------------------------------------------------------------------------------------

@pytest.fixture
def icon_folder(tmp_path):
    folder = tmp_path / "R&D 'specs' é"  # characters Graphviz writes into the SVG unescaped
    (folder / "icons").mkdir(parents=True)
    (folder / "icons" / "db.png").write_bytes(png((200, 30, 30)))
    (folder / "person.png").write_bytes(png((30, 200, 30)))  # same name as a built-in pictogram
    return folder


def test_custom_icon_is_embedded_from_the_checked_file_in_every_format(icon_folder, tmp_path):
    spec_path = one_node_spec(icon_folder, icon="icons/db.png")
    svg = render_svg(spec_path, tmp_path / "out", formats=("svg", "png", "pdf"))
    uri = "data:image/png;base64," + base64.b64encode((icon_folder / "icons/db.png").read_bytes()).decode()
    assert uri in svg
    assert str(icon_folder) not in svg and "icons/db.png" not in svg and "file:" not in svg
    assert active_content(svg) == []
    assert (tmp_path / "out/hostile/system.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    node = load(str(spec_path)).diagrams["system"].nodes["a"]
    assert node.icon == "icons/db.png"
    assert node.icon_file.path == os.path.realpath(icon_folder / "icons/db.png")
    assert node.icon_file.sha256 == hashlib.sha256((icon_folder / "icons/db.png").read_bytes()).hexdigest()


def test_custom_icon_named_like_a_builtin_is_not_confused_with_it(icon_folder, tmp_path):
    svg = render_svg(one_node_spec(icon_folder, icon="person.png"), tmp_path / "out")
    mine = "data:image/png;base64," + base64.b64encode((icon_folder / "person.png").read_bytes()).decode()
    assert mine in svg


def test_editing_a_custom_icon_renders_again(icon_folder, tmp_path):
    spec_path = one_node_spec(icon_folder, icon="icons/db.png")
    render(load(str(spec_path)), tmp_path / "out", formats=["svg"])
    (icon_folder / "icons/db.png").write_bytes(png((0, 0, 255)))
    result = render(load(str(spec_path)), tmp_path / "out", formats=["svg"])
    assert result.rendered == ["hostile/system"]  # the cache key includes the image's hash


@pytest.mark.parametrize("icon, message", [
    ("/etc/passwd.png", "is not relative to the spec's folder"),
    ("'C:/Windows/x.png'", "is not relative to the spec's folder"),
    ("'~/x.png'", "is not relative to the spec's folder"),
    ("../outside.png", "leaves the spec's folder ('..')"),
    ("icons/../../outside.png", "leaves the spec's folder ('..')"),
    ("'icons\\db.png'", "separate folders with '/'"),
    ("'file:///etc/x.png'", "is a URL"),
    ("'https://evil.example/x.png'", "is a URL"),
    ("icons/db.svg", "is not a .png image"),
    (".hidden.png", "is not allowed"),
    ("'-rf.png'", "is not allowed"),
    ("persn", "unknown icon 'persn'"),
])
def test_icon_paths_the_schema_refuses(icon_folder, icon, message):
    with pytest.raises(SpecError) as e:
        load_file(str(one_node_spec(icon_folder, icon=icon)))
    assert message in str(e.value)
    assert re.match(r"^hostile\.yaml|.*hostile\.yaml:7:\d+: error: diagrams\.system\.nodes\.a\.icon: ", str(e.value))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
def test_symlinks_may_not_escape_the_folder(icon_folder, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    (icon_folder / "escape.png").symlink_to(outside)
    (icon_folder / "icons" / "up").symlink_to("../..")
    (icon_folder / "inside.png").symlink_to("icons/db.png")
    for icon in ("escape.png", f"icons/up/{outside.name}"):
        with pytest.raises(SpecError, match="is a link to a file outside the spec's folder"):
            load_file(str(one_node_spec(icon_folder, icon=icon)))
    assert load_file(str(one_node_spec(icon_folder, icon="inside.png"))).diagrams["system"].nodes["a"].icon_file


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"GIF89a" + b"\0" * 100), "is not a PNG image"),
    (lambda p: p.write_bytes(png()[:8] + b"\0" * (MAX_ICON_BYTES + 1)), "the limit is 512 KB"),
    (lambda p: p.mkdir(), "is not a regular file"),
    (lambda p: os.mkfifo(p), "is not a regular file"),  # opened without blocking: no hang
    (lambda p: None, "does not exist"),
])
def test_icon_files_that_are_refused(icon_folder, make, message):
    if make.__code__.co_names == ("os", "mkfifo") and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    make(icon_folder / "bad.png")
    start = time.perf_counter()
    with pytest.raises(SpecError, match=message):
        load_file(str(one_node_spec(icon_folder, icon="bad.png")))
    assert time.perf_counter() - start < 2


def test_a_spec_not_read_from_a_file_has_no_folder_for_icons():
    tree, problems = parse_bytes(b"id: x\ntitle: X\ndiagrams:\n  d:\n    title: D\n    nodes:\n"
                                 b"      a: {label: A, kind: service, icon: a.png}\n", "x.yaml")
    with pytest.raises(SpecError, match="this spec was not read from a file"):
        build(tree, "x.yaml", problems)


def test_an_unchecked_icon_path_never_reaches_graphviz(tmp_path):
    """A Node made by hand with a path icon but no checked file: Graphviz gets no image path at all."""
    from dataclasses import replace

    from mlsd_diagrams.renderer.dot import build_dot
    from mlsd_diagrams.themes import load_theme

    d = load("visual_search").diagrams["system"]
    nodes = {k: replace(n, icon="../../../etc/x.png") for k, n in d.nodes.items()}
    source = build_dot(replace(d, nodes=nodes), load_theme("book"))
    assert "etc/x.png" not in source


def test_embedding_checks_the_file_again(icon_folder, tmp_path):
    """If the image is swapped after the spec was checked, it is dropped rather than embedded."""
    checked = resolve_icon(icon_folder, "icons/db.png")
    assert custom_icon_uri(checked.path)
    Path(checked.path).write_bytes(b"<svg onload='alert(1)'/>")
    assert custom_icon_uri(checked.path) is None
    with pytest.raises(IconError):
        resolve_icon(icon_folder, "icons/db.png")


# --- file names come from validated ids only -------------------------------------------------------------------

@pytest.mark.parametrize("bad_id", ["../x", "..", "a/b", "a\\\\b", "A", "a b", "a.b", "_a", "1a", "é", "x" * 65,
                                    "a\\0b", "con/../x"])
def test_ids_that_would_make_bad_file_names_are_refused(tmp_path, bad_id):
    spec = tmp_path / "s.yaml"
    spec.write_text(f'id: s\ntitle: T\ndiagrams:\n  "{bad_id}":\n    title: D\n    nodes:\n'
                    "      a: {label: A, kind: note}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"s\.yaml:4:\d+: error: diagrams: diagram id .* is not valid"):
        load_file(str(spec))
    spec.write_text(f'id: "{bad_id}"\ntitle: T\ndiagrams:\n  d:\n    title: D\n    nodes:\n'
                    "      a: {label: A, kind: note}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"s\.yaml:1:\d+: error: id: "):
        load_file(str(spec))


def test_a_spec_path_with_dot_dot_still_writes_under_out(run, tmp_path):
    """The output folder comes from the spec's id (equal to its file name), never from the path given."""
    work = tmp_path / "work"
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    one_node_spec(tmp_path, sid="x")
    work.mkdir()
    os.chdir(work)
    result = run("render", "../a/b/../../x.yaml", "--format", "svg", "--out", "out")
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.svg"))
    assert written == ["work/out/x/system.svg"]


# --- safe YAML -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system", "!!python/module:os", "!!python/object:__main__.X"])
def test_python_tags_are_never_constructed(tmp_path, tag):
    marker = tmp_path / "pwned"
    spec = tmp_path / "t.yaml"
    spec.write_text(f"id: t\ntitle: {tag} ['touch {marker}']\ndiagrams: {{}}\n")
    with pytest.raises(SpecError, match="is not allowed"):
        load_file(str(spec))
    assert not marker.exists()


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo.yaml", "folder.yaml"])
def test_special_files_are_refused_without_reading_them(tmp_path, target, run):
    if target.startswith("/dev/") and not os.path.exists(target):
        pytest.skip("no such device")
    if target == "fifo.yaml":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(tmp_path / target)  # nobody writes to it: reading it would block for ever
    if target == "folder.yaml":
        (tmp_path / target).mkdir()
    start = time.perf_counter()
    result = run("validate", target)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "cannot read file: it is" in result.stderr
    assert time.perf_counter() - start < 2


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(2_000_000_000)  # sparse: 2 GB that take no disk space
    start = time.perf_counter()
    with pytest.raises(SpecError, match="larger than 1,000,000 bytes"):
        load_file(str(big))
    assert time.perf_counter() - start < 1


def test_without_libyaml_deep_nesting_is_still_a_spec_error(monkeypatch):
    """PyYAML's pure-Python composer recurses; a RecursionError must not escape as a traceback."""
    import yaml

    from mlsd_diagrams.core import yamlsrc

    monkeypatch.setattr(yamlsrc, "_Loader", yaml.SafeLoader)
    for data in (b"[" * 800 + b"]" * 800, b"{a: " * 800 + b"1" + b"}" * 800):
        with pytest.raises(SpecError, match="nest more than 50 levels"):
            parse_bytes(data, "deep.yaml")


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_line_breaks_editors_do_not_see_are_refused(char):
    """YAML 1.1 breaks lines at NEL and the Unicode separators; editors do not, so positions would lie."""
    with pytest.raises(SpecError) as e:
        parse_bytes(f"id: x\ntitle: a{char}b\n".encode(), "f.yaml")
    assert str(e.value).startswith(f"f.yaml:2:9: error: the character U+{ord(char):04X}")


def test_error_messages_never_print_raw_control_characters(tmp_path, run):
    """A spec cannot reach the terminal: keys and values are echoed escaped (no ANSI or OSC sequences)."""
    spec = tmp_path / "esc.yaml"
    spec.write_text('id: esc\ntitle: T\n"\\e]0;pwned\\a\\e[2J": 1\ndiagrams:\n  "\\e[31mred":\n    title: D\n'
                    '    nodes:\n      a: {label: A, kind: "\\e[1mservice"}\n', encoding="utf-8")
    result = run("validate", spec.name)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned" in result.stderr


def test_no_traceback_for_hostile_bytes_through_the_real_cli(tmp_path):
    """The whole command, as a user runs it, on a handful of the worst inputs."""
    inputs = {"nul.yaml": b"id: nul\x00", "deep.yaml": b"[" * 5000, "bomb.yaml": b"a: &a [" + b"x," * 9 + b"x]\n"
              + b"".join(b"%c: &%c [" % (97 + i, 97 + i) + b",".join([b"*%c" % (96 + i)] * 9) + b"]\n"
                         for i in range(1, 10)), "tag.yaml": b"id: !!python/object/apply:os.system [id]\n"}
    for name, data in inputs.items():
        (tmp_path / name).write_bytes(data)
        out = __import__("subprocess").run([sys.executable, "-m", "mlsd_diagrams", "render", name, "--out", "o"],
                                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert out.returncode == 1, (name, out.stderr)
        assert "Traceback" not in out.stderr and out.stderr.startswith(f"{name}:"), (name, out.stderr)
    assert not (tmp_path / "o").exists()


# --- extends -----------------------------------------------------------------------------------------------------

def test_extends_cannot_read_a_yaml_file_outside_the_spec_folder(tmp_path):
    """Otherwise a shared spec could parse any *.yaml the user can read and echo its keys in messages."""
    secret = tmp_path / "home" / ".config" / "tool" / "hosts.yml"
    secret.parent.mkdir(parents=True)
    secret.write_text("github.com:\n  oauth_token: gho_SECRET_TOKEN_0123456789\n")
    spec_dir = tmp_path / "shared" / "repo"
    spec_dir.mkdir(parents=True)
    spec = spec_dir / "pr.yaml"
    spec.write_text("extends: ../../home/.config/tool/hosts.yml\nid: pr\n")
    with pytest.raises(SpecError) as e:
        load_file(str(spec))
    assert "github.com" not in str(e.value) and "gho_" not in str(e.value)
    assert "outside" in str(e.value)


def test_a_hand_built_spec_cannot_name_files_outside_out(tmp_path):
    """The loader rejects hostile ids; a Spec made in Python is checked again before anything is written."""
    import dataclasses

    from mlsd_diagrams import load, render
    from mlsd_diagrams.core.errors import UsageError

    spec = load("visual_search")
    hostile = dataclasses.replace(spec, id="../escape")
    with pytest.raises(UsageError, match="is not an id"):
        render(hostile, tmp_path / "out", formats=["svg"])
    assert not (tmp_path / "escape").exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad", [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="http://e/x.png"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(http://e/p) }</style></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(\'https://e/p\')"/></svg>',
])
def test_the_audit_itself_sees_active_content(bad):
    """The audit the tests above rely on is not blind: each of these is flagged."""
    assert active_content(bad) != []
