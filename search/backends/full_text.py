"""The database backend's word matching: which case studies match any of a concept's terms
(a word or phrase, its synonyms and its other forms), and the best of them first.

Through Wagtail's search API on every database, except PostgreSQL, which has a path of its
own beside it, for two costs measured at 10,000 case studies:

- Wagtail's `Or` ranks each alternative on its own (`ts_rank` on the title and on the body
  for each term, then their mean): "staff retention" with its synonyms cost 22 `ts_rank`
  calls a matching row. Here the terms are one tsquery (`plainto_tsquery(a) ||
  plainto_tsquery(b) ...`), ranked once on the title and once on the body, with Wagtail's
  weights and title norm.
- PostgreSQL's planner counts concatenating two tsvectors (`title || body`, what Wagtail
  matches) as free. For a word in a third of the case studies or more it read every
  entry's body (compressed, about 3 KB) and concatenated it, or walked the content type's
  index doing the same, where the GIN index on that expression answers at once: 115 ms
  against 4 for "staff". So the index entries are asked on their own, in a statement
  planned to use that index, and the answer is kept to the pool's ids in Python.
"""

from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from modelsearch.backends import get_search_backend
from modelsearch.backends.database.postgres.weights import get_sql_weights
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry  # the entries Wagtail's search backend writes
from wagtail.search.query import Or, PlainText

# `pool` and `pool_ids` are the same case studies, as a queryset and as its ids: Wagtail's
# search is restricted by the one, PostgreSQL's path by the other (read once a search).


def matches(pool, pool_ids, terms):
    """The ids of the case studies in `pool` (whose ids are `pool_ids`) matching any term."""
    if connection.vendor != "postgresql":
        found = _wagtail_search(pool, terms, order_by_relevance=False).get_queryset()
        return set(found.values_list("pk", flat=True))
    with _planned_on_the_index():
        found = _matching_entries(pool).values_list("_page", flat=True)
        return set(found.filter(_vector=_tsquery(terms))) & pool_ids


def best_first(pool, pool_ids, terms, depth):
    """The ids of the best `depth` case studies in `pool` matching any term, best first."""
    if connection.vendor != "postgresql":
        # Best first, whatever the engine's score scale (SQLite's bm25 is negative): the ids
        # alone (a page object each cost more than the search).
        results = _wagtail_search(pool, terms)[:depth]
        return list(results.get_queryset().values_list("pk", flat=True))
    query, weights = _tsquery(terms), get_sql_weights()
    rank = SearchRank(F("title"), query, weights=weights) * F("title_norm")
    rank += SearchRank(F("body"), query, weights=weights)
    with _planned_on_the_index():
        rows = _matching_entries(pool).filter(_vector=query).values_list(rank, "_page")
        ranked = [(score, pk) for score, pk in rows if pk in pool_ids]
    ranked.sort(reverse=True)  # ties: the newer page first, as Wagtail orders them
    return [pk for _, pk in ranked[:depth]]


def _wagtail_search(pool, terms, order_by_relevance=True):
    query = Or([PlainText(t, operator="and") for t in terms])
    return get_search_backend().search(query, pool, order_by_relevance=order_by_relevance)


def _tsquery(terms):
    # "plain": a term's words ANDed after stemming and stop words, as PlainText "and" does
    config = get_search_backend().config
    return reduce(or_, (SearchQuery(t, search_type="plain", config=config) for t in terms))


def _matching_entries(pool):
    """Every index entry, of any model, with `_vector` to match and `_page`, the id of the
    case study it is (None for any other model's). Asked for by content type, the entries
    were read through that column's index, each one's body tested (see the docstring)."""
    content_types = get_descendants_content_types_pks(pool.model)
    return IndexEntry.objects.annotate(
        # `title || body` written as Wagtail writes it, so that its expression index answers
        _vector=CombinedExpression(F("title"), "||", F("body")),
        _page=Case(When(content_type_id__in=content_types, then=Cast("object_id", IntegerField()))),
    )


@contextmanager
def _planned_on_the_index():
    """Plan the statement inside with a bitmap scan, which the GIN index answers, not a
    sequential scan or an index scan that tests each entry (see the module's docstring), and
    without JIT compilation, which the disabled plans' costs would otherwise set off (110 ms
    compiling). The settings are local to a savepoint: put back as they were afterwards, in
    a transaction that goes on, and undone with the savepoint if the statement fails (a
    statement put back after a failure would itself fail and hide the error)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
            " current_setting('jit'), set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true)"
        )
        previous = cursor.fetchone()[:3]
        yield
        cursor.execute(
            "SELECT set_config('enable_seqscan', %s, true),"
            " set_config('enable_indexscan', %s, true), set_config('jit', %s, true)",
            previous,
        )
