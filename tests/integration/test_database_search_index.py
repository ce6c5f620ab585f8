"""The database backend's full-text match can use an index on PostgreSQL (search migration
0005): Wagtail matches `(title || body) @@ query`, which its own indexes on title and on
body apart cannot serve, so without this every search read every entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend

from search.documents import public_case_studies

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
