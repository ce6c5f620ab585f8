"""The relevance test set: queries in a manager's own words, and what should come first.

Thresholds sit a little under the figures measured when they were set, so a change that
makes search worse fails here; the figures themselves print with -s.
"""

import pytest

from search.evaluation import DEVELOPMENT_JUDGEMENTS, evaluate, load, ndcg_at_k

MINIMUM_NDCG = {"elasticsearch": 0.85, "database": 0.82}


def test_ndcg_arithmetic():
    judged = {"a": 3, "b": 1}
    assert ndcg_at_k(["a", "b"], judged) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a"], judged) < 1.0
    assert ndcg_at_k(["x", "y"], judged) == 0.0


def test_relevance_set_ndcg(backend):
    mean, scores, backend_names = evaluate(load(DEVELOPMENT_JUDGEMENTS))
    assert backend_names == {backend}
    worst = sorted(scores, key=lambda s: s.ndcg)[:5]
    print(
        f"\nnDCG@10 ({backend}): {mean:.3f} over {len(scores)} queries; weakest: "
        + "; ".join(f"{s.query!r} {s.ndcg:.2f}" for s in worst)
    )
    assert mean >= MINIMUM_NDCG[backend]
