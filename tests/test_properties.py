"""Property tests: whatever a file holds, loading it returns a spec or raises ``SpecError``, and quickly.

Inputs: random bytes; random text made of YAML's own tokens; random documents
of the spec's vocabulary; and random mutations of every bundled case study,
both structural (drop, rename, retype, duplicate a key or value) and at the
byte level (insert garbage, cut, flip). A hang fails through ``no_hang``
(``deadline`` only measures examples that finish). Also the laws that hold:
located values equal plain values (``parse(dump(x)) == x``), every position
lies inside the file, label escaping keeps text as text, and a sanitized SVG
is inert. The suite runs in seconds; fuzz longer with ``MLSD_FUZZ=50 pytest
tests/test_properties.py`` (50 times the examples).
"""

from __future__ import annotations

import contextlib
import copy
import html
import os
import re
import signal
import string
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from mlsd_diagrams.catalog import specs_dir
from mlsd_diagrams.core.errors import SpecError
from mlsd_diagrams.core.types import plain  # Map/Seq -> dict/list, as the loader does
from mlsd_diagrams.core.yamlsrc import MAX_DEPTH, parse_bytes, shown
from mlsd_diagrams.spec import load_file
from mlsd_diagrams.spec.checks import run_checks
from mlsd_diagrams.spec.model import Spec

HANG_SECONDS = 5  # one load takes milliseconds; anything near this is a hang
SCALE = int(os.environ.get("MLSD_FUZZ", "1"))
FAST = settings(max_examples=100 * SCALE, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
MUTATIONS = settings(max_examples=60 * SCALE, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
BUNDLED = sorted(specs_dir().glob("*.yaml"))
# The loader reads with libyaml; so do these tests (the pure-Python parser is stricter about a few plain scalars).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
TREES = {p.name: yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader) for p in BUNDLED}
BYTES = {p.name: p.read_bytes() for p in BUNDLED}


def dump(value) -> bytes:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
SCRATCH = Path(tempfile.mkdtemp(prefix="mlsd-properties-"))


@contextlib.contextmanager
def no_hang(seconds: float = HANG_SECONDS):
    """Fail instead of hanging: SIGALRM interrupts a runaway parse (POSIX, main thread)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise TimeoutError(f"loading took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_or_spec_error(data: bytes, name: str = "prop.yaml") -> Spec | SpecError:
    """The one contract: a Spec (whose rules also run cleanly) or a SpecError; anything else fails the test."""
    path = SCRATCH / name
    path.write_bytes(data)
    with no_hang():
        try:
            spec = load_file(str(path), name)
        except SpecError as e:
            assert e.problems, "a SpecError must say what is wrong"
            for p in e.problems:
                assert p.message and str(p).isprintable(), repr(str(p))
            return e
        run_checks(spec)  # the rules must cope with anything the loader lets through
        return spec


# --- random inputs ---------------------------------------------------------------------------------------

YAML_TOKENS = [
    "id", "title", "diagrams", "nodes", "edges", "groups", "rank", "label", "kind", "icon", "extends", "remove",
    "framework", "system", "a", "b", "service", "store", "person", ":", ": ", " ", "  ", "\n", "\n  ", "\n    ",
    "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!!python/object:os.system ", "!!str ", "!foo ", "'", '"', "->",
    " <-> ", " -- ", "#", "---\n", "...\n", "\t", "~", "yes", "1e999", "0x1F", "<<: ", "? ", "|\n", ">\n",
    "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\\", "\\e", "é", "\u202e", "\x00", "\x85", "\ufeff", "../x.png",
    "/etc/passwd.png", "icons/a.png", "9" * 30,
]
yaml_ish = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=60).map("".join)

KEYS = st.sampled_from(["id", "title", "chapter", "summary", "framework", "diagrams", "extends", "nodes", "groups",
                        "edges", "rank", "label", "kind", "icon", "color", "step", "direction", "style", "seq",
                        "loop", "remove", "a", "b", "a -> b", "system"]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
           | st.sampled_from(["service", "store", "person", "LR", "dashed", "a -> b", "a -> a", "icons/x.png",
                              "../../etc/passwd.png", "visual_search", "x.yaml"]) | st.text(max_size=12))
documents = st.recursive(SCALARS, lambda children: st.lists(children, max_size=4)
                         | st.dictionaries(KEYS, children, max_size=5), max_leaves=30)


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes_load_or_raise_spec_error(data):
    load_or_spec_error(data)


@FAST
@given(yaml_ish)
def test_any_yaml_ish_text_loads_or_raises_spec_error(text):
    load_or_spec_error(text.encode("utf-8", "surrogatepass"))


@FAST
@given(documents)
def test_any_random_document_loads_or_raises_spec_error(doc):
    load_or_spec_error(dump(doc))


@settings(max_examples=30, deadline=2000)
@given(st.integers(1, 3 * MAX_DEPTH), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting_is_refused_not_a_crash(depth, opener):
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    if opener == "- ":
        text = "".join("  " * i + "- " + ("\n" if i < depth - 1 else "x\n") for i in range(depth))
    else:
        text = opener * depth + "1" + closer * depth
    result = load_or_spec_error(text.encode())
    assert isinstance(result, SpecError)  # never a Spec: the root is not a mapping; never a RecursionError


# --- mutations of the bundled case studies ------------------------------------------------------------------

def _paths(tree, prefix=()):
    """Every (container path, key or index) in a plain tree."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


def _get(tree, path):
    for k in path:
        tree = tree[k]
    return tree


@st.composite
def mutated_spec(draw):
    name = draw(st.sampled_from(sorted(TREES)))
    tree = copy.deepcopy(TREES[name])
    for _ in range(draw(st.integers(1, 4))):
        places = list(_paths(tree))
        where = draw(st.sampled_from(places))
        parent, key = _get(tree, where[:-1]), where[-1]
        op = draw(st.sampled_from(["drop", "rename", "retype", "copy", "typo"]))
        if op == "drop":
            del parent[key]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(KEYS)] = parent.pop(key)
        elif op == "typo" and isinstance(key, str) and key:
            i = draw(st.integers(0, len(key) - 1))
            parent[key[:i] + draw(st.sampled_from(string.ascii_lowercase + "_-. ")) + key[i + 1:]] = parent.pop(key)
        elif op == "retype":
            parent[key] = draw(documents)
        elif op == "copy":
            other = _get(tree, draw(st.sampled_from(places)))
            parent[key] = copy.deepcopy(other)
    return name, dump(tree)


@st.composite
def byte_mutated_spec(draw):
    name = draw(st.sampled_from(sorted(BYTES)))
    data = bytearray(BYTES[name])
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "cut", "flip", "dup_line"]))
        if op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                [b"\t", b"\x00", b"\xff", b"\xe9", b": ", b"[", b"{", b"&a ", b"*a", b"!!python/name:os.system ",
                 b"\n- ", b"'", b'"', b"\xef\xbb\xbf", b"<<: *a\n"]))
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "dup_line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[start:start] = data[start:end]
    return name, bytes(data)


@MUTATIONS
@given(mutated_spec())
def test_structural_mutations_of_bundled_specs(case):
    name, data = case
    load_or_spec_error(data, name)


@MUTATIONS
@given(byte_mutated_spec())
def test_byte_mutations_of_bundled_specs(case):
    name, data = case
    load_or_spec_error(data, name)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_unmutated_bundled_specs_load(path):
    assert isinstance(load_or_spec_error(path.read_bytes(), path.name), Spec)


# --- laws -----------------------------------------------------------------------------------------------------

json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25)


@FAST
@given(json_like)
def test_located_values_equal_plain_values(value):
    """parse(dump(x)) == x: positions are added, nothing is lost or changed (what PyYAML reads, we read)."""
    text = yaml.safe_dump(value, allow_unicode=False)
    assume(value is not None)  # an empty document is an error by design
    tree, problems = parse_bytes(text.encode(), "law.yaml")
    assert problems == []
    assert plain(tree) == yaml.safe_load(text) == value


@FAST
@given(yaml_ish)
@example("\r\r<<: ")  # lone carriage returns end lines too: the merge key is on line 3
def test_every_position_lies_inside_the_file(text):
    data = text.encode("utf-8", "surrogatepass")
    result = load_or_spec_error(data)
    # YAML breaks lines at CR LF, CR, LF, NEL, LS and PS (a lone CR is an old Mac file's line end), and so
    # do the positions it reports
    lines = re.split("\r\n|[\r\n\x85\u2028\u2029]", data.decode("utf-8", "replace"))
    if isinstance(result, SpecError):
        for p in result.problems:
            if p.pos:
                assert 1 <= p.pos.line <= len(lines) + 1 and p.pos.col >= 1, str(p)


@FAST
@given(st.text(max_size=200), st.integers(0, 100))
def test_shown_is_short_and_printable(text, limit):
    out = shown(text, max(limit, 4))
    assert len(eval(out)) <= max(limit, 4) and out.isprintable()


@FAST
@given(st.text(max_size=300), st.integers(4, 80))
def test_label_escaping_keeps_text_as_text(text, wrap):
    """Whatever a label holds, the HTML-like label Graphviz gets has no markup but line breaks, no raw quote,
    no Graphviz escape sequence, and shows every non-space character of the text in order."""
    from mlsd_diagrams.renderer.dot import WORD_JOINER, text_html

    out = text_html(text, wrap)
    assert re.sub(r"<BR/>", "", out).count("<") == 0 and ">" not in re.sub(r"<BR/>", "", out)
    assert '"' not in out and not re.search(r"&(?!(amp|lt|gt|quot|#x27|#93);)", out)
    assert not re.search(r"\\[GNEHTL]", out)
    shown_text = html.unescape(out.replace("<BR/>", "\n")).replace(WORD_JOINER, "")
    squash = lambda s: re.sub(r"\s", "", s.replace(WORD_JOINER, ""))  # noqa: E731
    assert squash(shown_text) == squash(text)


_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_TAGS = ["g", "text", "path", "image", "a", "script", "foreignObject", "animate", "set", "style", "use", "iframe"]
_ATTRS = st.sampled_from([("onload", "alert(1)"), ("onclick", "x()"), (f"{{{_XLINK}}}href", "javascript:alert(1)"),
                          (f"{{{_XLINK}}}href", "http://evil/x.png"), ("href", "file:///etc/passwd"),
                          (f"{{{_XLINK}}}href", "data:image/png;base64,AAAA"), (f"{{{_XLINK}}}href", "#frag"),
                          ("fill", "url(http://evil/x)"), ("fill", "url(#grad)"), ("style", "background:url(x)"),
                          ("fill", "#fff"), ("class", "node"), ("OnMouseOver", "y()")])


@st.composite
def svg_trees(draw):
    root = ET.Element(f"{{{_SVG}}}svg")
    nodes = [root]
    for _ in range(draw(st.integers(0, 25))):
        parent = draw(st.sampled_from(nodes))
        el = ET.SubElement(parent, f"{{{_SVG}}}{draw(st.sampled_from(_TAGS))}")
        for name, value in draw(st.lists(_ATTRS, max_size=3)):
            el.set(name, value)
        if el.tag.endswith("style"):
            el.text = draw(st.sampled_from(["@import url(http://evil/x.css);", "text{fill:#000}", "a{b:url(#x)}"]))
        nodes.append(el)
    return root


@FAST
@given(svg_trees())
def test_sanitized_svg_is_inert(root):
    from mlsd_diagrams.renderer.svg import strip_active

    from .inert import active_content

    strip_active(root)
    svg = ET.tostring(root, encoding="unicode")
    assert active_content(svg) == []
    assert strip_active(ET.fromstring(svg)) == []  # idempotent: nothing left to remove
