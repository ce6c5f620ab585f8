"""The strength of evidence (knowledgebase/evidence.py): proposed by the contributor,
confirmed by a moderator in the workflow's second task, shown on the page with its
definition, a facet of the search, and carried by the interchange format."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.evidence import DEFINITIONS, STRENGTHS
from knowledgebase.interchange.records import case_study_record
from tests.conftest import make_record
from tests.unit.admin_forms import case_study_form_data
from tests.unit.test_case_study_trust import fact
from tests.unit.test_permissions import add_case_study_url, contributor_of, member

pytestmark = pytest.mark.django_db

CONFIRM_TASK = "Confirm the strength of evidence"


def workflow_action(page, action):
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, action, page.current_workflow_task_state.pk],
    )


@pytest.fixture
def published(importer):
    importer([make_record(1)])
    return CaseStudyPage.objects.get()


@pytest.fixture
def submitted(client, published):
    """A contributor's new case study proposing "moderate", submitted for moderation and
    approved at the first task: waiting for the strength of evidence to be confirmed."""
    client.force_login(contributor_of(published.provider))
    data = case_study_form_data(published.provider, proposed_evidence_strength="moderate")
    response = client.post(add_case_study_url(), {**data, "action-submit": "action-submit"})
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    assert page.current_workflow_task.name == "Moderator review"
    client.force_login(member("Moderators"))
    client.post(workflow_action(page, "approve"), {"comment": ""})
    page.refresh_from_db()
    assert page.current_workflow_task.name == CONFIRM_TASK and not page.live
    return page


def test_the_workflow_has_the_confirmation_after_the_review():
    workflow = Workflow.objects.get(name="Case study moderation")
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == ["Moderator review", CONFIRM_TASK]
    assert [g.name for g in tasks[1].groups.all()] == ["Moderators"]


def test_the_contributor_proposes_and_the_page_shows_nothing_until_confirmed(submitted):
    assert submitted.get_latest_revision_as_object().proposed_evidence_strength == "moderate"
    assert submitted.evidence_strength == ""


def test_the_confirmation_shows_the_proposal_and_the_definitions(client, submitted):
    response = client.get(workflow_action(submitted, "approve"))
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "The contributor proposes <strong>Moderate</strong>" in html
    for strength in STRENGTHS:
        assert strength["definition"].replace("'", "&#x27;") in html
    assert 'name="evidence_strength"' in html


def test_the_moderator_confirms_another_grade_and_it_is_published(client, submitted):
    response = client.post(
        workflow_action(submitted, "approve"), {"evidence_strength": "strong", "comment": "ok"}
    )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    assert page.live and not page.workflow_in_progress
    assert (page.evidence_strength, page.evidence_strength_confirmed) == (
        "strong",
        timezone.localdate(),
    )
    # The contributor's proposal stays what they proposed; the page shows the moderator's.
    assert page.proposed_evidence_strength == "moderate"
    body = client.get(page.url).content.decode()
    today = timezone.localdate()
    assert fact(body, "Strength of evidence") == (
        f"Strong: {DEFINITIONS['strong']} Confirmed by a moderator on {today.day} "
        f"{today:%B %Y}. How evidence is graded"
    )
    assert 'href="/strength-of-evidence/#strong"' in body


def test_approving_without_a_grade_does_nothing(client, submitted):
    response = client.post(workflow_action(submitted, "approve"), {"comment": "ok"})
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    assert not page.live and page.current_workflow_task.name == CONFIRM_TASK
    assert page.evidence_strength == ""


def test_changes_can_be_requested_at_the_confirmation(client, submitted):
    client.post(workflow_action(submitted, "reject"), {"comment": "Which figures?"})
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    assert not page.live and page.current_workflow_state.status == "needs_changes"
    assert page.evidence_strength == ""


def test_another_contributor_of_the_provider_cannot_confirm_the_grade(client, submitted):
    client.force_login(contributor_of(submitted.provider, username="another"))
    response = client.post(workflow_action(submitted, "approve"), {"evidence_strength": "strong"})
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    assert not page.live and page.evidence_strength == ""


def test_a_confirmed_grade_survives_later_revisions(client, submitted):
    client.post(workflow_action(submitted, "approve"), {"evidence_strength": "strong"})
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    # A later edit published by a moderator: the grade is the page's, not the revision's.
    moderator = User.objects.get(username="moderators")  # the one `submitted` made
    page.summary = "Drinks at night, offered by name."
    page.save_revision(user=moderator).publish(user=moderator)
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    assert page.summary.startswith("Drinks at night") and page.evidence_strength == "strong"
    # A copy starts ungraded: it has not been confirmed.
    copy = page.copy(update_attrs={"slug": "copied", "title": "Copied"}, keep_live=False)
    assert copy.specific.evidence_strength == ""


def test_a_moderators_direct_publish_confirms_an_ungraded_proposal(published):
    moderator = member("Moderators")
    page = CaseStudyPage.objects.get(pk=published.pk)
    assert page.evidence_strength == ""
    page.proposed_evidence_strength = "suggestive"
    page.save_revision(user=moderator).publish(user=moderator)
    page = CaseStudyPage.objects.get(pk=published.pk)
    assert page.evidence_strength == "suggestive"
    # Once confirmed, only the workflow's task changes it.
    page.proposed_evidence_strength = "strong"
    page.save_revision(user=moderator).publish(user=moderator)
    assert CaseStudyPage.objects.get(pk=published.pk).evidence_strength == "suggestive"


def edit_form_data(page, **fields):
    """The editor's form for the page as it stands, with these fields changed."""
    data = case_study_form_data(
        page.provider, slug=page.slug, title=page.title, proposed_evidence_strength="moderate"
    )
    data.update(fields)
    return data


def editor_approval(client, page, extra, **fields):
    """The editor's "Confirm the strength of evidence" from its action menu: the form saved
    and the workflow action taken, the modal's answers as JSON (what admin's JS posts)."""
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {
            **edit_form_data(page, **fields),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps(extra),
        },
    )


def test_an_edit_sent_back_to_review_confirms_no_grade_yet(client, importer, published):
    """A live case study, changed by its contributor and approved at review; the moderator
    then edits it in the editor and confirms: the edit needs a review first (Wagtail's
    WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT), so nothing is published and no grade is
    written on the live page."""
    contributor = contributor_of(published.provider)
    CaseStudyPage.objects.filter(pk=published.pk).update(owner=contributor)
    client.force_login(contributor)
    edit = reverse("wagtailadmin_pages:edit", args=[published.pk])
    data = edit_form_data(published, summary="Drinks at night, offered by name.")
    assert client.post(edit, {**data, "action-submit": "action-submit"}).status_code == 302
    page = CaseStudyPage.objects.get(pk=published.pk)
    client.force_login(member("Moderators"))
    client.post(workflow_action(page, "approve"), {"comment": ""})
    page = CaseStudyPage.objects.get(pk=published.pk)
    assert page.current_workflow_task.name == CONFIRM_TASK

    response = editor_approval(
        client, page, {"evidence_strength": "strong"}, summary="Changed by the moderator."
    )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(pk=published.pk)
    assert page.current_workflow_task.name == "Moderator review"
    assert page.evidence_strength == "" and page.summary == published.summary


@pytest.mark.parametrize("extra", [{"evidence_strength": ["strong"]}, {"evidence_strength": "x"}])
def test_a_crafted_grade_is_refused_and_approves_nothing(client, submitted, extra):
    response = editor_approval(client, submitted, extra)
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    page = CaseStudyPage.objects.get(pk=submitted.pk)
    assert not page.live and page.evidence_strength == ""
    assert page.current_workflow_task.name == CONFIRM_TASK


def test_the_contributors_choices_say_what_each_grade_means(client, published):
    client.force_login(contributor_of(published.provider))
    html = client.get(add_case_study_url()).content.decode()
    for strength in STRENGTHS:
        definition = strength["definition"].replace("'", "&#x27;")
        assert f"{strength['label']}: {definition}" in html


def test_the_definitions_are_published(client):
    response = client.get("/strength-of-evidence/")
    assert response.status_code == 200
    body = response.content.decode()
    for strength in STRENGTHS:
        assert f'id="{strength["slug"]}"' in body
        assert strength["definition"].replace("'", "&#x27;") in body
        assert f"/search/?evidence_strength={strength['slug']}" in body


def test_an_ungraded_page_says_so(client, published):
    body = client.get(published.url).content.decode()
    assert fact(body, "Strength of evidence") == (
        "Not yet graded by a moderator. How evidence is graded"
    )


# --- The interchange format ------------------------------------------------------------


def test_a_graded_record_imports_confirmed_and_exports_again(importer):
    report = importer([make_record(1, evidence_strength="moderate")])
    assert report.errors == []
    page = CaseStudyPage.objects.get()
    assert (page.evidence_strength, page.proposed_evidence_strength) == ("moderate",) * 2
    assert case_study_record(page)["evidence_strength"] == "moderate"


def test_an_older_record_without_a_grade_imports_and_keeps_the_pages(importer):
    importer([make_record(1, evidence_strength="strong")])
    record = make_record(1, summary="The same practice, summarised again for the file.")
    assert "evidence_strength" not in record
    report = importer([record])
    assert (report.updated, report.errors) == (1, [])
    page = CaseStudyPage.objects.get()
    assert page.summary.startswith("The same practice") and page.evidence_strength == "strong"
    # And an ungraded page exports without the field, as older files had it.
    importer([make_record(2)])
    assert "evidence_strength" not in case_study_record(
        CaseStudyPage.objects.get(external_id="cs-test-0002")
    )


def test_an_unknown_grade_is_that_lines_error_and_the_rest_import(importer):
    report = importer([make_record(1, evidence_strength="anecdotal"), make_record(2)])
    assert report.created == 1
    assert [error.line for error in report.errors] == [1]
    assert "evidence_strength" in str(report.errors[0])


# --- The search facet (database backend; both backends in tests/integration) -----------


@pytest.fixture
def graded(importer, database_search):
    importer(
        [
            make_record(1, evidence_strength="strong"),
            make_record(2, evidence_strength="moderate"),
            make_record(3, evidence_strength="moderate"),
            make_record(4),
        ]
    )


def test_the_api_filters_and_counts_by_strength(client, graded):
    body = client.get("/api/search/", {"evidence_strength": "moderate"}).json()
    assert body["count"] == 2
    assert {r["id"] for r in body["results"]} == {"cs-test-0002", "cs-test-0003"}
    assert {r["evidence_strength"] for r in body["results"]} == {"moderate"}
    counts = {f["value"]: f["count"] for f in body["facets"]["evidence_strength"]}
    assert counts == {"strong": 1, "moderate": 2}


def test_an_unknown_strength_is_a_400(client, graded):
    response = client.get("/api/search/", {"evidence_strength": "anecdotal"})
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "evidence_strength"


def test_the_search_page_offers_the_facet_and_marks_results(client, graded):
    body = client.get("/search/", {"q": "falls"}).content.decode()
    assert "Strength of evidence" in body
    assert "Strong evidence" in body
