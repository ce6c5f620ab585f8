"""Promoted results come first, marked and once, on the real Elasticsearch as on
PostgreSQL's database search: search/promotions.py applies them after either backend."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from knowledgebase.case_studies import CaseStudyPage
from tests.conftest import OTHER_TOPIC


@pytest.fixture
def engine(hydration_practice):
    """The hydration practice on either backend, and promotions for "hydration": two that
    may show (the other topic's case study and 0002) and two that may not (rating dropped,
    unpublished)."""
    query = Query.get("hydration")
    for order, number in enumerate((3, 4, 5, 2)):
        page = CaseStudyPage.objects.get(external_id=f"cs-test-{number:04d}")
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)
    return hydration_practice


def test_the_api_shows_promoted_results_first_on_the_backend(client, engine):
    body = client.get("/api/search/", {"q": "Hydration", "page_size": 50}).json()
    assert body["backend"] == engine
    titles = [r["title"] for r in body["results"]]
    assert titles[:2] == [OTHER_TOPIC, "Hydration stations in the lounge"]
    assert [r["promoted"] for r in body["results"][:3]] == [True, True, False]
    assert titles.count("Hydration stations in the lounge") == 1
    assert "Hydration rounds at night" in titles[2:]
    assert "Hydration practice whose rating dropped" not in titles[:2]
    assert "Hydration practice since unpublished" not in titles


def test_the_search_page_marks_them_on_the_backend(client, engine):
    response = client.get("/search/", {"q": "hydration"})
    assert response.context["results"].backend == engine
    html = response.content.decode()
    assert (
        html.index(">Promoted<") < html.index(OTHER_TOPIC) < html.index("Hydration rounds at night")
    )
    assert html.count(">Promoted<") == 2
