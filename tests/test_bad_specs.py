"""The corpus of bad specs: each file is one scenario, beside the exact messages it must produce.

Regenerate the expected files after a deliberate wording change with
``pytest tests/test_bad_specs.py --update-golden`` and read the diff.
"""

import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "bad_specs"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".yaml")


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_bad_spec_gives_exact_errors_and_writes_nothing(case, run, tmp_path, update_golden):
    shutil.copy(case, tmp_path / case.name)
    result = run("validate", case.name)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    expected = case.with_suffix(".expected")
    if update_golden:
        expected.write_text(result.stderr, encoding="utf-8")
    assert result.stderr == expected.read_text(encoding="utf-8")
    # every message names the file, and a line and column where the problem has one
    for line in result.stderr.splitlines()[:-1]:
        assert line.startswith(f"{case.name}:")

    render = run("render", case.name, "--out", "out")
    assert render.exit_code == 1
    assert render.stdout == ""
    assert not (tmp_path / "out").exists()
