"""Coverage's supply grids are the same from the real Elasticsearch as from PostgreSQL's
database search, and both are the ORM's count of live public case studies."""

import pytest

from insight import coverage
from search import backends
from search.backends.elasticsearch.client import client
from search.documents import public_case_studies


def supply_on(settings, es_url=None, alias=None):
    """The supply grids as {grid slug: {(row, key question): count}, plus totals}, counted
    by Elasticsearch at es_url (under alias), or by the database without; also the backends
    that answered."""
    settings.ELASTICSEARCH_URL = es_url or ""
    if alias:
        settings.SEARCH_INDEX_ALIAS = alias
    client.cache_clear()
    backends.reset_circuit()
    supply = coverage.count_supply()
    grids = {}
    for grid in coverage.supply_grids(supply):
        counts = {
            (row.slug, kq): cell.count
            for row in grid.rows
            for (kq, _), cell in zip(grid.columns, row.cells, strict=True)
        }
        counts |= {(row.slug, "all"): row.total.count for row in grid.rows}
        counts |= {
            ("all", kq): cell.count
            for (kq, _), cell in zip(grid.columns, grid.totals.cells, strict=True)
        }
        counts["all", "all"] = grid.totals.total.count
        grids[grid.slug] = counts
    return grids, supply.backends


def test_the_supply_grids_agree_on_both_backends_and_with_the_orm(settings, db, es_url, demo_index):
    from_elasticsearch, answered = supply_on(settings, es_url, demo_index)
    assert answered == ["elasticsearch"]
    from_database, answered = supply_on(settings)
    assert answered == ["database"]
    client.cache_clear()

    assert from_elasticsearch == from_database
    themes = from_database["supply-theme"]
    questions = [kq for kq, _ in coverage.key_questions()]
    for theme in {slug for slug, _ in themes}:
        for kq in questions:
            lookups = {"key_questions__slug": kq}
            if theme != "all":
                lookups["themes__slug"] = theme
            expected = public_case_studies().filter(**lookups).distinct().count()
            assert themes[theme, kq] == expected, (theme, kq)
    assert themes["all", "all"] == public_case_studies().count() > 0
    # The demo content has gaps, and both backends show them as 0.
    assert 0 in themes.values()


@pytest.mark.parametrize("name", ["elasticsearch", "database"])
def test_the_coverage_screen_names_the_backend(admin_client, settings, es_url, demo_index, name):
    if name == "elasticsearch":
        settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX_ALIAS = es_url, demo_index
    else:
        settings.ELASTICSEARCH_URL = ""
    client.cache_clear()
    backends.reset_circuit()
    html = admin_client.get("/admin/coverage/").content.decode()
    client.cache_clear()
    assert f"counted by the {name} search service" in html
