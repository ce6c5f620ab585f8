"""A moderator who "rejects" a submission asks for changes: the e-mails Wagtail sends and
the page's history say "changes requested" (templates/wagtailadmin/notifications/ and the
log formatter in knowledgebase/wagtail_hooks.py)."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageLogEntry, TaskState

from knowledgebase.case_studies import CaseStudyIndexPage, CaseStudyPage
from tests.conftest import make_record
from tests.unit.admin_forms import case_study_form_data

pytestmark = pytest.mark.django_db


def person(username, group):
    user = User.objects.create_user(username, password="pw", email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def changes_requested(client, importer, mailoutbox):
    """A contributor's submission that a moderator sent back with a comment."""
    importer([make_record(1)])
    page = CaseStudyPage.objects.get()
    contributor, moderator = person("casey", "Contributors"), person("morgan", "Moderators")
    page.provider.contributors.add(contributor)
    index = CaseStudyIndexPage.objects.get()
    client.force_login(contributor)
    client.post(
        reverse("wagtailadmin_pages:add", args=["knowledgebase", "casestudypage", index.pk]),
        {**case_study_form_data(page.provider), "action-submit": "action-submit"},
    )
    submission = CaseStudyPage.objects.get(slug="night-time-hydration-rounds")
    mailoutbox.clear()  # the "submitted" notices to moderators
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[submission.pk, "reject", submission.current_workflow_task_state.pk],
    )
    response = client.post(url, {"comment": "Please add your outcome figures"})
    assert response.status_code in (200, 302)
    submission.refresh_from_db()
    assert submission.current_workflow_state.status == "needs_changes"
    return submission


def test_the_contributor_is_told_changes_were_requested(changes_requested, mailoutbox):
    to_contributor = [m for m in mailoutbox if m.to == ["casey@example.org"]]
    assert to_contributor, [m.to for m in mailoutbox]
    for message in to_contributor:
        assert "rejected" not in message.subject.lower() and "rejected" not in message.body
        assert message.subject.startswith("Changes requested to")
        assert "Night-time hydration rounds" in message.subject
        html = message.alternatives[0][0] if message.alternatives else ""
        assert "rejected" not in html
    body = to_contributor[0].body
    assert "Changes have been requested to" in body
    assert '"Please add your outcome figures"' in body
    assert reverse("wagtailadmin_pages:edit", args=[changes_requested.pk]) in body


def test_the_page_history_says_changes_requested(client, changes_requested):
    entry = PageLogEntry.objects.get(page=changes_requested, action="wagtail.workflow.reject")
    assert entry.formatter.label == "Workflow: changes requested"
    assert entry.message == "Changes requested at 'Moderator review'"
    history = client.get(reverse("wagtailadmin_pages:history", args=[changes_requested.pk]))
    html = history.content.decode()
    assert "Changes requested at &#x27;Moderator review&#x27;" in html
    assert "Rejected at" not in html


def test_wagtails_workflow_history_says_changes_requested_too(client, changes_requested):
    """Wagtail's own word for the task status is replaced by the project's catalogue
    (locale/en_GB), wherever Wagtail shows it: here the page's workflow history."""
    task_state = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    with translation.override("en-gb"):
        assert task_state.get_status_display() == "Changes requested"
    url = reverse("wagtailadmin_pages:workflow_history", args=[changes_requested.pk])
    html = client.get(url).content.decode()
    assert "Changes requested" in html and "Rejected" not in html
