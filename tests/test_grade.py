"""mlsd-diagrams grade: a learner's spec scored on the seven steps against a reference."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd_diagrams.cli.grade_cmd import grade_cmd
from mlsd_diagrams.practice.grade import grade, head, held
from mlsd_diagrams.spec import load

MY_SEARCH = str(Path(__file__).parent / "grade" / "my_search.yaml")


@pytest.fixture(scope="module")
def report():
    return grade(load(MY_SEARCH), load("visual_search"))


def statuses(report, step):
    [s] = [s for s in report.steps if s.step == step]
    return {p.expected: p.status for p in s.points}


def test_text_is_compared_in_words_and_synonyms_not_strings():
    assert held("Approximate nearest neighbours", "ANN") == 1.0
    assert held("Click-through rate", "CTR") == 1.0
    assert held("Use image pixels only", "Model registry") == 0.0


def test_head_is_the_point_before_its_detail():
    assert head("nDCG (chosen - the evaluation set has 0-5 similarity scores)") == "nDCG"
    assert head("Preprocess each image - resize (e.g. 224x224)") == "Preprocess each image"


def test_framing_in_your_own_words_is_covered(report):
    assert set(statuses(report, "framing").values()) == {"covered"}


def test_a_metric_named_without_the_references_explanation_counts(report):
    got = statuses(report, "evaluation")
    assert got["offline: nDCG (chosen - the evaluation set has 0-5 similarity scores)"] == "covered"
    assert got["online: CTR on suggested images"] == "covered"  # 'Click-through rate' in yours
    assert got["offline: recall@k"] == "missing"


def test_what_you_left_out_is_missing(report):
    assert statuses(report, "requirements")["Training data may be built online from user interactions"] == "missing"
    assert statuses(report, "data")["Preprocess each image - resize (e.g. 224x224), scale pixels to 0-1, z-score "
                                    "normalise, one colour mode"] == "covered"


def test_serving_uses_check_to_pair_components(report):
    got = statuses(report, "serving")
    assert got["Nearest neighbor service"] == "covered"  # your 'ANN service'
    assert got["Index table"] == "covered"  # your 'Vector DB'
    assert got["Re-ranking service"] == "missing"
    [serving] = [s for s in report.steps if s.step == "serving"]
    assert serving.score == pytest.approx(0.75 * 7 / 11 + 0.25 * 5 / 11)


def test_monitoring_is_graded_against_the_books_checklist(report):
    got = statuses(report, "monitoring")
    assert len(got) == 4 and set(got.values()) == {"missing"}  # visual_search itself leaves monitoring out
    assert any(e.startswith("Operation-related metrics") for e in got)


def test_the_reference_against_itself_scores_full_marks_except_what_it_leaves_out():
    ref = load("visual_search")
    scores = {s.step: s.score for s in grade(ref, ref).steps}
    assert scores == {"requirements": 1.0, "framing": 1.0, "data": 1.0, "model": 1.0, "evaluation": 1.0,
                      "serving": 1.0, "monitoring": 0.0}
    assert grade(ref, ref).score == 85  # six of seven steps, rounded down


def test_a_design_with_no_framework_scores_only_its_diagram(tmp_path):
    path = tmp_path / "bare.yaml"
    text = Path(MY_SEARCH).read_text()
    path.write_text("id: bare\ntitle: Bare\n" + text[text.index("diagrams:"):])
    scores = {s.step: s.score for s in grade(load(str(path)), load("visual_search")).steps}
    assert scores["requirements"] == scores["data"] == scores["evaluation"] == 0.0
    assert scores["serving"] > 0.5


def test_overall_is_the_mean_of_the_steps_rounded_down(report):
    mean = sum(s.score for s in report.steps) / 7
    assert report.score == int(100 * mean)


def test_the_grade_is_deterministic():
    a = grade(load(MY_SEARCH), load("visual_search")).render("text")
    b = grade(load(MY_SEARCH), load("visual_search")).render("text")
    assert a == b


def test_markdown_and_html_hold_the_tables_and_escape_spec_text(report):
    md = report.render("md")
    assert f"**Overall: {report.score}/100**" in md
    assert "| missing | Re-ranking service | - |" in md
    page = report.render("html")
    assert page.startswith("<!DOCTYPE html>") and f"Overall: {report.score}/100" in page
    assert '<td class="missing">missing</td><td>Re-ranking service</td>' in page
    assert "recall@k" in page and "<script" not in page


# --- the command -------------------------------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(grade_cmd, [str(a) for a in args], catch_exceptions=False)


def test_cli_prints_a_table_per_step_and_the_overall_score(report):
    result = invoke(MY_SEARCH, "--against", "visual_search")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Grading {MY_SEARCH} against visual_search (Visual Search System)"
    assert "6. Deployment and serving: 59% (7 of 12 covered)" in lines
    assert "   missing  Re-ranking service                                           -" in lines
    assert lines[-1] == f"Overall: {report.score}/100"


@pytest.mark.parametrize("fmt, start", [("md", "# Grade: "), ("html", "<!DOCTYPE html>")])
def test_cli_formats(fmt, start):
    result = invoke(MY_SEARCH, "--against", "visual_search", "--format", fmt)
    assert result.exit_code == 0 and result.stdout.startswith(start)


def test_cli_rejects_an_unknown_format():
    result = invoke(MY_SEARCH, "--against", "visual_search", "--format", "pdf")
    assert result.exit_code == 2 and "'pdf' is not one of 'text', 'md', 'html'" in result.stderr


def test_cli_help_has_an_example():
    assert "Example:\n    mlsd-diagrams grade my_search.yaml --against visual_search" in invoke("--help").stdout
