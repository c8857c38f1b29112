"""The practice commands on the command line: exit codes and exact messages."""

from pathlib import Path

from mlsd_diagrams import load

from .conftest import MINIMAL


def test_new_writes_into_the_current_folder_and_never_overwrites(run, tmp_path):
    result = run("new", "my_search", "--from", "visual_search")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("my_search.yaml\n"
                             "Edit it, then: mlsd-diagrams check my_search.yaml --against visual_search\n")
    before = (tmp_path / "my_search.yaml").read_text()
    again = run("new", "my_search", "--from", "visual_search", "--extends")
    assert again.exit_code == 2
    assert again.stderr == "Error: my_search.yaml already exists; pass --force to overwrite it\n"
    assert (tmp_path / "my_search.yaml").read_text() == before
    forced = run("new", "my_search", "--from", "visual_search", "--extends", "--force", "-q")
    assert (forced.exit_code, forced.stdout) == (0, "my_search.yaml\n")
    body = (tmp_path / "my_search.yaml").read_text().split("\n", 1)[1]  # after the schema modeline
    assert body.startswith("id: my_search\nextends: visual_search\n")
    assert run("validate", "my_search.yaml").exit_code == 0


def test_new_with_a_bad_source(run):
    result = run("new", "mine", "--from", "visual_serch")
    assert result.exit_code == 2
    assert "no bundled case study 'visual_serch'" in result.stderr


def test_quiz_prints_the_seed_and_writes_the_key(run, tmp_path):
    result = run("quiz", "visual_search", "-d", "system", "--blank", "2", "--seed", "5", "-f", "svg")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("visual_search/system: 2 blanks; answers in output/visual_search/quiz/system.answers.md\n"
                             "seed 5 (--seed 5 gives this quiz again)\n")
    assert sorted(p.name for p in (tmp_path / "output/visual_search/quiz").iterdir()) == \
        [".mlsd-cache.json", "system.answers.md", "system.svg"]  # practice pictures share the render cache
    key = (tmp_path / "output/visual_search/quiz/system.answers.md").read_text()
    assert key == run_again_key(run, tmp_path)


def run_again_key(run, tmp_path):
    run("quiz", "visual_search", "-d", "system", "--blank", "2", "--seed", "5", "-f", "svg", "--out", "again")
    return (tmp_path / "again/visual_search/quiz/system.answers.md").read_text()


def test_quiz_options_exclude_each_other(run):
    result = run("quiz", "visual_search", "--blank", "2", "--blank-kind", "service")
    assert result.exit_code == 2
    assert "give --blank or --blank-kind, not both" in result.stderr
    bad = run("quiz", "visual_search", "--blank-kind", "servce")
    assert bad.exit_code == 2 and "'servce' is not one of" in bad.stderr


def test_check_reports_and_exits_0_whatever_the_score(run, spec_file):
    spec_file(MINIMAL.replace("id: mini", "id: system_only"), "system_only.yaml")
    result = run("check", "system_only.yaml", "--against", "visual_search", "-f", "svg")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Checking system_only.yaml against visual_search (Visual Search System)",
        "",
        "system: Visual search - ML system design",
        "  components  precision 0% (0/3)  recall 0% (0/11)",
    ]
    assert lines[-1] == "Overlay (red dashed: missing, orange: extra): output/system_only/check/system.svg"
    assert Path("output/system_only/check/system.svg").is_file()


def test_check_of_the_reference_itself_is_perfect(run):
    result = run("check", "visual_search", "--against", "visual_search", "-f", "svg")
    assert result.exit_code == 0
    assert "system: the same as the reference (11 components, 11 edges): 100%" in result.stdout
    assert "Overlay" not in result.stdout


def test_check_bad_input_exits_1_and_writes_nothing(run, spec_file, tmp_path):
    spec_file(MINIMAL.replace("kind: store", "kind: stor"))
    result = run("check", "mini.yaml", "--against", "visual_search")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "1 error; nothing was written."
    assert not (tmp_path / "output").exists()


def test_check_unknown_reference_is_a_usage_error(run, spec_file):
    spec_file(MINIMAL)
    result = run("check", "mini.yaml", "--against", "visual_serch")
    assert result.exit_code == 2
    assert "did you mean 'visual_search'?" in result.stderr


def test_reveal_lists_the_frames(run, tmp_path):
    result = run("reveal", "visual_search", "-d", "system", "-f", "svg", "--out", "slides")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("visual_search/system: 4 frames in slides/visual_search/reveal/: Prediction pipeline; "
                             "Trained model; Index table; Indexing pipeline\n")
    assert sorted(p.name for p in (tmp_path / "slides/visual_search/reveal").iterdir()) == \
        [".mlsd-cache.json", *(f"system-0{k}.svg" for k in range(1, 5))]
    one = run("reveal", "visual_search", "-d", "encoder", "--by", "step", "-f", "svg")
    assert one.stdout == ("visual_search/encoder: 1 frame in output/visual_search/reveal/: Model development "
                          "(one step only; try --by group)\n")


def test_sheet_writes_one_html_file(run, tmp_path):
    result = run("sheet", "visual_search", "--format", "html", "--out", "sheets")
    assert result.exit_code == 0, result.stderr
    n = len(load("visual_search").diagrams)
    assert result.stdout == f"sheets/visual_search/sheet.html\nvisual_search: cheat sheet with {n} diagrams\n"
    assert sorted(p.name for p in (tmp_path / "sheets/visual_search").iterdir()) == ["sheet.html"]


def test_practice_walkthrough(run, tmp_path):
    """The README's walk-through: start from a case study, change it, quiz, check, reveal, sheet."""
    assert run("new", "my_search", "--from", "visual_search", "--extends").exit_code == 0
    Path("my_search.yaml").write_text(
        "id: my_search\n"
        "extends: visual_search\n"
        "diagrams:\n"
        "  system:\n"
        "    nodes:\n"
        "      nn: {label: ANN service, kind: service}\n"
        "      cache: {label: Embedding cache, kind: store}\n"
        "    edges: [nn -> cache, nn -> results]\n"
        "    remove: {nodes: [rerank]}\n", encoding="utf-8")
    for args in (("quiz", "my_search.yaml", "--seed", "1", "-f", "svg"),
                 ("reveal", "my_search.yaml", "-d", "system", "-f", "svg"),
                 ("sheet", "my_search.yaml", "--format", "md")):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (0, ""), args
    result = run("check", "my_search.yaml", "--against", "visual_search", "-f", "png")
    assert result.exit_code == 0
    assert "    rerank: 'Re-ranking service'" in result.stdout
    assert "    cache: 'Embedding cache'" in result.stdout
    assert Path("output/my_search/check/system.png").is_file()


def test_quiz_says_when_it_blanked_fewer_than_asked(run, tmp_path):
    result = run("quiz", "visual_search", "-d", "system", "--blank", "20", "--seed", "5", "-f", "svg")
    assert result.exit_code == 0, result.stderr
    n = sum(1 for node in load("visual_search").diagrams["system"].nodes.values() if node.kind != "note")
    assert result.stdout.startswith(f"visual_search/system: {n} blanks (every component it has; 20 asked); ")


def test_new_points_editors_at_the_installed_schema(run, tmp_path):
    assert run("new", "my_search", "--from", "visual_search").exit_code == 0
    first = (tmp_path / "my_search.yaml").read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://") and first.endswith("/spec.schema.json")
    schema = Path(first.split("$schema=file://", 1)[1])
    assert schema.is_file() and '"title": "mlsd-diagrams spec"' in schema.read_text()
    assert run("validate", "my_search.yaml").exit_code == 0
