"""Drafts, private pages and unpublished revisions never show anywhere public."""

import pytest
from wagtail.models import PageViewRestriction

from knowledgebase.case_studies import CaseStudyPage
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(importer, database_search):
    importer([make_record(n, title=f"Hydration practice {n}") for n in (1, 2, 3, 4)])
    live, draft, private, changed = CaseStudyPage.objects.order_by("external_id")
    draft.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    changed.title = "Secret unpublished revision title"
    changed.save_revision()  # a draft revision on a live page
    return live, draft, private, changed


PUBLIC_URLS = [
    "/",
    "/case-studies/",
    "/search/?q=hydration",
    "/api/search/?q=hydration",
    "/api/search/",
    "/api/search/suggest/?q=hydration",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_only_live_public_content_shows(client, pages, url):
    live, draft, private, changed = pages
    body = client.get(url).content.decode()
    assert live.title in body
    assert draft.title not in body
    assert private.title not in body
    assert "Secret unpublished revision title" not in body


def test_the_api_counts_only_live_public(client, pages):
    body = client.get("/api/search/?q=hydration").json()
    assert body["count"] == 2
    assert {r["id"] for r in body["results"]} == {"cs-test-0001", "cs-test-0004"}


def test_case_study_page_reads_in_order(client, pages):
    live = pages[0]
    html = client.get(live.url).content.decode()
    positions = [
        html.index(marker)
        for marker in (
            live.summary,
            "The challenge",
            "What they did",
            "Outcomes",
            "Lessons, including what did not work",
            "What it takes to adopt",
        )
    ]
    assert positions == sorted(positions)
    assert "CQC ratings" in html and "Get in touch" in html and "Outstanding" in html


def test_draft_page_is_not_served(client, pages):
    assert client.get(pages[1].url or "/case-studies/cs-test-0002/").status_code == 404
