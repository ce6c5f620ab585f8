"""The permission matrix, tried through the admin's own views."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.models import Page

from knowledgebase.case_studies import CaseStudyIndexPage, CaseStudyPage
from knowledgebase.curated_collections import CuratedCollectionIndexPage, CuratedCollectionPage
from knowledgebase.providers import RATING_FIELDS, Provider
from tests.conftest import make_record
from tests.unit.admin_forms import case_study_form_data

pytestmark = pytest.mark.django_db


INTRODUCTION = {
    "blocks": [
        {
            "key": "a",
            "text": "Read these in order.",
            "type": "unstyled",
            "depth": 0,
            "inlineStyleRanges": [],
            "entityRanges": [],
        }
    ],
    "entityMap": {},
}


def member(group_name):
    user = User.objects.create_user(group_name.lower(), password="pw", email="x@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def contributor_of(*providers, username="contributors"):
    """A contributor whom a moderator has added to these providers (Provider.contributors)."""
    user = member("Contributors") if username == "contributors" else member_named(username)
    for provider in providers:
        provider.contributors.add(user)
    return user


def member_named(username, group_name="Contributors"):
    user = User.objects.create_user(username, password="pw", email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def published(importer):
    importer([make_record(1)])
    return CaseStudyPage.objects.get()


def add_case_study_url():
    index = CaseStudyIndexPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=["knowledgebase", "casestudypage", index.pk])


def test_contributor_creates_a_draft_and_cannot_publish_it(client, published):
    client.force_login(contributor_of(published.provider))
    data = case_study_form_data(published.provider)
    response = client.post(add_case_study_url(), {**data, "action-publish": "action-publish"})
    assert response.status_code in (200, 302)
    page = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    assert not page.live  # the publish action is refused; the draft is kept

    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {
            **case_study_form_data(published.provider, slug=page.slug),
            "action-submit": "action-submit",
        },
    )
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live


def provider_form_data(provider, **changes):
    """A complete, valid edit of the provider snippet: what a moderator would post."""
    data = {
        "name": provider.name,
        "cqc_location_id": provider.cqc_location_id,
        "service_type": provider.service_type,
        "region": provider.region,
        "overall_rating": provider.overall_rating,
        "rating_date": str(provider.rating_date or ""),
        **{field: getattr(provider, field) for field in RATING_FIELDS.values()},
    }
    return {**data, **changes}


def provider_edit_url(provider):
    return reverse("wagtailsnippets_knowledgebase_provider:edit", args=[provider.pk])


def test_contributor_cannot_edit_providers_or_publish_others_work(client, published):
    client.force_login(member("Contributors"))
    provider = published.provider
    edit = provider_form_data(provider, name="Renamed by a contributor", rating_safe="outstanding")
    response = client.post(provider_edit_url(provider), edit)
    assert response.status_code in (302, 403)
    provider.refresh_from_db()
    assert provider.name == "Meadowbank House" and provider.rating_safe == "good"

    client.post(reverse("wagtailadmin_pages:unpublish", args=[published.pk]))
    published.refresh_from_db()
    assert published.live


def test_moderator_approves_a_submission_then_unpublishes_it(client, published):
    contributor, moderator = contributor_of(published.provider), member("Moderators")
    client.force_login(contributor)
    client.post(
        add_case_study_url(),
        {
            **case_study_form_data(published.provider, proposed_evidence_strength="moderate"),
            "action-submit": "action-submit",
        },
    )
    page = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    task_state = page.current_workflow_task_state
    assert task_state is not None and not page.live

    # Two tasks: the review, then the strength of evidence (knowledgebase/evidence.py).
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "Looks good"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert not page.live and page.current_workflow_task.name == "Confirm the strength of evidence"
    confirm = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", page.current_workflow_task_state.pk],
    )
    response = client.post(confirm, {"evidence_strength": "moderate", "comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live and page.evidence_strength == "moderate"

    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    page.refresh_from_db()
    assert not page.live


def test_moderator_can_request_changes(client, published):
    contributor, moderator = contributor_of(published.provider), member("Moderators")
    client.force_login(contributor)
    client.post(
        add_case_study_url(),
        {**case_study_form_data(published.provider), "action-submit": "action-submit"},
    )
    page = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "reject", page.current_workflow_task_state.pk],
    )
    client.post(url, {"comment": "Please add your outcome figures"})
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "needs_changes"


def test_moderator_edits_provider_ratings(client, published):
    """The same post the contributor was refused, accepted from a moderator."""
    client.force_login(member("Moderators"))
    provider = published.provider
    assert client.get(provider_edit_url(provider)).status_code == 200
    edit = provider_form_data(provider, name="Renamed by a moderator", rating_safe="outstanding")
    response = client.post(provider_edit_url(provider), edit)
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Renamed by a moderator" and provider.rating_safe == "outstanding"


def test_curator_builds_a_collection_but_cannot_edit_case_studies(client, published):
    client.force_login(member("Curators"))
    index = CuratedCollectionIndexPage.objects.get()
    add = reverse(
        "wagtailadmin_pages:add", args=["knowledgebase", "curatedcollectionpage", index.pk]
    )
    assert client.get(add).status_code == 200
    data = {
        "title": "Learning from Outstanding: falls",
        "slug": "learning-falls",
        "curator_organisation": "Improvement team",
        "introduction": json.dumps(INTRODUCTION),
        "items-TOTAL_FORMS": 1,
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        "items-0-case_study": published.pk,
        "items-0-note": "",
        "items-0-ORDER": 1,
        "items-0-id": "",
        "items-0-DELETE": "",
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "seo_title": "",
        "search_description": "",
        "action-publish": "action-publish",
    }
    client.post(add, data)
    collection = CuratedCollectionPage.objects.get(slug="learning-falls")
    assert collection.live
    assert [item.case_study_id for item in collection.items.all()] == [published.pk]

    edit = reverse("wagtailadmin_pages:edit", args=[published.pk])
    response = client.get(edit)
    assert response.status_code in (302, 403)
    title, revisions = published.title, published.revisions.count()
    hijack = case_study_form_data(published.provider, slug=published.slug, title="Hijacked")
    client.post(edit, hijack)
    page = Page.objects.get(pk=published.pk).specific
    # Not live, not as a draft, not as a revision waiting behind the live one.
    assert page.title == title and page.draft_title == title
    assert page.revisions.count() == revisions and not page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == title

    # The same post from a moderator is a real change: it saves a draft.
    client.force_login(member("Moderators"))
    client.post(edit, hijack)
    page = Page.objects.get(pk=published.pk).specific
    assert page.revisions.count() == revisions + 1
    assert page.get_latest_revision_as_object().title == "Hijacked" and page.title == title


def riverside_homecare(**ratings):
    """A second provider: Good overall, Outstanding in Caring only (and these ratings)."""
    return Provider.objects.create(
        name="Riverside Homecare",
        cqc_location_id="1-3000000003",
        service_type="homecare",
        region="london",
        overall_rating="good",
        rating_caring="outstanding",
        **ratings,
    )


def test_case_study_form_enforces_outstanding_rule_and_keeps_what_was_typed(client, importer):
    importer([make_record(1)])
    provider = riverside_homecare(rating_safe="good")
    client.force_login(member("Moderators"))
    data = case_study_form_data(provider, key_questions=("safe",), title="Typed title kept")
    response = client.post(add_case_study_url(), data)
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "Riverside Homecare is rated Good overall" in html
    assert "Caring: Outstanding" in html
    assert "Typed title kept" in html
    assert not CaseStudyPage.objects.filter(title="Typed title kept").exists()

    data = case_study_form_data(provider, key_questions=("caring",), title="Now allowed")
    client.post(add_case_study_url(), data)
    assert CaseStudyPage.objects.filter(title="Now allowed").exists()


def test_quality_statements_must_belong_to_an_addressed_key_question(client, importer):
    importer([make_record(1)])
    client.force_login(member("Moderators"))
    provider = Provider.objects.get()
    data = case_study_form_data(
        provider, key_questions=("caring",), quality_statements=("medicines-optimisation",)
    )
    response = client.post(add_case_study_url(), data)
    assert response.status_code == 200
    assert "which this case study does not address" in response.content.decode()


# Contributors write for their own providers (knowledgebase/contributors.py) --------------


@pytest.fixture
def riverside(published):
    return riverside_homecare()


def test_contributor_is_offered_only_their_providers_and_a_single_one_is_chosen(
    client, published, riverside
):
    client.force_login(contributor_of(riverside))
    response = client.get(add_case_study_url())
    assert response.status_code == 200
    field = response.context["form"]["provider"]
    assert list(field.field.queryset) == [riverside]
    html = str(field)
    assert f'<option value="{riverside.pk}" selected>Riverside Homecare</option>' in html
    assert "Meadowbank House" not in html


def test_contributor_of_several_providers_chooses_among_them(client, published, riverside):
    client.force_login(contributor_of(riverside, published.provider))
    html = str(client.get(add_case_study_url()).context["form"]["provider"])
    assert "Meadowbank House" in html and "Riverside Homecare" in html
    assert '<option value="" selected>' in html  # two to choose from: none is chosen for them


def test_a_post_naming_another_provider_is_a_form_error_not_a_save(client, published, riverside):
    client.force_login(contributor_of(riverside))
    data = case_study_form_data(published.provider, title="Typed title kept", slug="kept")
    response = client.post(add_case_study_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You can write case studies only for your own providers (Riverside Homecare)" in html
    assert "Typed title kept" in html
    assert not CaseStudyPage.objects.filter(slug="kept").exists()

    # The same post for their own provider is saved.
    data = case_study_form_data(riverside, key_questions=("caring",), title="Ours", slug="ours")
    assert client.post(add_case_study_url(), data).status_code == 302
    assert CaseStudyPage.objects.get(slug="ours").provider == riverside


def test_a_contributor_without_a_provider_cannot_start_a_case_study(client, published):
    client.force_login(member("Contributors"))
    response = client.get(add_case_study_url())
    assert response.status_code == 403
    assert "Ask a moderator to add you to your provider" in response.content.decode()
    data = case_study_form_data(published.provider, slug="nobodys")
    assert client.post(add_case_study_url(), data).status_code == 403
    assert not CaseStudyPage.objects.filter(slug="nobodys").exists()


def test_editing_another_providers_case_study_is_refused_even_to_its_owner(
    client, published, riverside
):
    """The contributor wrote it for Meadowbank House, then a moderator moved them to
    Riverside Homecare: they may no longer edit it, in any way the admin offers."""
    contributor = contributor_of(riverside)
    published.owner = contributor
    published.save(update_fields=["owner"])
    client.force_login(contributor)
    # Wagtail asks the page's permission tester (contributors.CaseStudyPermissionTester):
    # its views refuse, as they refuse anything a user may not do (to the dashboard, saying
    # so), and its listings offer no action on the page (test_contributor_listings_...).
    edit = reverse("wagtailadmin_pages:edit", args=[published.pk])
    response = client.get(edit, follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert "Sorry, you do not have permission" in response.content.decode()

    revisions = published.revisions.count()
    change = case_study_form_data(published.provider, slug=published.slug, title="Changed")
    refused = (302, reverse("wagtailadmin_home"))
    response = client.post(edit, change)
    assert (response.status_code, response.url) == refused
    # The autosave (a fetch from the editor's script) gets Wagtail's 403, not a redirect.
    autosave = client.post(
        edit, change, HTTP_ACCEPT="application/json", HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert autosave.status_code == 403
    revision = published.latest_revision
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[published.pk, revision.pk])
    copy = reverse("wagtailadmin_pages:copy", args=[published.pk])
    delete = reverse("wagtailadmin_pages:delete", args=[published.pk])
    move = reverse("wagtailadmin_pages:move", args=[published.pk])
    for response in (client.get(revert), client.get(copy), client.post(delete), client.get(move)):
        assert (response.status_code, response.url) == refused
    assert Page.objects.filter(pk=published.pk).exists()
    assert published.revisions.count() == revisions
    assert Page.objects.get(pk=published.pk).specific.get_latest_revision_as_object().title == (
        published.title
    )

    # A moderator edits any provider's case study.
    client.force_login(member("Moderators"))
    assert client.get(edit).status_code == 200


def test_contributor_listings_offer_no_action_on_another_providers_case_study(
    client, published, riverside, importer
):
    importer([make_record(2)])
    contributor = contributor_of(riverside)
    # Both theirs by Wagtail's rule (they own them); only one is their provider's.
    CaseStudyPage.objects.filter(external_id="cs-test-0002").update(
        provider=riverside, owner=contributor
    )
    CaseStudyPage.objects.filter(pk=published.pk).update(owner=contributor)
    own = CaseStudyPage.objects.get(external_id="cs-test-0002")
    client.force_login(contributor)
    index = CaseStudyIndexPage.objects.get()
    html = client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()
    assert published.title in html  # listed: contributors may read every case study
    assert f"/admin/pages/{own.pk}/edit/" in html
    for action in ("edit", "copy", "move", "delete"):
        assert f"/admin/pages/{published.pk}/{action}/" not in html


def test_contributor_edits_their_own_providers_case_study(client, published, riverside):
    contributor = contributor_of(published.provider)
    published.owner = contributor
    published.save(update_fields=["owner"])
    client.force_login(contributor)
    edit = reverse("wagtailadmin_pages:edit", args=[published.pk])
    assert client.get(edit).status_code == 200
    change = case_study_form_data(published.provider, slug=published.slug, title="Changed")
    assert client.post(edit, change).status_code == 302
    published.refresh_from_db()
    assert published.get_latest_revision_as_object().title == "Changed"
