"""Safe YAML reading with positions."""

import time

import pytest

from mlsd_diagrams.core.errors import Pos, SpecError
from mlsd_diagrams.core.yamlsrc import MAX_BYTES, Map, Seq, parse_bytes, parse_file


def test_values_remember_their_positions():
    tree, problems = parse_bytes(b"id: x\nnodes:\n  a: {label: 'A b'}\nlist:\n  - one\n  - two\n", "f.yaml")
    assert problems == []
    assert isinstance(tree, Map) and isinstance(tree["list"], Seq)
    assert tree.kpos["nodes"] == Pos("f.yaml", 2, 1)
    assert tree["nodes"].kpos["a"] == Pos("f.yaml", 3, 3)
    assert tree["nodes"]["a"].vpos["label"] == Pos("f.yaml", 3, 15)  # the text, not the quote
    assert tree["list"].ipos == [Pos("f.yaml", 5, 5), Pos("f.yaml", 6, 5)]


def test_duplicate_key_keeps_first_and_reports_second():
    tree, problems = parse_bytes(b"a: 1\nb: 2\na: 3\n", "f.yaml")
    assert tree["a"] == 1
    assert [str(p) for p in problems] == ["f.yaml:3:1: error: duplicate key 'a' (first defined at line 1)"]


def test_python_tags_are_refused_not_constructed():
    tree, problems = parse_bytes(b"x: !!python/object/apply:os.getcwd []\n", "f.yaml")
    assert "is not allowed" in problems[0].message


def test_alias_bomb_is_rejected_fast():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{','.join('*' + prev for _ in range(10))}]")
    start = time.perf_counter()
    with pytest.raises(SpecError, match="refusing to expand"):
        parse_bytes("\n".join(lines).encode(), "bomb.yaml")
    assert time.perf_counter() - start < 2  # 10**10 values if expanded; we stop at the limit


def test_a_few_aliases_are_fine():
    tree, problems = parse_bytes(b"a: &x {k: 1}\nb: *x\n", "f.yaml")
    assert tree["b"] == {"k": 1} and problems == []


def test_size_limit(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(SpecError, match="larger than"):
        parse_file(str(big))


def test_missing_file_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match="cannot read file"):
        parse_file(str(tmp_path / "nope.yaml"))


@pytest.mark.parametrize("data, message", [
    (b"a: \xe9t\xe9\n", "f.yaml:1:4: error: byte 0xe9 is not valid UTF-8 (the file is probably Latin-1 or "
                        "Windows-1252); save it as UTF-8"),
    (b"\xff\xfea\x00", "f.yaml:1:1: error: file is UTF-16 encoded; save it as UTF-8"),
])
def test_encodings(data, message):
    with pytest.raises(SpecError) as e:
        parse_bytes(data, "f.yaml")
    assert str(e.value) == message


def test_utf8_bom_is_accepted():
    tree, _ = parse_bytes(b"\xef\xbb\xbfa: 1\n", "f.yaml")
    assert tree == {"a": 1}
