"""What people see of CQC's ratings: the moderators' dashboard, the case study page's notice
and the provider card's source."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.cqc.ratings_import import import_ratings
from knowledgebase.providers import RATING_FIELDS, Provider
from tests.conftest import PROVIDER, make_record
from tests.cqc_files import HEADERS, location_rows, write_ods

pytestmark = pytest.mark.django_db

MEADOWBANK = PROVIDER["cqc_location_id"]
DROPPED = ["Good", "Good", "Good", "Good", "Requires improvement", "Good"]
PANEL_HEADING = "Case studies whose provider's rating dropped"


def member(name, group):
    user = User.objects.create_user(name, password="pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def pages(importer, database_search):
    importer(
        [
            make_record(1),
            make_record(
                2, provider={**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"}
            ),
        ]
    )
    return CaseStudyPage.objects.order_by("external_id")


@pytest.fixture
def dropped(pages, tmp_path):
    path = write_ods(
        tmp_path / "2026-11.ods",
        {"Locations": [HEADERS, *location_rows(MEADOWBANK, DROPPED, "01/11/2026")]},
    )
    import_ratings(path)
    return pages.get(external_id="cs-test-0001")


def test_moderators_see_the_case_studies_whose_rating_dropped(client, pages, dropped):
    client.force_login(member("mod", "Moderators"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL_HEADING in html
    edit = reverse("wagtailadmin_pages:edit", args=[dropped.pk])
    link = f'<a href="{edit}">{dropped.title}</a>'
    assert f"{link}: Meadowbank House is now rated Good overall" in html
    assert "Good overall (since 1 November 2026)</li>" in html
    other = pages.get(external_id="cs-test-0002")
    assert reverse("wagtailadmin_pages:edit", args=[other.pk]) + '">' not in html


def test_contributors_do_not_see_the_panel(client, dropped):
    client.force_login(member("con", "Contributors"))
    assert PANEL_HEADING not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_no_panel_when_nothing_is_flagged(client, pages):
    client.force_login(member("mod", "Moderators"))
    assert PANEL_HEADING not in client.get(reverse("wagtailadmin_home")).content.decode()


def text_of(html):
    """The words of a page, tags dropped, white space as single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_page_says_the_rating_changed_and_shows_the_current_ratings(client, dropped):
    html = client.get(dropped.url).content.decode()
    text = text_of(html)
    assert '<h2 id="rating-changed">The provider\'s CQC rating has changed</h2>' in html
    assert (
        "Meadowbank House's CQC rating has changed since this case study was published on "
        "15 January 2025." in text
    )
    assert "Current CQC ratings, published 1 November 2026:" in text
    assert "Overall: Good" in text and "Responsive: Requires improvement" in text
    # Near the top: after the title, before the summary and the body.
    assert (
        html.index(dropped.title)
        < html.index('id="rating-changed"')
        < html.index(dropped.summary)
        < html.index("What they did")
    )
    assert (
        "Ratings from CQC's ratings file 2026-11.ods, published by CQC on 1 November 2026." in text
    )


def test_a_page_whose_provider_still_qualifies_has_no_notice(client, pages, dropped):
    other = pages.get(external_id="cs-test-0002")
    html = client.get(other.url).content.decode()
    assert 'id="rating-changed"' not in html
    assert "Ratings as entered, not taken from CQC's ratings file." in text_of(html)


def test_a_moderator_changing_ratings_by_hand_makes_them_as_entered(client, dropped):
    provider = Provider.objects.get(cqc_location_id=MEADOWBANK)
    assert provider.ratings_source == "cqc"
    client.force_login(member("mod", "Moderators"))
    data = {
        "name": provider.name,
        "cqc_location_id": provider.cqc_location_id,
        "service_type": provider.service_type,
        "region": provider.region,
        "overall_rating": provider.overall_rating,
        "rating_date": str(provider.rating_date),
        **{field: getattr(provider, field) for field in RATING_FIELDS.values()},
    }
    edit = reverse("wagtailsnippets_knowledgebase_provider:edit", args=[provider.pk])
    assert client.post(edit, {**data, "name": "Meadowbank"}).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Meadowbank" and provider.ratings_source == "cqc"  # not a rating

    assert client.post(edit, {**data, "rating_safe": "outstanding"}).status_code == 302
    provider.refresh_from_db()
    assert provider.rating_safe == "outstanding"
    assert (provider.ratings_source, provider.ratings_source_file) == ("entered", "")
    assert provider.ratings_published is None
