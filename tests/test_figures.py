"""The figure catalogue: every architecture-type figure of the book is drawn by a bundled diagram."""

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mlsd_diagrams import bundled_ids, figures, load
from mlsd_diagrams.cli import cli
from mlsd_diagrams.figures import FIGURE_KINDS, catalogue, chapters, citations

SPECS = [load(i) for i in bundled_ids()]
CITED = citations(SPECS)
CATALOGUE = catalogue()


def test_every_chapter_of_the_book_is_catalogued():
    assert [c.number for c in chapters()] == list(range(1, 12))
    assert {c.spec for c in chapters()} == set(bundled_ids())
    assert len(CATALOGUE) >= 100


@pytest.mark.parametrize("path", sorted(Path(figures.__file__).parent.glob("ch*.yaml")), ids=lambda p: p.stem)
def test_catalogue_files_hold_only_known_keys(path):
    """A stray key (or a title cut short by an unquoted comma) is a mistake the loader would not notice."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) == {"chapter", "title", "spec", "figures"}
    assert path.stem == f"ch{data['chapter']:02d}"
    for number, entry in data["figures"].items():
        assert isinstance(number, str), f"{number!r}: quote figure numbers ('8.10' is not 8.1)"
        assert isinstance(entry, dict) and set(entry) == {"title", "kind"}, number


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: f"ch{c.number:02d}")
def test_catalogue_entries_are_well_formed(chapter):
    assert chapter.figures, "a chapter with no figures"
    for f in chapter.figures:
        assert re.fullmatch(rf"{chapter.number}\.[1-9][0-9]?", f.number), f.number
        assert f.kind in FIGURE_KINDS, (f.number, f.kind)
        assert 3 <= len(f.title) <= 52, (f.number, f.title)
    assert load(chapter.spec).chapter == chapter.number


@pytest.mark.parametrize("chapter", chapters(), ids=lambda c: f"ch{c.number:02d}")
def test_every_catalogued_figure_is_drawn(chapter):
    assert [f.number for f in chapter.figures if f.number not in CITED] == []


def test_every_cited_figure_is_catalogued():
    assert sorted(set(CITED) - set(CATALOGUE)) == []


def test_a_chapter_is_drawn_by_its_own_case_study():
    """A figure of chapter 8 is drawn in the ad click prediction spec, where a reader looks for it."""
    home = {f.number: c.spec for c in chapters() for f in c.figures}
    strays = [(n, d) for n, where in CITED.items() for d in where if n in home and d.split("/")[0] != home[n]]
    assert strays == []


def test_figures_command_prints_coverage_per_chapter_and_a_total():
    result = CliRunner().invoke(cli, ["figures", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Chapter 2: ")
    ch2 = next(c for c in chapters() if c.number == 2)
    for f in ch2.figures:
        row = next(line for line in lines if line.split()[:1] == [f.number])
        assert f.kind in row and ", ".join(CITED.get(f.number, ["(not drawn)"])) in row
    assert re.fullmatch(r"\d+/\d+ figures drawn.*", lines[-1])


def test_figures_missing_exits_1_only_when_something_is_missing():
    result = CliRunner().invoke(cli, ["figures", "--missing"])
    missing = [n for n in CATALOGUE if n not in CITED]
    assert result.exit_code == (1 if missing else 0)
    for n in missing:
        assert re.search(rf"^  {re.escape(n)} ", result.output, re.M)
