"""Atom feeds of new and updated case studies: contents, privacy, validity and cost."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from following.searches import FollowedSearch
from knowledgebase.case_studies import CaseStudyPage
from search.query import SearchQuery
from tests.conftest import PROVIDER, make_record

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day, hour=9):
    return datetime.datetime(2026, 11, day, hour, tzinfo=UTC)


@pytest.fixture
def pages(importer, database_search):
    """Six hydration case studies about falls: three the public may see in a feed, and a
    draft, a private page and one whose provider's rating dropped, which it may not."""
    other_provider = {**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"}
    importer(
        [
            make_record(1, title="Hydration rounds at night"),
            make_record(
                2,
                title="Hydration and dementia <care>",
                summary="Drinks & snacks: <b>every</b> hour, for people living with dementia.",
                themes=["dementia-care", "falls-prevention"],
                key_questions=["effective"],
                quality_statements=[],
                provider=other_provider,
            ),
            make_record(3, title="Hydration stations in the lounge"),
            make_record(4, title="Draft hydration practice"),
            make_record(5, title="Private hydration practice"),
            make_record(6, title="Hydration practice whose rating dropped"),
        ]
    )
    by_id = {page.external_id: page for page in CaseStudyPage.objects.all()}
    # First published on the 1st, 2nd and 3rd; the first was updated last, on the 20th.
    dates = [(1, 20), (2, 12), (3, 15), (4, 4), (5, 5), (6, 21)]
    for n, (first, last) in enumerate(dates, 1):
        CaseStudyPage.objects.filter(pk=by_id[f"cs-test-{n:04d}"].pk).update(
            first_published_at=at(first), last_published_at=at(last)
        )
    by_id["cs-test-0004"].unpublish()
    PageViewRestriction.objects.create(page=by_id["cs-test-0005"], restriction_type="login")
    CaseStudyPage.objects.filter(pk=by_id["cs-test-0006"].pk).update(rating_dropped=True)
    live = CaseStudyPage.objects.get(pk=by_id["cs-test-0003"].pk)
    live.title = "Secret unpublished revision title"
    live.save_revision()  # a draft revision of a live page
    return by_id


HIDDEN = (
    "Draft hydration practice",
    "Private hydration practice",
    "Hydration practice whose rating dropped",
    "Secret unpublished revision title",
)


def read_feed(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


FEEDS = [
    "/feeds/",
    "/feeds/themes/falls-prevention/",
    "/feeds/key-questions/effective/",
    "/feeds/search/?q=hydration",
    "/feeds/search/?q=hydration&theme=falls-prevention",
]


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_hold_only_live_public_case_studies(client, pages, url):
    feed = read_feed(client, url)
    titles = [entry.title for entry in feed.entries]
    assert "Hydration rounds at night" in titles
    assert "Hydration stations in the lounge" in titles  # the live title, not the draft's
    for hidden in HIDDEN:
        assert hidden not in titles
        assert hidden not in client.get(url).content.decode()


def test_the_site_feed_lists_the_newest_update_first_with_every_field(client, pages):
    feed = read_feed(client, "/feeds/")
    assert feed.feed.title == "Practice Exchange: new and updated case studies"
    assert feed.feed.link == "http://testserver/search/?sort=newest"
    assert [entry.title for entry in feed.entries] == [
        "Hydration rounds at night",  # updated on the 20th
        "Hydration stations in the lounge",  # the 15th
        "Hydration and dementia <care>",  # the 12th
    ]
    assert feed.feed.updated_parsed[:4] == (2026, 11, 20, 9)
    first = feed.entries[0]
    page = pages["cs-test-0001"]
    assert first.link == f"http://testserver{page.url}"
    assert first.author == "Meadowbank House"
    assert [tag.term for tag in first.tags] == ["Falls prevention"]
    assert first.published_parsed[:4] == (2026, 11, 1, 9)
    assert first.updated_parsed[:4] == (2026, 11, 20, 9)
    assert first.summary == page.summary
    # Ids are stable tag URIs: the interchange id, not the URL, which can change.
    assert first.id == "tag:127.0.0.1,2026:case-study:cs-test-0001"
    dementia = feed.entries[2]
    assert dementia.author == "Elm Court"
    # Themes in the vocabulary's order.
    assert [tag.term for tag in dementia.tags] == ["Falls prevention", "Dementia care"]
    # The summary is text: its "<b>" is shown, not taken for a tag.
    assert dementia.summary == (
        "Drinks &amp; snacks: &lt;b&gt;every&lt;/b&gt; hour, for people living with dementia."
    )


def test_the_theme_feed_says_what_it_follows_and_holds_only_that_theme(client, pages):
    feed = read_feed(client, "/feeds/themes/dementia-care/")
    assert feed.feed.title == "Practice Exchange: case studies on Dementia care"
    assert feed.feed.link == "http://testserver/search/?theme=dementia-care&sort=newest"
    assert [entry.title for entry in feed.entries] == ["Hydration and dementia <care>"]
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == ["http://testserver/feeds/themes/dementia-care/"]


def test_the_key_question_feed(client, pages):
    feed = read_feed(client, "/feeds/key-questions/effective/")
    assert feed.feed.title == "Practice Exchange: case studies in Effective"
    assert len(feed.entries) == 3
    safe = read_feed(client, "/feeds/key-questions/safe/")
    assert "Hydration and dementia <care>" not in [entry.title for entry in safe.entries]


@pytest.mark.parametrize("url", ["/feeds/themes/no-such-theme/", "/feeds/key-questions/kind/"])
def test_an_unknown_theme_or_key_question_is_404(client, pages, url):
    assert client.get(url).status_code == 404


def test_the_search_feed_finds_what_the_search_finds(client, pages):
    url = "/feeds/search/?q=hydration&key_question=effective&theme=falls-prevention"
    feed = read_feed(client, url)
    assert feed.feed.title == (
        "Practice Exchange: case studies for “hydration” on Falls prevention, in Effective"
    )
    api = client.get(
        "/api/search/?q=hydration&key_question=effective&theme=falls-prevention&page_size=50"
    ).json()
    searched = {result["title"] for result in api["results"]} - set(HIDDEN)
    assert {entry.title for entry in feed.entries} == searched
    assert len(searched) == 3
    # The feed's self link carries the search, normalised.
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == [
        "http://testserver/feeds/search/?q=hydration&theme=falls-prevention&key_question=effective"
    ]


def test_the_search_feed_narrows_like_the_search(client, pages):
    feed = read_feed(client, "/feeds/search/?q=hydration&theme=dementia-care")
    assert [entry.title for entry in feed.entries] == ["Hydration and dementia <care>"]
    nothing = read_feed(client, "/feeds/search/?q=zzzqqq")
    assert nothing.entries == []


def test_the_same_search_in_another_order_is_the_same_feed(client, pages):
    one = read_feed(client, "/feeds/search/?theme=falls-prevention&q=hydration&sort=newest")
    other = read_feed(client, "/feeds/search/?q=hydration&page=2&theme=falls-prevention")
    assert one.feed.id == other.feed.id
    assert one.feed.id.startswith("tag:127.0.0.1,2026:/feeds/search/?q=hydration")
    assert [e.id for e in one.entries] == [e.id for e in other.entries]


@pytest.mark.parametrize(
    "query, message",
    [
        ("theme=no-such-theme", "Unknown theme: no-such-theme."),
        ("page_size=500", "page_size must be between 1 and 50."),
        ("q=falls%00", "NUL character"),
        ("q=" + "x" * 501, "q is too long"),
    ],
)
def test_a_bad_search_feed_is_a_plain_400(client, pages, query, message):
    response = client.get(f"/feeds/search/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_an_empty_feed_is_still_valid(client, database_search):
    feed = read_feed(client, "/feeds/")
    assert feed.entries == []
    assert feed.feed.title == "Practice Exchange: new and updated case studies"


@pytest.mark.parametrize(
    "url, most",
    [
        ("/feeds/", 4),
        ("/feeds/themes/falls-prevention/", 5),
        ("/feeds/key-questions/effective/", 5),
    ],
)
def test_feeds_cost_a_few_queries(client, pages, url, most):
    client.get(url)  # the site's root paths and vocabularies, cached after the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= most, [q["sql"] for q in queries]


# The tags the lead places on the search page and the home page ------------------------


def render(source, **context):
    return Template("{% load following_tags %}" + source).render(Context(context))


def test_the_search_feed_link_for_the_head(pages):
    query = SearchQuery.from_params(QueryDict("q=falls&key_question=safe&sort=newest&page=2"))
    html = render("{% search_feed_link query %}", query=query)
    assert html == (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Practice Exchange: case studies for “falls” in Safe" '
        'href="/feeds/search/?q=falls&amp;key_question=safe">'
    )
    assert render("{% site_feed_link %}") == (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Practice Exchange: new and updated case studies" href="/feeds/">'
    )


def test_follow_this_search_offers_the_feed_and_the_e_mail_alert(pages):
    query = SearchQuery.from_params(
        QueryDict("q=falls&theme=falls-prevention&prefer_service_type=homecare")
    )
    html = render("{% follow_this_search query %}", query=query)
    assert "Follow this search" in html
    assert 'href="/feeds/search/?q=falls&amp;theme=falls-prevention"' in html
    assert 'href="/alerts/new/?q=falls&amp;theme=falls-prevention"' in html
    assert "Get new practice by e-mail" in html
    assert "new case studies for “falls” on Falls prevention" in html


def test_the_home_page_links_the_site_feed_and_alerts(client, pages):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/"' in html
    assert 'href="/alerts/new/"' in html
    assert "Follow new practice" in html


def test_a_followed_search_leaves_out_what_only_orders_or_pages(pages):
    one = FollowedSearch.from_params(
        QueryDict("theme=falls-prevention&theme=dementia-care&q=falls&sort=newest&page=3")
    )
    other = FollowedSearch.from_params(
        QueryDict("q=falls&theme=dementia-care&theme=falls-prevention&prefer_service_type=homecare")
    )
    assert one == other
    assert one.query_string == "q=falls&theme=dementia-care&theme=falls-prevention"
    assert one.description() == "for “falls” on Dementia care or Falls prevention"
    assert FollowedSearch().description() == ""
    assert FollowedSearch().title() == "All new case studies"


@pytest.mark.parametrize(
    "params, feed",
    [
        ("", "/feeds/"),
        ("theme=falls-prevention", "/feeds/themes/falls-prevention/"),
        ("key_question=safe&sort=newest", "/feeds/key-questions/safe/"),
        ("q=hydration&theme=falls-prevention", "/feeds/search/?q=hydration&theme=falls-prevention"),
        (
            "theme=falls-prevention&theme=dementia-care",
            "/feeds/search/?theme=dementia-care&theme=falls-prevention",
        ),
    ],
)
def test_the_search_page_links_the_feed_of_what_it_shows(client, pages, params, feed):
    html = client.get(f"/search/?{params}").content.decode()
    escaped = feed.replace("&", "&amp;")
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{escaped}"' in html.split("</head>")[0]
    # The "Follow this search" panel, after the results, offers the same feed and the alert.
    body = html.split("</head>")[1]
    assert body.index("Follow this search") > body.index('id="result-count"')
    assert f'href="{escaped}" type="application/atom+xml"' in body
    assert "/alerts/new/" in body
    assert read_feed(client, feed).entries is not None


def test_a_control_character_in_the_words_is_read_as_a_space(client, pages):
    # XML 1.0 cannot carry one: the feed of "%01hydration" is the feed of "hydration".
    feed = read_feed(client, "/feeds/search/?q=%01hydration%1B")
    assert "Hydration rounds at night" in [entry.title for entry in feed.entries]
    html = client.get("/search/?q=%01hydration").content.decode()
    assert 'href="/feeds/search/?q=hydration"' in html


def test_every_page_links_the_site_feed_and_a_case_study_its_themes_feeds(client, pages):
    page = pages["cs-test-0002"]  # Dementia care and Falls prevention
    head = client.get(page.url).content.decode().split("</head>")[0]
    for feed in ("/feeds/", "/feeds/themes/dementia-care/", "/feeds/themes/falls-prevention/"):
        assert 'type="application/atom+xml"' in head and f'href="{feed}"' in head
        read_feed(client, feed)
