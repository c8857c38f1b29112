"""check understands a learner's own design: their ids, their words, matched by label, kind and structure.

The designs in tests/designs/ were written for these tests, as learners write them: every id of their own.
"""

from pathlib import Path

import pytest

from mlsd_diagrams import load
from mlsd_diagrams.core.assignment import best_assignment
from mlsd_diagrams.practice.check import compare

DESIGNS = Path(__file__).parent / "designs"
REFERENCE = load("visual_search")


def check(name: str):
    report = compare(load(str(DESIGNS / f"{name}.yaml")), REFERENCE)
    assert len(report.diagrams) == 1
    return report.diagrams[0]


def test_a_renamed_and_reworded_design_scores_as_the_same_design():
    c = check("renamed_search")
    assert (c.mine.id, c.ref.id) == ("serving", "system")  # paired by what it answers, not by id
    assert c.node_recall >= 0.9 and c.node_precision >= 0.9
    assert c.edge_recall >= 0.85 and c.edge_precision >= 0.85
    pairs = {m.mine: m.ref for m in c.matches}
    assert pairs["ann"] == "nn" and pairs["vectors"] == "index" and pairs["reranker"] == "rerank"
    assert pairs["blobs"] == "object_storage" and pairs["batch_embed"] == "indexing" and pairs["cnn"] == "model"


def test_every_match_says_why():
    c = check("renamed_search")
    why = {m.mine: m.why for m in c.matches}
    assert "synonym" in why["vectors"] and "same kind" in why["vectors"]
    assert any(w.startswith("same neighbours") for w in why["uploads"])  # 'Fresh uploads': placed, not named
    text = compare(load(str(DESIGNS / "renamed_search.yaml")), REFERENCE).text()
    assert "    reranker    = rerank: 'Reranker' = 'Re-ranking service': similar label" in text


def test_one_component_really_missing_is_reported_as_exactly_that():
    c = check("one_missing")
    assert c.missing == ["rerank"] and c.extra == []
    assert [e.key for e in c.missing_edges] == [("rerank", "results")]


def test_a_different_system_scores_low():
    c = check("ride_eta")
    assert c.node_recall <= 0.3 and c.edge_recall <= 0.3


@pytest.mark.parametrize("other", ["people_you_may_know", "event_recommendation", "street_view_blurring"])
def test_unrelated_bundled_designs_score_low_against_visual_search(other):
    from mlsd_diagrams.practice.check import compare_diagrams

    c = compare_diagrams(load(other).diagrams["system"], REFERENCE.diagrams["system"])
    assert c.node_recall <= 0.3


def test_best_assignment_is_optimal():
    """Against every permutation of small random matrices."""
    import itertools
    import random

    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        m = [[rng.choice([0.0, 0.1, 0.5, 0.7, 1.0, rng.random()]) for _ in range(cols)] for _ in range(rows)]
        pairs = best_assignment(m)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs}) == min(rows, cols)
        best = max(sum(m[i][j] for i, j in zip(r, c, strict=False))
                   for r in itertools.permutations(range(rows), min(rows, cols))
                   for c in itertools.permutations(range(cols), min(rows, cols)))
        assert abs(sum(m[i][j] for i, j in pairs) - best) < 1e-9
