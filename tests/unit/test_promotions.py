"""Promoted results (Wagtail's search promotions): first on the search page and in the API,
marked, once, and only live public case studies whose rating has not dropped."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from knowledgebase.case_studies import CaseStudyPage
from search.promotions import promoted_page_ids
from tests.conftest import OTHER_TOPIC, make_record, other_topic_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(importer, database_search):
    importer(
        [
            make_record(1, title="Hydration rounds at night"),
            make_record(2, title="Hydration stations in the lounge"),
            other_topic_record(3),
            make_record(4, title="Hydration practice whose rating dropped"),
            make_record(5, title="Hydration practice since unpublished"),
            make_record(6, title="Hydration practice behind a login"),
        ]
    )
    by_number = {page.external_id[-1]: page for page in CaseStudyPage.objects.all()}
    CaseStudyPage.objects.filter(pk=by_number["4"].pk).update(rating_dropped=True)
    by_number["5"].unpublish()
    PageViewRestriction.objects.create(page=by_number["6"], restriction_type="login")
    return by_number


def promote(words, *pages):
    query = Query.get(words)
    for order, page in enumerate(pages):
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)


def api(client, **params):
    return client.get("/api/search/", params).json()


def test_the_api_puts_promoted_case_studies_first_and_once(client, pages):
    organic = [r["title"] for r in api(client, q="hydration")["results"]]
    # Promote the second organic result (the order of equal scores differs between SQLite
    # and PostgreSQL; practice whose rating dropped is always last, so never this one).
    second = next(page for page in pages.values() if page.title == organic[1])
    promote("Hydration", second, pages["3"])
    body = api(client, q="  HYDRATION ")
    titles = [r["title"] for r in body["results"]]
    assert titles[:2] == [organic[1], OTHER_TOPIC]
    assert titles.count(organic[1]) == 1
    assert [r["promoted"] for r in body["results"]] == [True, True] + [False] * (len(titles) - 2)
    # A promoted case study the words do not find is one more result shown.
    assert body["count"] == len(titles) == len(organic) + (titles[1] not in organic)


def test_only_live_public_case_studies_whose_rating_holds_are_promoted(client, pages):
    promote("hydration", pages["4"], pages["5"], pages["6"], pages["1"])
    assert promoted_page_ids("hydration") == [pages[n].pk for n in "4561"]
    results = api(client, q="hydration")["results"]
    promoted = [r["title"] for r in results if r["promoted"]]
    assert promoted == ["Hydration rounds at night"]
    titles = [r["title"] for r in results]
    assert "Hydration practice since unpublished" not in titles
    assert "Hydration practice behind a login" not in titles


def test_promotions_follow_the_filters_and_stay_on_the_first_page(client, pages):
    promote("hydration", pages["3"])
    assert api(client, q="hydration", theme="falls-prevention")["results"][0]["promoted"] is False
    assert api(client, q="hydration", theme="dementia-care")["results"][0]["promoted"] is True
    second = api(client, q="hydration", page_size=1, page=2)["results"]
    assert all(not r["promoted"] for r in second)
    # Other words, and browsing without words, have no promotions.
    assert not any(r["promoted"] for r in api(client, q="choir")["results"][1:])
    assert not any(r["promoted"] for r in api(client)["results"])


def test_the_search_page_marks_promoted_results(client, pages):
    promote("hydration", pages["3"])
    html = client.get("/search/?q=hydration").content.decode()
    first_result = html.index('<li class="result')
    label = html.index(">Promoted<")
    music = html.index(OTHER_TOPIC)
    assert first_result < label < music < html.index("Hydration rounds at night")
    assert html.count(OTHER_TOPIC) == 1
    assert 'class="result result--promoted"' in html
    assert 'aria-describedby="promoted-' in html
    unpromoted = client.get("/search/?q=lounge").content.decode()
    assert ">Promoted<" not in unpromoted


def test_the_openapi_description_has_the_promoted_flag(client):
    spec = client.get("/api/search/openapi.json").json()
    result = spec["components"]["schemas"]["Result"]
    assert "promoted" in result["required"]
    assert result["properties"]["promoted"]["type"] == "boolean"


@pytest.mark.parametrize(
    "group, allowed", [("Curators", True), ("Moderators", True), ("Contributors", False)]
)
def test_curators_and_moderators_may_promote_results(client, group, allowed):
    user = User.objects.create_user("someone", password="pw")
    user.groups.add(Group.objects.get(name=group))
    assert user.has_perm("wagtailsearchpromotions.add_searchpromotion") is allowed
    client.force_login(user)
    response = client.get(reverse("wagtailsearchpromotions:add"))
    assert response.status_code == (200 if allowed else 302)
