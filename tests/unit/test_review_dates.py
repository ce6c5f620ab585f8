"""Review dates enforced: more than REVIEW_GRACE_DAYS past its review date, a case study is
marked "not recently reviewed" on its page and in results, and ranked below reviewed
practice (here the database backend; both backends in tests/integration/
test_evidence_and_review_backends.py)."""

import datetime

import pytest
from django.utils import timezone

from knowledgebase.case_studies import CaseStudyPage
from tests.conftest import PROVIDER, make_record
from tests.unit.test_case_study_trust import fact, text_of
from tests.unit.test_permissions import member

pytestmark = pytest.mark.django_db

GRACE_DAYS = 90
STALE = "Hydration rounds at night: hydration offered by name"
OVERDUE = "Hydration stations in the lounge"
REVIEWED = "Hydration with jellies and ice lollies"
DROPPED = "Hydration practice whose rating dropped"
OTHER_REGION = "london"  # the overdue case study's provider's; the others are in the North West


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def hydration_records():
    """Four hydration case studies: the first the best match for "hydration" (in its title
    twice), published 2 years and 200 days ago, so its review is 200 days overdue."""
    other = {
        **PROVIDER,
        "name": "Elm Court",
        "cqc_location_id": "1-1000000099",
        "region": OTHER_REGION,
    }
    return [
        make_record(
            1,
            title=STALE,
            summary="Hydration rounds: hydration at night, hydration by day.",
            published=str(days_ago(2 * 365 + 200)),
        ),
        make_record(2, title=OVERDUE, provider=other, published=str(days_ago(2 * 365 + 30))),
        make_record(3, title=REVIEWED, published=str(days_ago(100))),
        make_record(4, title=DROPPED, published=str(days_ago(50))),
    ]


@pytest.fixture
def practice(settings, importer, database_search):
    settings.REVIEW_GRACE_DAYS = GRACE_DAYS
    report = importer(hydration_records())
    assert not report.errors
    CaseStudyPage.objects.filter(title=DROPPED).update(rating_dropped=True)
    return settings


def titles(client, **params):
    body = client.get("/api/search/", {"page_size": 50, **params}).json()
    assert body["backend"] == "database"
    return [r["title"] for r in body["results"]]


def test_past_the_grace_period_a_case_study_is_not_recently_reviewed(practice):
    pages = {p.title: p for p in CaseStudyPage.objects.all()}
    assert pages[STALE].not_recently_reviewed and pages[STALE].is_due_for_review
    # Overdue, but within the grace period: due, not yet "not recently reviewed".
    assert pages[OVERDUE].is_due_for_review and not pages[OVERDUE].not_recently_reviewed
    assert not pages[REVIEWED].is_due_for_review


def test_the_grace_period_is_a_setting(practice):
    page = CaseStudyPage.objects.get(title=OVERDUE)
    practice.REVIEW_GRACE_DAYS = 10
    assert page.not_recently_reviewed


def test_the_page_says_it_is_not_recently_reviewed(client, practice):
    page = CaseStudyPage.objects.get(title=STALE)
    due = page.review_date
    body = client.get(page.url).content.decode()
    assert (
        f"Not recently reviewed. Its review was due on {due.day} {due:%B %Y} and no moderator "
        "has checked it since"
    ) in text_of(body)
    assert (
        fact(body, "Next review due") == f"{due.day} {due:%B %Y} (overdue: not recently reviewed)"
    )
    # Within the grace period, the page says only that it is past its review date.
    overdue = client.get(CaseStudyPage.objects.get(title=OVERDUE).url).content.decode()
    assert "Not recently reviewed" not in text_of(overdue)
    assert "This case study is past its review date" in text_of(overdue)


def test_words_rank_it_below_reviewed_practice_and_above_a_dropped_rating(client, practice):
    practice.REVIEW_GRACE_DAYS = 365 * 1000  # without the demotion: above reviewed practice
    without = titles(client, q="hydration")
    assert without.index(STALE) < 2 and without[-1] == DROPPED, without
    practice.REVIEW_GRACE_DAYS = GRACE_DAYS
    ranked = titles(client, q="hydration")
    assert ranked[-2:] == [STALE, DROPPED]
    assert set(ranked[:2]) == {OVERDUE, REVIEWED}


def test_browsing_newest_first_puts_it_after_reviewed_practice(client, practice):
    assert titles(client) == [REVIEWED, OVERDUE, STALE, DROPPED]
    # The newest case study, given a review date long past: newest, yet after the reviewed.
    CaseStudyPage.objects.filter(title=REVIEWED).update(review_date=days_ago(GRACE_DAYS + 1))
    assert titles(client) == [OVERDUE, REVIEWED, STALE, DROPPED]
    assert titles(client, q="hydration", sort="newest") == [OVERDUE, REVIEWED, STALE, DROPPED]


def test_a_moderators_publish_reviews_it_again(client, practice):
    page = CaseStudyPage.objects.get(title=STALE)
    moderator = member("Moderators")
    page.save_revision(user=moderator).publish(user=moderator)
    page = CaseStudyPage.objects.get(title=STALE)
    assert not page.not_recently_reviewed
    assert titles(client, q="hydration").index(STALE) < 2


def test_results_say_it_is_not_recently_reviewed(client, practice):
    body = text_of(client.get("/search/", {"q": "hydration"}).content.decode())
    assert body.count("Not recently reviewed:") == 1
    due = CaseStudyPage.objects.get(title=STALE).review_date
    assert f"its review was due on {due.day} {due:%B %Y}, so it is listed after" in body
