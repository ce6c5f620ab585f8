"""The strength of a case study's evidence: how strongly its outcomes can be put down to the
practice, graded as AHRQ's Innovations Exchange grades its innovations.

The grades and their published definitions are the taxonomy's (data/taxonomy.json
evidence_strengths). A contributor proposes one (CaseStudyPage.proposed_evidence_strength,
a field of the draft); a moderator confirms it, or another, in the moderation workflow's
second task (EvidenceStrengthTask, after "Moderator review"). Only a confirmed grade
(CaseStudyPage.evidence_strength, the page's own, not a revision's) is shown, searched by
and exported.
"""

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, WorkflowState

from .vocabularies import taxonomy

STRENGTHS = tuple(taxonomy()["evidence_strengths"])  # strongest first
EVIDENCE_STRENGTH_CHOICES = [(term["slug"], term["label"]) for term in STRENGTHS]
DEFINITIONS = {term["slug"]: term["definition"] for term in STRENGTHS}
LABELS = dict(EVIDENCE_STRENGTH_CHOICES)
DEFINITIONS_PATH = "strength-of-evidence/"


def choices_with_definitions():
    """Each grade as a radio choice that says what it means ("Strong: Measured outcomes
    ..."), so that a screen reader moving through the choices hears the definitions."""
    return [(term["slug"], f"{term['label']}: {term['definition']}") for term in STRENGTHS]


class ConfirmStrengthForm(TaskStateCommentForm):
    """The moderator's approval of the grade: the one they confirm, and a comment."""

    evidence_strength = forms.ChoiceField(
        label="Strength of evidence",
        choices=choices_with_definitions,
        widget=forms.RadioSelect,
        help_text="Confirm the contributor's proposal (shown above) or choose another. "
        "It is shown on the case study with its definition, and searched by.",
    )


class EvidenceStrengthTask(AbstractGroupApprovalTask):
    """The moderation workflow's second task: a moderator confirms the strength of evidence.

    Approving takes the grade (ConfirmStrengthForm) and writes it on the page once the
    workflow is approved, in the same transaction as the publish (so the index, written
    after commit, has it); requesting changes sends the case study back as the first task
    does. An approval of a draft edited since its review sends it back to the review
    (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT): its grade is confirmed on the next pass.
    """

    class Meta:
        verbose_name = "Strength of evidence confirmation"
        verbose_name_plural = "Strength of evidence confirmations"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups confirm the case study's strength of evidence"

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            # Approving always asks for the grade (the modal's form): no plain "Approve".
            return [
                ("reject", "Request changes", True),
                ("approve", "Confirm the strength of evidence", True),
            ]
        return []

    def get_form_for_action(self, action):
        return ConfirmStrengthForm if action == "approve" else TaskStateCommentForm

    def get_template_for_action(self, action):
        if action == "approve":
            return "knowledgebase/admin/confirm_evidence_strength.html"
        return ""

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        strength = kwargs.pop("evidence_strength", None)
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        # The editor's action menu posts the modal's answers as JSON (workflow-action-extra-
        # data), unchecked by any form: only a grade of the taxonomy is taken, or, with none
        # given, the contributor's proposal in the submitted revision.
        if strength is None:
            strength = proposed_strength(task_state)
        if not (isinstance(strength, str) and strength in LABELS):
            raise PermissionDenied(
                "Approving this task confirms a strength of evidence: choose strong, "
                "moderate or suggestive."
            )
        redirect_to = super().on_action(task_state, user, action_name, **kwargs)
        workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
        if workflow_state.status == WorkflowState.STATUS_APPROVED:
            confirm(task_state.revision.object_id, strength)
        return redirect_to


def proposed_strength(task_state):
    return task_state.revision.content.get("proposed_evidence_strength") or ""


def confirm(page_id, strength):
    """Write a confirmed grade on the case study: one UPDATE, as the grade is the page's,
    not a revision's. (The model by name: case_studies.py imports this module.)"""
    apps.get_model("knowledgebase", "CaseStudyPage").objects.filter(pk=page_id).update(
        evidence_strength=strength, evidence_strength_confirmed=timezone.localdate()
    )


def definitions_page(request):
    """The published definitions every grade on the site links to."""
    return TemplateResponse(
        request,
        "knowledgebase/strength_of_evidence.html",
        {"strengths": STRENGTHS, "page_title": "Strength of evidence"},
    )
