"""Trust on the case study page: when it was last reviewed, whether it is past its review
date, and why its provider counts as Outstanding for it (overall, or in a key question it
addresses), never claimed once the provider's rating dropped."""

import datetime
import html
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry

from knowledgebase.case_studies import CaseStudyPage, review_date_for
from knowledgebase.cqc.ratings_import import import_ratings
from knowledgebase.providers import RATING_FIELDS, Provider
from tests.conftest import PROVIDER, make_record
from tests.cqc_files import HEADERS, location_rows, write_ods

pytestmark = pytest.mark.django_db

BASIS_LABEL = "Why this counts as Outstanding practice"
PAST_REVIEW = "This case study is past its review date"


def rated(overall, date=datetime.date(2024, 3, 1), **key_questions):
    """An unsaved provider with these ratings (key questions by slug, well_led for well-led)."""
    fields = {RATING_FIELDS[kq.replace("_", "-")]: rating for kq, rating in key_questions.items()}
    return Provider(name="Meadowbank House", overall_rating=overall, rating_date=date, **fields)


def text_of(body):
    """The page's text as a reader sees it: tags out, spaces collapsed, entities read."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)))


def fact(body, label):
    """The value of one of the page's facts (<dt>label</dt><dd>value</dd>), as text."""
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", body, re.S)
    return text_of(found.group(1)).strip() if found else None


def published_days_ago(days):
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


# --- Provider.outstanding_basis: what the page says, from the rule itself ----------------


def test_outstanding_overall_says_so_with_the_date_of_the_rating():
    provider = rated("outstanding", caring="good")
    assert (
        provider.outstanding_basis(["caring"]) == "Rated Outstanding overall by CQC (1 March 2024)"
    )
    assert provider.outstanding_for(["caring"]) == ["overall"]


def test_good_overall_names_the_addressed_key_questions_it_is_outstanding_in():
    provider = rated("good", safe="outstanding", caring="outstanding", well_led="outstanding")
    # Safe is Outstanding too, but this case study does not address it: not named.
    assert provider.outstanding_basis(["well-led", "caring", "effective"]) == (
        "Rated Good overall by CQC (1 March 2024); Outstanding in Caring and Well-led, "
        "key questions this case study addresses"
    )
    assert provider.outstanding_basis(["caring"]) == (
        "Rated Good overall by CQC (1 March 2024); Outstanding in Caring, "
        "a key question this case study addresses"
    )
    assert provider.outstanding_for(["well-led", "caring", "safe"]) == [
        "safe",
        "caring",
        "well-led",
    ], "in CQC's order, whatever the case study's order"


def test_three_key_questions_are_listed_with_commas_and_and():
    provider = rated("good", safe="outstanding", effective="outstanding", responsive="outstanding")
    assert "Outstanding in Safe, Effective and Responsive, key questions" in (
        provider.outstanding_basis(["safe", "effective", "responsive"])
    )


def test_without_a_rating_date_or_an_overall_rating_it_says_what_it_knows():
    assert rated("outstanding", date=None).outstanding_basis([]) == (
        "Rated Outstanding overall by CQC"
    )
    assert rated("", caring="outstanding").outstanding_basis(["caring"]) == (
        "Rated by CQC (1 March 2024): Outstanding in Caring, a key question this case study "
        "addresses"
    )


def test_no_basis_when_the_rule_is_not_met():
    provider = rated("good", safe="outstanding", caring="good")
    assert provider.outstanding_basis(["caring", "effective"]) == ""
    assert provider.outstanding_for(["caring", "effective"]) == []
    assert rated("requires-improvement").outstanding_basis(["safe"]) == ""


def test_the_basis_and_the_rule_never_disagree():
    """One rule: a provider has a basis exactly when outstanding_rule_error finds no error."""
    ratings = ["outstanding", "good", "requires-improvement", ""]
    addressed = [[], ["safe"], ["caring", "well-led"], ["effective", "responsive", "safe"]]
    for overall, safe, caring, well_led in itertools.product(ratings, repeat=4):
        provider = rated(overall, safe=safe, caring=caring, well_led=well_led)
        for slugs in addressed:
            has_basis = bool(provider.outstanding_basis(slugs))
            assert has_basis == (provider.outstanding_rule_error(slugs) is None), (
                overall,
                safe,
                caring,
                well_led,
                slugs,
            )


# --- The case study page -----------------------------------------------------------------


@pytest.fixture
def page(importer, database_search):
    """A case study published 100 days ago, by a provider Outstanding overall."""
    importer([make_record(1, published=published_days_ago(100))])
    return CaseStudyPage.objects.get(external_id="cs-test-0001")


def test_the_page_says_when_it_was_last_reviewed_and_when_it_is_due(client, page):
    # Imported (no person published it): last reviewed when it was published, 100 days ago.
    body = client.get(page.url).content.decode()
    reviewed = timezone.localdate() - datetime.timedelta(days=100)
    assert page.last_reviewed == page.published_date == reviewed
    assert fact(body, "Last reviewed") == f"{reviewed.day} {reviewed:%B %Y}"
    assert f'<time datetime="{reviewed.isoformat()}">' in body
    due = page.review_date
    assert due == review_date_for(reviewed)
    assert fact(body, "Next review due") == f"{due.day} {due:%B %Y}"
    assert PAST_REVIEW not in body


def test_a_moderators_publish_is_a_review_an_import_is_not(client, page, django_user_model):
    # The import published it today, without a user: not a review.
    assert timezone.localtime(page.last_published_at).date() == timezone.localdate()
    assert page.last_reviewed == page.published_date
    moderator = django_user_model.objects.create_user("mo", is_superuser=True)
    page.save_revision(user=moderator).publish(user=moderator)
    PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=moderator).update(
        timestamp=timezone.now() - datetime.timedelta(days=40)
    )
    body = client.get(page.url).content.decode()
    forty_days_ago = timezone.localdate() - datetime.timedelta(days=40)
    assert fact(body, "Last reviewed") == f"{forty_days_ago.day} {forty_days_ago:%B %Y}"


def test_a_moderators_publish_of_an_overdue_case_study_renews_its_review(
    client, importer, database_search, django_user_model
):
    importer([make_record(3, published=published_days_ago(3 * 365))])
    page = CaseStudyPage.objects.get(external_id="cs-test-0003")
    assert page.is_due_for_review
    # Publishing again without a person (an import, a script) is not a review.
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.is_due_for_review
    moderator = django_user_model.objects.create_user("mo", is_superuser=True)
    page.save_revision(user=moderator).publish(user=moderator)
    page.refresh_from_db()
    today = timezone.localdate()
    assert page.review_date == review_date_for(today) and not page.is_due_for_review
    body = client.get(page.url).content.decode()
    assert fact(body, "Last reviewed") == f"{today.day} {today:%B %Y}"
    assert PAST_REVIEW not in body


def test_past_its_review_date_the_page_says_so(client, importer, database_search):
    # Due 30 days ago: overdue, within the grace period (REVIEW_GRACE_DAYS, test_evidence...).
    importer([make_record(2, published=published_days_ago(2 * 365 + 30))])
    page = CaseStudyPage.objects.get(external_id="cs-test-0002")
    assert page.is_due_for_review and not page.not_recently_reviewed
    due = page.review_date
    body = client.get(page.url).content.decode()
    assert (
        f"This case study is past its review date (due {due.day} {due:%B %Y}): the provider "
        "may have changed how they work."
    ) in text_of(body)
    assert fact(body, "Next review due") == f"{due.day} {due:%B %Y} (overdue)"


def test_the_page_says_why_a_provider_outstanding_overall_counts(client, page):
    body = client.get(page.url).content.decode()
    assert fact(body, BASIS_LABEL).startswith("Rated Outstanding overall by CQC (1 March 2024).")


def test_a_provider_good_overall_is_outstanding_in_an_addressed_key_question(
    client, importer, database_search
):
    provider = {
        **PROVIDER,
        "name": "Kestrel Community Care",
        "cqc_location_id": "1-1000000077",
        "overall_rating": "good",
        "key_question_ratings": {**PROVIDER["key_question_ratings"], "well-led": "good"},
    }
    # Effective and Caring are Outstanding; the case study addresses Safe and Effective.
    importer([make_record(3, provider=provider, published=published_days_ago(30))])
    page = CaseStudyPage.objects.get(external_id="cs-test-0003")
    body = client.get(page.url).content.decode()
    assert fact(body, BASIS_LABEL).startswith(
        "Rated Good overall by CQC (1 March 2024); Outstanding in Effective, a key question "
        "this case study addresses."
    )
    # The ratings table is one link away, so a reader can check it.
    assert 'href="#provider-name"' in body and 'id="provider-name"' in body


def test_once_the_rating_dropped_the_page_claims_no_outstanding_basis(client, page, tmp_path):
    ratings = ["Good", "Good", "Good", "Good", "Requires improvement", "Good"]
    path = write_ods(
        tmp_path / "2026-11.ods",
        {
            "Locations": [
                HEADERS,
                *location_rows(PROVIDER["cqc_location_id"], ratings, "01/11/2026"),
            ]
        },
    )
    import_ratings(path)
    page.refresh_from_db()
    assert page.rating_dropped
    body = client.get(page.url).content.decode()
    assert "The provider's CQC rating has changed" in body
    assert BASIS_LABEL not in body
    assert "Rated Outstanding" not in body and "Outstanding in" not in body


def test_the_print_line_names_the_provider_and_the_page_address(client, page):
    body = client.get(page.url).content.decode()
    assert (
        f'<p class="print-only">To ask {page.provider.name} about this practice, go to '
        f"http://testserver{page.url}</p>"
    ) in body


def test_a_case_study_page_reads_its_quality_statements_in_one_query(
    client, importer, database_search
):
    """Each statement names its key question: read with the statements, not one by one."""
    safe = ["learning-culture", "safeguarding", "safe-environments", "safe-and-effective-staffing"]
    importer(
        [
            make_record(1, key_questions=["safe"], quality_statements=safe[:1]),
            make_record(2, key_questions=["safe"], quality_statements=safe),
        ]
    )
    one, four = CaseStudyPage.objects.order_by("external_id")
    for page in (one, four):
        client.get(page.url)  # the caches a first view fills (related practice among them)

    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    assert queries(four) == queries(one)
    assert "Safe and effective staffing" in client.get(four.url).content.decode()
