"""Contributors write for their own providers: their dashboard, the Outstanding rule's
answer before saving, and a new case study whose slug clashes with a draft's. The
permission checks themselves are in test_permissions.py."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from knowledgebase.case_studies import CaseStudyIndexPage, CaseStudyPage
from knowledgebase.contributors import NO_PROVIDER_MESSAGE
from knowledgebase.enquiries import PracticeEnquiry
from knowledgebase.providers import Provider
from knowledgebase.taxonomy import KeyQuestion
from tests.conftest import make_record
from tests.unit.admin_forms import case_study_form_data
from tests.unit.test_permissions import riverside_homecare

pytestmark = pytest.mark.django_db


@pytest.fixture
def meadowbank(importer):
    """Outstanding overall, with one published case study."""
    importer([make_record(1)])
    return Provider.objects.get(name="Meadowbank House")


@pytest.fixture
def riverside(meadowbank):
    """Good overall (Good in Safe), Outstanding in Caring only."""
    return riverside_homecare(rating_safe="good")


def person(username, group, *providers):
    user = User.objects.create_user(username, password="pw", email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group))
    for provider in providers:
        provider.contributors.add(user)
    return user


def add_url():
    index = CaseStudyIndexPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=["knowledgebase", "casestudypage", index.pk])


def kq_ids(*slugs):
    return [KeyQuestion.objects.get(slug=slug).pk for slug in slugs]


def panel_html(response, panel_id="your-case-studies"):
    html = response.content.decode()
    start = html.index(f'id="{panel_id}-content"')
    return html[start : html.index("</section>", start)]


# The dashboard ---------------------------------------------------------------------------


def test_dashboard_has_the_way_in_and_lists_drafts_submissions_and_requests(
    client, riverside, meadowbank
):
    contributor = person("casey", "Contributors", riverside)
    client.force_login(contributor)
    client.post(add_url(), case_study_form_data(riverside, ("caring",), title="Draft only"))
    client.post(
        add_url(),
        {
            **case_study_form_data(riverside, ("caring",), title="Sent in", slug="sent-in"),
            "action-submit": "action-submit",
        },
    )
    client.post(
        add_url(),
        {
            **case_study_form_data(riverside, ("caring",), title="Sent back", slug="sent-back"),
            "action-submit": "action-submit",
        },
    )
    sent_back = CaseStudyPage.objects.get(slug="sent-back")
    moderator = person("morgan", "Moderators")
    client.force_login(moderator)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[sent_back.pk, "reject", sent_back.current_workflow_task_state.pk],
        ),
        {"comment": "Add your figures"},
    )
    # Readers' requests: two about Riverside's (published) case study, one about another
    # provider's, which this contributor must not see.
    theirs = CaseStudyPage.objects.get(provider=meadowbank)
    ours = CaseStudyPage.objects.get(slug="sent-in")
    for organisation, page, days_ago in [
        ("Older Care", ours, 3),
        ("Newer Care", ours, 1),
        ("Someone Else's", theirs, 0),
    ]:
        enquiry = PracticeEnquiry.objects.create(
            case_study=page,
            name="Bo",
            role="Manager",
            organisation=organisation,
            email="bo@example.org",
            message="Hello",
            consent=True,
            client_hash="x",
        )
        enquiry.created_at = timezone.now() - datetime.timedelta(days=days_ago)
        enquiry.save(update_fields=["created_at"])

    client.force_login(contributor)
    response = client.get(reverse("wagtailadmin_home"))
    panel = panel_html(response)
    assert f'href="{add_url()}"' in panel and "Write a case study" in panel
    assert "You write for Riverside Homecare." in panel
    drafts = panel[panel.index('id="your-drafts"') : panel.index('id="your-submissions"')]
    assert "Draft only" in drafts and "Sent in" not in drafts
    submissions = panel[panel.index('id="your-submissions"') : panel.index('id="your-requests"')]
    assert "Sent in</a>: <strong>Awaiting moderator review</strong>" in submissions
    assert "Sent back</a>: <strong>Changes requested</strong>" in submissions
    requests = panel[panel.index('id="your-requests"') :]
    assert "Someone Else" not in requests
    assert requests.index("Newer Care") < requests.index("Older Care")
    assert reverse("requests:index") in requests
    # Their submissions are in their panel: Wagtail's own list of them is not repeated.
    names = [panel.name for panel in response.context["panels"]]
    assert "user_objects_in_workflow_moderation" not in names


def test_a_contributor_without_a_provider_is_told_who_adds_them(client, meadowbank):
    client.force_login(person("newbie", "Contributors"))
    panel = panel_html(client.get(reverse("wagtailadmin_home")))
    assert NO_PROVIDER_MESSAGE in panel.replace("&gt;", ">")
    assert "Write a case study" not in panel


def test_moderators_see_the_moderation_queue_before_the_review_reminders(client, meadowbank):
    CaseStudyPage.objects.update(review_date=datetime.date(2020, 1, 1))  # one due for review
    client.force_login(person("morgan", "Moderators"))
    response = client.get(reverse("wagtailadmin_home"))
    names = [panel.name for panel in response.context["panels"]]
    assert "contributor_case_studies" not in names
    assert names.index("workflow_objects_to_moderate") < names.index("due_for_review")


# The Outstanding rule before saving ------------------------------------------------------


def test_the_form_shows_the_rules_answer_for_the_saved_choice(client, riverside):
    client.force_login(person("casey", "Contributors", riverside))
    client.post(add_url(), case_study_form_data(riverside, ("caring",)))
    page = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert html.count('data-meets-rule="yes"') == 2  # beside the provider and key questions
    assert "Riverside Homecare meets the Outstanding rule." in html
    assert "Outstanding in Caring" in html
    assert "js/admin_outstanding_rule.js" in html


def test_the_rule_endpoint_answers_for_the_contributors_own_providers_only(
    client, riverside, meadowbank
):
    url = reverse("knowledgebase_outstanding_rule")
    assert client.get(url, {"provider": riverside.pk}).status_code == 302  # to the login
    client.force_login(person("casey", "Contributors", riverside))

    answer = client.get(url, {"provider": riverside.pk, "key_questions": kq_ids("safe")}).json()
    assert answer["meets_rule"] is False
    assert answer["message"] == riverside.outstanding_rule_error(["safe"])

    both = {"provider": riverside.pk, "key_questions": kq_ids("safe", "caring")}
    answer = client.get(url, both).json()
    assert answer["meets_rule"] is True and "Outstanding in Caring" in answer["message"]

    assert client.get(url, {"provider": meadowbank.pk}).status_code == 404
    assert client.get(url, {"provider": "x"}).status_code == 400

    client.force_login(person("morgan", "Moderators"))
    answer = client.get(url, {"provider": meadowbank.pk}).json()
    assert answer == {
        "meets_rule": True,
        "message": "Meadowbank House is Outstanding overall: any key question is fine.",
    }


# A new case study whose slug another page has --------------------------------------------


def test_a_clashing_slug_gets_a_suffix_and_the_draft_is_offered(client, riverside):
    client.force_login(person("casey", "Contributors", riverside))
    data = case_study_form_data(riverside, ("caring",))
    client.post(add_url(), data)
    draft = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")

    response = client.post(add_url(), data)
    assert response.status_code == 302  # saved, not the form again with a slug error
    second = CaseStudyPage.objects.get(slug="night-time-hydration-rounds-2")
    assert second.title == draft.title and second.pk != draft.pk
    page = client.get(response.url).content.decode()
    edit_draft = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert f'href="{edit_draft}"' in page and "Continue your draft Night-time hydration" in page

    client.post(add_url(), data)
    assert CaseStudyPage.objects.filter(slug="night-time-hydration-rounds-3").exists()


def test_an_autosave_with_a_clashing_slug_saves_and_updates_the_open_form(client, riverside):
    client.force_login(person("casey", "Contributors", riverside))
    data = case_study_form_data(riverside, ("caring",))
    client.post(add_url(), data)
    response = client.post(add_url(), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["success"] is True
    assert body["field_updates"]["slug"] == "night-time-hydration-rounds-2"


def test_a_page_being_edited_keeps_its_own_slug(client, riverside):
    """The suffix is for new pages only: editing never renames a page's address."""
    client.force_login(person("casey", "Contributors", riverside))
    client.post(add_url(), case_study_form_data(riverside, ("caring",)))
    page = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    edit = case_study_form_data(riverside, ("caring",), slug=page.slug, title="Renamed")
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit)
    assert page.get_latest_revision_as_object().slug == "night-time-hydration-rounds"
