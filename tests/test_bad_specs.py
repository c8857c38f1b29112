"""The corpus of bad specs: each file is one scenario, beside the exact messages it must produce.

A scenario that needs other files (a base spec, a fake image) keeps them in
``<scenario>.files/``; they are copied next to it. Regenerate the expected
files after a deliberate wording change with
``pytest tests/test_bad_specs.py --update-golden``, then read the diff.
"""

import re
import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "bad_specs"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".yaml")
PROBLEM_LINE = re.compile(r"^(?P<file>[^:\n]+\.ya?ml):(?P<line>\d+):(?P<col>\d+): (error|warning): \S")
# Scenarios whose problem is about the file as a whole and so has no line and column.
NO_POSITION: set[str] = set()


def test_corpus_is_large_and_complete():
    assert len(CASES) >= 45
    for case in CASES:
        assert case.with_suffix(".expected").is_file(), f"{case.name} has no .expected file"


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_bad_spec_gives_exact_errors_and_writes_nothing(case, run, tmp_path, update_golden):
    shutil.copy(case, tmp_path / case.name)
    companions = CORPUS / f"{case.stem}.files"
    if companions.is_dir():
        shutil.copytree(companions, tmp_path, dirs_exist_ok=True)
    before = sorted(p.name for p in tmp_path.iterdir())

    result = run("validate", case.name)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    expected = case.with_suffix(".expected")
    if update_golden:
        expected.write_text(result.stderr, encoding="utf-8")
    assert result.stderr == expected.read_text(encoding="utf-8")
    *problems, summary = result.stderr.splitlines()
    assert problems and re.fullmatch(r"1 spec checked: [1-9]\d* errors?, \d+ warnings?", summary)
    for line in problems:
        # every message names a file of the scenario and, where the problem has one, a line and column
        if case.stem in NO_POSITION:
            assert line.startswith(f"{case.name}: error: ")
            continue
        m = PROBLEM_LINE.match(line)
        assert m, f"not file:line:col: severity: message: {line!r}"
        assert (tmp_path / m["file"]).is_file() or m["file"].startswith("specs/"), line
        assert line.isprintable(), f"raw control character in {line!r}"

    render = run("render", case.name, "--out", "out")
    assert render.exit_code == 1
    assert render.stdout == ""
    assert "Traceback" not in render.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output folder, no stray files
