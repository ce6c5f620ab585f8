"""Promoted results come first, marked and once, on the real Elasticsearch as on
PostgreSQL's database search: search/promotions.py applies them after either backend."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from knowledgebase.case_studies import CaseStudyPage
from search.backends.elasticsearch.sync import enqueue
from tests.conftest import PROVIDER, make_record

MUSIC = "Music for people living with dementia"


@pytest.fixture(params=["elasticsearch", "database"])
def engine(request, db, importer, django_capture_on_commit_callbacks):
    """Hydration case studies on either backend (one whose provider's rating dropped, one
    unpublished after indexing), one about something else, and promotions for "hydration"."""
    name = request.param
    request.getfixturevalue("fresh_index" if name == "elasticsearch" else "database_search")
    other = {**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"}
    with django_capture_on_commit_callbacks(execute=True):
        report = importer(
            [
                make_record(1, title="Hydration rounds at night"),
                make_record(2, title="Hydration stations in the lounge", provider=other),
                make_record(3, title="Hydration practice whose rating dropped"),
                make_record(4, title="Hydration practice since unpublished"),
                make_record(
                    5,
                    title=MUSIC,
                    summary="A choir and playlists chosen with each person.",
                    challenge="People were withdrawn in the afternoons.",
                    approach="We started a weekly choir.",
                    outcomes="More people joined in.",
                    lessons="Ask families for songs.",
                    adoption="A piano and a volunteer.",
                    themes=["dementia-care"],
                ),
            ]
        )
        assert not report.errors
        flagged = CaseStudyPage.objects.filter(external_id="cs-test-0003")
        flagged.update(rating_dropped=True)
        enqueue(flagged.values_list("pk", flat=True), "test: rating dropped")
        CaseStudyPage.objects.get(external_id="cs-test-0004").unpublish()
    query = Query.get("hydration")
    for order, number in enumerate((3, 4, 5, 2)):
        page = CaseStudyPage.objects.get(external_id=f"cs-test-{number:04d}")
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)
    return name


def test_the_api_shows_promoted_results_first_on_the_backend(client, engine):
    body = client.get("/api/search/", {"q": "Hydration", "page_size": 50}).json()
    assert body["backend"] == engine
    titles = [r["title"] for r in body["results"]]
    assert titles[:2] == [MUSIC, "Hydration stations in the lounge"]
    assert [r["promoted"] for r in body["results"][:3]] == [True, True, False]
    assert titles.count("Hydration stations in the lounge") == 1
    assert "Hydration rounds at night" in titles[2:]
    assert "Hydration practice whose rating dropped" not in titles[:2]
    assert "Hydration practice since unpublished" not in titles


def test_the_search_page_marks_them_on_the_backend(client, engine):
    response = client.get("/search/", {"q": "hydration"})
    assert response.context["results"].backend == engine
    html = response.content.decode()
    assert html.index(">Promoted<") < html.index(MUSIC) < html.index("Hydration rounds at night")
    assert html.count(">Promoted<") == 2
