"""Hybrid ranking: the lexical ranking and the semantic one, fused by reciprocal rank.

Reciprocal rank fusion (Cormack et al., 2009) adds 1 / (k + rank) over the rankings a
result appears in. It needs no common scale between BM25 (or a database's ts_rank) and
cosine similarity, which is why both backends can share it. The searcher's own service
type, when given, multiplies the fused score: a boost, never a filter.
"""

RRF_K = 60
SERVICE_TYPE_BOOST = 1.5
RANKINGS = ("fused", "lexical", "semantic")


def fuse(
    lexical_ids,
    semantic_ids,
    boosted=frozenset(),
    boost=SERVICE_TYPE_BOOST,
    demoted=frozenset(),
    stale=frozenset(),
):
    """Page ids, best first, from two rankings (each best first) of the same result set.

    Demoted ids (practice whose provider's rating dropped) come after all the others; before
    them, stale ids (not recently reviewed: more than the grace period past their review
    date) come after the reviewed ones."""
    scores = {}
    for ranking in (lexical_ids, semantic_ids):
        for rank, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (RRF_K + rank)
    order = {pk: n for n, pk in enumerate([*lexical_ids, *semantic_ids])}
    return sorted(
        scores,
        key=lambda pk: (
            pk in demoted,
            pk in stale,
            -(scores[pk] * (boost if pk in boosted else 1.0)),
            order[pk],
        ),
    )


def priority_weights(count):
    """Weights whose sums order by the priorities met, first priority strongest: 2**n ... 2."""
    return [2 ** (count - i) for i in range(count)]
