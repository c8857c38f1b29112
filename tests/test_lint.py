"""mlsd-diagrams lint: ML design rules from the book's framework, over a loaded spec."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd_diagrams.catalog import bundled_ids
from mlsd_diagrams.cli.lint_cmd import lint_cmd
from mlsd_diagrams.core.errors import Pos
from mlsd_diagrams.lint import RULES, lint, lint_target
from mlsd_diagrams.lint.roles import node_role, roles
from mlsd_diagrams.spec import load, validate
from mlsd_diagrams.spec.model import Node
from mlsd_diagrams.vocabulary import LINT_RULES

FIXTURES = Path(__file__).parent / "lint"
POS = Pos("t.yaml", 1, 1)


def fixture(rule_id: str, outcome: str) -> str:
    return str(FIXTURES / f"{rule_id.replace('-', '_')}_{outcome}.yaml")


def rule_ids(problems) -> list[str]:
    return [re.match(r"\[([a-z-]+)\]", p.message).group(1) for p in problems]


def test_the_registry_is_the_closed_vocabulary():
    assert sorted(RULES) == sorted(LINT_RULES)


@pytest.mark.parametrize("rule_id", LINT_RULES)
def test_rule_has_a_chapter_a_summary_and_a_message_naming_the_chapter(rule_id):
    r = RULES[rule_id]
    assert re.fullmatch(r"ch\. [1-9][0-9]?", r.chapter)
    assert r.summary
    [problem] = lint_target(fixture(rule_id, "fail"))
    assert problem.message.startswith(f"[{rule_id}] ") and problem.message.endswith(f"({r.chapter})")
    assert problem.severity == r.severity


@pytest.mark.parametrize("rule_id", LINT_RULES)
def test_failing_fixture_breaks_exactly_its_rule(rule_id):
    assert validate(fixture(rule_id, "fail")) == []  # well formed: only the design is wrong
    assert rule_ids(lint_target(fixture(rule_id, "fail"))) == [rule_id]


@pytest.mark.parametrize("rule_id", LINT_RULES)
def test_passing_fixture_is_clean(rule_id):
    assert validate(fixture(rule_id, "pass")) == []
    assert lint_target(fixture(rule_id, "pass")) == []


@pytest.mark.parametrize("spec_id", bundled_ids())
def test_bundled_spec_lints_clean(spec_id):
    assert lint(load(spec_id)) == []


@pytest.mark.parametrize("spec_id, diagram_id, rule_id", [
    ("event_recommendation", "system", "recommendation-without-rerank"),
    ("harmful_content_detection", "system", "online-features-without-store"),
    ("people_you_may_know", "generation", "online-features-without-store"),
])
def test_a_bundled_silence_hides_a_real_finding(spec_id, diagram_id, rule_id):
    """Each silenced rule would fire without its diagram's lint key: the silences are not stale."""
    from dataclasses import replace

    spec = load(spec_id)
    assert spec.diagrams[diagram_id].lint.ignore == (rule_id,)
    unsilenced = replace(spec, diagrams={**spec.diagrams, diagram_id: replace(spec.diagrams[diagram_id], lint=None)})
    assert rule_ids(lint(unsilenced)) == [rule_id]


def test_spec_level_ignore_silences_every_diagram(tmp_path):
    text = Path(fixture("ranking-without-retrieval", "fail")).read_text()
    path = tmp_path / "quiet.yaml"
    path.write_text(text.replace("id: ranking_without_retrieval_fail", "id: quiet\n"
                                 "lint: {ignore: [ranking-without-retrieval]}"))
    assert lint_target(str(path)) == []


def test_diagram_level_ignore_silences_only_that_diagram(tmp_path):
    text = Path(fixture("ranking-without-retrieval", "fail")).read_text()
    system = text[text.index("  system:"):]
    second = system.replace("  system:", "  other:").replace("    step: serving", "    step: serving\n"
                                                             "    lint: {ignore: [ranking-without-retrieval]}")
    path = tmp_path / "two.yaml"
    path.write_text(text.replace("id: ranking_without_retrieval_fail", "id: two") + second)
    [problem] = lint_target(str(path))
    assert problem.pos.line == 13  # the first diagram's ranking node, not the silenced copy


def test_an_unknown_rule_id_is_a_spec_error_with_a_suggestion(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("id: typo\ntitle: T\nlint: {ignore: [no-monitor]}\n"
                    "diagrams:\n  d:\n    title: D\n    nodes:\n      a: {label: A, kind: service}\n")
    [problem] = lint_target(str(path))
    assert problem.is_error and "unknown lint rule 'no-monitor'" in problem.message
    assert "did you mean 'no-monitoring'?" in problem.message


@pytest.mark.parametrize("label, kind, role", [
    ("Candidate generation service", "service", "retrieval"),
    ("ANN service", "service", "nn-search"),
    ("Vector DB", "store", "index"),
    ("Indexed video embeddings", "store", "index"),
    ("Batch embedding job", "service", "indexer"),
    ("Scoring service", "service", "ranking"),
    ("Re-ranking service (user filters)", "service", "reranking"),
    ("Feature DB", "store", "feature-store"),
    ("Online feature computation", "service", "features"),
    ("Fine-tune model", "step", "training"),
    ("Human labels for future training", "store", "training-data"),
    ("Click stream", "queue", "interactions"),
    ("Drift dashboard", "service", "monitoring"),
    ("Trained model", "model", None),
])
def test_roles_are_inferred_from_labels_and_kinds(label, kind, role):
    assert node_role(Node(id="n", pos=POS, label=label, kind=kind)) == role


def test_a_role_key_overrides_the_label():
    assert node_role(Node(id="n", pos=POS, label="Brain", kind="service", role="ranking")) == "ranking"
    assert node_role(Node(id="n", pos=POS, label="Ranking service", kind="service", role="none")) is None


def test_an_edge_of_candidates_into_a_ranker_makes_its_source_retrieval():
    found = roles(load("people_you_may_know").diagrams["system"])
    assert found["fof"] == "retrieval" and found["scoring"] == "ranking"


# --- the command -------------------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(lint_cmd, [str(a) for a in args], catch_exceptions=False)


def test_cli_prints_file_line_col_and_exits_0_on_warnings():
    path = fixture("ranking-without-retrieval", "fail")
    result = invoke(path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{path}:13:7: warning: [ranking-without-retrieval] 'ranking' ranks with no candidate generation or "
        "retrieval stage before it; a heavy ranker cannot score a large corpus per request, so narrow it to "
        "hundreds or thousands of candidates first (ch. 6)",
        "1 spec linted: 0 errors, 1 warning",
    ]
    assert result.stdout == ""


def test_cli_strict_makes_warnings_fail():
    assert invoke(fixture("no-monitoring", "fail"), "--strict").exit_code == 1


def test_cli_exits_1_on_an_error_rule():
    result = invoke(fixture("nn-without-index", "fail"))
    assert result.exit_code == 1
    assert ": error: [nn-without-index] " in result.stderr


def test_cli_clean_specs_exit_0_with_a_summary():
    result = invoke("visual_search", fixture("model-without-loss", "pass"))
    assert result.exit_code == 0
    assert result.stdout == "2 specs linted: 0 errors, 0 warnings\n"
    assert result.stderr == ""


def test_cli_a_spec_that_does_not_load_exits_1_with_its_errors(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\ntitle: B\ndiagrams:\n  d:\n    title: D\n    nodes:\n"
                    "      a: {label: A, kind: stor}\n")
    result = invoke(path)
    assert result.exit_code == 1
    assert "unknown kind 'stor'" in result.stderr
    assert result.stderr.endswith("1 spec linted: 1 error, 0 warnings\n")


def test_cli_help_has_an_example():
    assert "Example:\n    mlsd-diagrams lint specs/*.yaml" in invoke("--help").stdout
