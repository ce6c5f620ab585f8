"""The database backend's full-text match can use an index on PostgreSQL (search migration
0005): Wagtail matches `(title || body) @@ query`, which its own indexes on title and on
body apart cannot serve, so without this every search read every entry. The backend's own
match on PostgreSQL (search/backends/full_text.py) finds what Wagtail's does, through that
index, ranking each concept once."""

import re

import pytest
from django.db import DatabaseError, connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend

from knowledgebase.taxonomy import InnovationType, Theme
from search.backends import database, full_text
from search.backends.database import DatabaseBackend, among, labelled_with
from search.documents import public_case_studies
from search.synonyms import concepts
from search.vocabulary import vocabulary_cache

pytestmark = pytest.mark.integration

INDEX = "px_indexentry_title_body_gin"


def test_wagtails_match_on_postgresql_uses_the_title_and_body_index(db):
    assert connection.vendor == "postgresql"
    with CaptureQueriesContext(connection) as captured:
        ids = list(
            get_search_backend()
            .search("hydration", public_case_studies())[:10]
            .get_queryset()
            .values_list("pk", flat=True)
        )
    assert ids, "the demo content has hydration practice"
    matches = [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]
    assert (
        matches
        and '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body")'
        in matches[0]
    )
    with connection.cursor() as cursor:
        # 40 demo entries are read faster without an index; forbid that (and the other
        # indexes' full scans), to see whether one serves that expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM wagtailsearch_indexentry "
            "WHERE (title || body) @@ to_tsquery('english', 'hydrat')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEX in plan, plan


def test_postgresql_prices_index_reads_as_ssds_do(db):
    """Its default random_page_cost (4, a spinning disk's) made PostgreSQL read every entry
    rather than use that index for a word in a third of the case studies."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)


CONCEPTS = [
    ["hydration", "hydrated", "drinks"],
    ["end of life care", "palliative care"],
    ["falls", "fall"],
    ["staff"],
    ["no such word anywhere"],
]


@pytest.mark.parametrize("terms", CONCEPTS, ids=lambda terms: terms[0])
def test_the_backends_own_match_finds_what_wagtails_does(db, terms):
    pool = public_case_studies()
    pool_ids = set(pool.values_list("pk", flat=True))
    wagtails = full_text._wagtail_search(pool, terms).get_queryset().values_list("pk", flat=True)
    expected = set(wagtails)
    assert bool(expected) == (terms != CONCEPTS[-1])
    assert full_text.matches(pool, pool_ids, terms) == expected
    ranked = full_text.best_first(pool, pool_ids, terms, depth=1000)
    assert len(ranked) == len(expected) and set(ranked) == expected
    assert full_text.best_first(pool, pool_ids, terms, depth=2) == ranked[:2]


def test_a_title_match_ranks_above_a_body_match(db):
    pool = public_case_studies()
    pool_ids = set(pool.values_list("pk", flat=True))
    ranked = full_text.best_first(pool, pool_ids, ["falls", "fall"], depth=100)
    titles = dict(pool.filter(pk__in=ranked).values_list("pk", "title"))
    in_title = [pk for pk in ranked if re.search(r"\bfalls?\b", titles[pk].lower())]
    assert in_title and len(in_title) < len(ranked), "the demo has both kinds"
    assert ranked[: len(in_title)] == in_title


def test_the_backends_own_match_is_kept_to_the_pool(db):
    pool = public_case_studies()
    everything = set(pool.values_list("pk", flat=True))
    hydration = full_text.matches(pool, everything, ["hydration"])
    assert hydration
    kept = set(list(hydration)[:1])
    assert full_text.matches(pool, kept, ["hydration"]) == kept
    assert full_text.best_first(pool, kept, ["hydration"], depth=10) == list(kept)


def test_the_backends_own_match_is_answered_by_the_index(db):
    """The planner counts `title || body` as free: left to itself it read every entry (or
    walked the content type's index), testing each body, for a word in most entries."""
    pool = public_case_studies()
    pool_ids = set(pool.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        full_text.matches(pool, pool_ids, ["staff"])
        full_text.best_first(pool, pool_ids, ["staff"], depth=10)
    statements = [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]
    assert len(statements) == 2
    for sql in statements:
        with full_text._planned_on_the_index(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert INDEX in plan and "Seq Scan" not in plan and "content_type" not in plan, plan


def test_the_planner_settings_are_put_back(db):
    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
                " current_setting('jit')"
            )
            return cursor.fetchone()

    before = settings()
    assert "off" not in before[:2]
    pool = public_case_studies()
    full_text.matches(pool, set(pool.values_list("pk", flat=True)), ["falls"])
    assert settings() == before  # inside the test's own transaction, which goes on


def test_the_ids_of_a_search_go_to_postgresql_as_one_array(db):
    """A search's facet counts are eight statements over its matches: bound one parameter an
    id, 10,000 ids cost 15 ms a statement."""
    pool = public_case_studies()
    ids = set(list(pool.values_list("pk", flat=True))[::3])
    with CaptureQueriesContext(connection) as captured:
        kept = set(among(pool, ids).values_list("pk", flat=True))
    assert kept == ids
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert " = ANY(" in sql
    assert set(among(pool, set()).values_list("pk", flat=True)) == set()


def test_a_failed_statement_shows_its_own_error_and_leaves_the_settings(db):
    """Put back after a failure, the settings' own statement would fail in the aborted
    transaction and hide the error; the savepoint's rollback undoes them instead."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        (before,) = cursor.fetchone()
        with (
            pytest.raises(DatabaseError, match="division by zero"),
            full_text._planned_on_the_index(),
        ):
            cursor.execute("SELECT 1 / 0")
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == (before,)


def test_case_studies_tagged_with_a_label_are_found_through_the_join_tables(db):
    pool = public_case_studies()
    for term in ("falls", "dementia", "digital", "no such label"):
        label = Q(label__icontains=term)
        expected = set(
            pool.filter(
                Q(themes__in=Theme.objects.filter(label))
                | Q(innovation_types__in=InnovationType.objects.filter(label))
            ).values_list("pk", flat=True)
        )
        assert set(labelled_with(pool, (term,))) == expected, term
    assert set(labelled_with(pool, ("digital",))), "the demo has digital innovation"


@pytest.mark.parametrize(
    "setting, value", [("RANK_DEPTH", 1), ("NEGLIGIBLE_WEIGHT", 100.0)], ids=["depth", "unranked"]
)
def test_every_match_of_a_concept_counts_ranked_or_not(db, monkeypatch, setting, value):
    """Beyond the ranked depth, and for a concept in nearly every case study, a match still
    counts, as on Elasticsearch (the fallback once dropped what it did not rank)."""
    pool = public_case_studies()
    pool_ids = set(pool.values_list("pk", flat=True))
    vocabulary = vocabulary_cache.current()
    (concept,) = concepts("falls")
    terms = [*concept, *vocabulary.forms(concept[0])]  # as lexical_ranking asks
    falls = full_text.matches(pool, pool_ids, terms) | set(labelled_with(pool, concept))
    assert len(falls) > 1
    monkeypatch.setattr(database, setting, value)
    ranking = DatabaseBackend().lexical_ranking("falls", pool, pool_ids, vocabulary)
    assert set(ranking) == falls
