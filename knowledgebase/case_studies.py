"""Case studies: how an Outstanding service did something, told so another can copy it."""

import datetime
import re

from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.forms import CheckboxSelectMultiple, RadioSelect, Select
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageLogEntry
from wagtail.search import index

from . import contributors, enquiries, evidence
from .blocks import ApproachBlock, OutcomeMeasureBlock, approach_text

REVIEW_AFTER_YEARS = 2

# How a case study is classified (each a vocabulary, each a facet of the search), and the
# same relations with what the provider offers: the page's ParentalManyToManyFields.
CLASSIFICATIONS = (
    "themes",
    "innovation_types",
    "key_questions",
    "quality_statements",
    "evidence_types",
)
RELATIONS = (*CLASSIFICATIONS, "offers")

# The longest each free-text field may be, in characters. The admin's form (CaseStudyPageForm)
# and the interchange schema (data/case-study.schema.json: maxLength, which
# tests/unit/test_import_faults.py checks against these) both hold to them. Generous: the
# longest demo text is under 2,000 characters; a case study is read in ten minutes.
TEXT_LIMITS = {
    "title": Page._meta.get_field("title").max_length,  # 255
    "summary": 600,
    "challenge": 20_000,
    "approach": 20_000,  # as plain text: paragraphs, quotes' words, captions
    "outcomes": 20_000,
    "lessons": 20_000,
    "adoption": 20_000,
}
# The most terms a case study lists in one vocabulary (the largest has 34): maxItems.
MAX_TERMS = 100

external_id_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{2,63}$",
    "3 to 64 lowercase letters, digits and hyphens, starting with a letter or digit.",
)


def review_date_for(published):
    """Two years after publishing, when moderators check the practice is still current."""
    try:
        return published.replace(year=published.year + REVIEW_AFTER_YEARS)
    except ValueError:  # 29 February
        return published.replace(year=published.year + REVIEW_AFTER_YEARS, day=28)


def reviewed_recently_cutoff(today=None):
    """A case study whose review date is before this date is not recently reviewed: its
    review is more than settings.REVIEW_GRACE_DAYS overdue."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.REVIEW_GRACE_DAYS)


def not_recently_reviewed(review_date, cutoff=None):
    """Is a review date (a date, or an ISO date or datetime as a search document holds it)
    more than the grace period past? Each backend, the page and the API ask here."""
    if not review_date:
        return False
    cutoff = cutoff or reviewed_recently_cutoff()
    if isinstance(review_date, str):
        return review_date[:10] < cutoff.isoformat()
    return review_date < cutoff


def quality_statement_errors(key_questions, quality_statements):
    """Each quality statement must sit under a key question the case study addresses."""
    addressed = {kq.slug for kq in key_questions}
    return [
        f"'{qs.label}' is a quality statement of the {qs.key_question.label} key question, "
        "which this case study does not address."
        for qs in quality_statements
        if qs.key_question.slug not in addressed
    ]


class CaseStudyPageForm(WagtailAdminPageForm):
    """The admin's case study form. A contributor chooses only among the providers they
    write for (knowledgebase/contributors.py) and sees the Outstanding rule's answer beside
    the provider and key questions before saving; a new page whose slug another page under
    the index already has gets the next free suffix instead of an error."""

    class Media:
        js = ["js/admin_outstanding_rule.js"]  # updates the rule's answer as choices change

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # TEXT_LIMITS as validators, not as max_length on the TextFields: a widget's maxlength
        # makes the browser cut a paste short without a word; a validator's error says what is
        # wrong and the form comes back with everything that was typed.
        for name, limit in TEXT_LIMITS.items():
            field = self.fields.get(name)
            if field is not None and name != "approach" and not getattr(field, "max_length", 0):
                field.validators.append(MaxLengthValidator(limit))
        self.slug_clash = None  # the sibling whose slug a new page's slug was suffixed past
        if "provider" in self.fields:
            self._offer_own_providers()
            self._show_outstanding_rule_answer()
        if "proposed_evidence_strength" in self.fields:
            # Each choice says what it means, for whoever moves through them by keyboard.
            self.fields["proposed_evidence_strength"].choices = [
                ("", "Not proposed yet"),
                *evidence.choices_with_definitions(),
            ]

    def _offer_own_providers(self):
        user = self.for_user
        if user is None or contributors.writes_for_any_provider(user):
            return
        field = self.fields["provider"]
        field.queryset = contributors.providers_for(user).order_by("name")
        own = list(field.queryset)
        # A plain list of their own few providers, not the chooser of every provider.
        field.widget = Select(choices=[("", "---------"), *((p.pk, p.name) for p in own)])
        names = ", ".join(p.name for p in own)
        field.error_messages["invalid_choice"] = (
            f"You can write case studies only for your own providers ({names}). "
            "Ask a moderator if you also write for another."
            if own
            else contributors.NO_PROVIDER_MESSAGE
        )
        if len(own) == 1 and not self.is_bound and not self.instance.provider_id:
            self.initial["provider"] = own[0].pk

    def _current_choice(self):
        """The provider and key question slugs as the form stands (typed, or saved)."""
        if self.is_bound:
            provider_id = self.data.get("provider")
            key_question_ids = self.data.getlist("key_questions")
        else:
            provider_id = self.initial.get("provider")
            saved = self.initial.get("key_questions") or ()
            key_question_ids = [getattr(kq, "pk", kq) for kq in saved]
        provider = None
        if str(provider_id or "").isdigit():
            provider = self.fields["provider"].queryset.filter(pk=provider_id).first()
        ids = [i for i in map(str, key_question_ids) if i.isdigit()]
        slugs = []
        if ids and "key_questions" in self.fields:
            chosen = self.fields["key_questions"].queryset.filter(pk__in=ids)
            slugs = list(chosen.values_list("slug", flat=True))
        return provider, slugs

    def _show_outstanding_rule_answer(self):
        """The rule's answer for the current choice as the provider's and the key questions'
        help text (so it is in their aria-describedby); admin_outstanding_rule.js keeps it
        current from the outstanding-rule endpoint as the contributor changes them."""
        provider, slugs = self._current_choice()
        if provider is None:
            meets, message = (
                "",
                (
                    "Choose the provider to see whether the case study meets the Outstanding "
                    "rule: its provider is rated Outstanding overall, or in a key question it "
                    "addresses."
                ),
            )
        else:
            meets, message = contributors.outstanding_rule_answer(provider, slugs)
            meets = "yes" if meets else "no"
        url = reverse("knowledgebase_outstanding_rule")
        for name in ("provider", "key_questions"):
            if name in self.fields:
                self.fields[name].help_text = format_html(
                    '<span class="outstanding-rule-answer" data-rule-url="{}" '
                    'data-meets-rule="{}" aria-live="polite">{}</span>',
                    url,
                    meets,
                    message,
                )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance.pk is None and self.parent_page is not None and slug:
            siblings = self.parent_page.get_children()
            clash = siblings.filter(slug=slug).first()
            if clash is not None:
                # Kept on the page too: the after_create_page hook (wagtail_hooks.py), which
                # offers the clashing draft, is given the page, not the form.
                self.slug_clash = self.instance.slug_clash = clash
                suffix = 2
                while siblings.filter(slug=f"{slug}-{suffix}").exists():
                    suffix += 1
                slug = f"{slug}-{suffix}"
        return slug

    def get_field_updates_for_resave(self):
        """After an autosave of a new page, the open form takes the suffixed slug too."""
        updates = super().get_field_updates_for_resave()
        if self.slug_clash is not None:
            updates.append(("slug", self.cleaned_data["slug"]))
        return updates

    def clean(self):
        cleaned = super().clean()
        approach, limit = cleaned.get("approach"), TEXT_LIMITS["approach"]
        if approach is not None and len(text := approach_text(approach)) > limit:
            self.add_error(
                "approach",
                f"Ensure the approach has at most {limit} characters of text (it has {len(text)}).",
            )
        provider = cleaned.get("provider")
        key_questions = cleaned.get("key_questions")
        if provider and key_questions:
            error = provider.outstanding_rule_error([kq.slug for kq in key_questions])
            if error:
                self.add_error("provider", error)
        if key_questions is not None and cleaned.get("quality_statements"):
            for error in quality_statement_errors(key_questions, cleaned["quality_statements"]):
                self.add_error("quality_statements", error)
        return cleaned


class CaseStudyIndexPage(Page):
    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledgebase.CaseStudyPage"]
    max_count = 1

    class Meta:
        verbose_name = "case study index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        case_studies = (
            CaseStudyPage.objects.child_of(self)
            .live()
            .public()
            .select_related("provider")
            .prefetch_related("themes")
            .order_by("-published_date", "-first_published_at")
        )
        context["case_studies"] = Paginator(case_studies, 20).get_page(request.GET.get("page"))
        return context


class CaseStudyPage(RoutablePageMixin, Page):
    external_id = models.CharField(
        "interchange id",
        max_length=64,
        unique=True,
        blank=True,
        validators=[external_id_validator],
        help_text="Stable id used by imports, exports and the search API. "
        "Left blank, it is made from the slug.",
    )
    summary = models.TextField(
        max_length=TEXT_LIMITS["summary"],
        help_text="Two or three sentences: what you did and what changed.",
    )
    challenge = models.TextField("the challenge", blank=True, help_text="The problem you faced.")
    approach = StreamField(ApproachBlock(), help_text="What you did.")
    outcomes = models.TextField(blank=True, help_text="What changed, with figures where you can.")
    outcome_measures = StreamField(
        [("measure", OutcomeMeasureBlock())], blank=True, verbose_name="measured outcomes"
    )
    lessons = models.TextField(
        blank=True, help_text="What you learned, including what did not work."
    )
    adoption = models.TextField(
        "what it takes to adopt",
        blank=True,
        help_text="What another service needs: cost, time, people, equipment.",
    )
    provider = models.ForeignKey(
        "knowledgebase.Provider",
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    themes = ParentalManyToManyField("knowledgebase.Theme", related_name="case_studies")
    innovation_types = ParentalManyToManyField(
        "knowledgebase.InnovationType", blank=True, related_name="case_studies"
    )
    key_questions = ParentalManyToManyField(
        "knowledgebase.KeyQuestion",
        related_name="case_studies",
        verbose_name="CQC key questions addressed",
    )
    quality_statements = ParentalManyToManyField(
        "knowledgebase.QualityStatement",
        blank=True,
        related_name="case_studies",
        verbose_name="CQC quality statements shown",
    )
    evidence_types = ParentalManyToManyField(
        "knowledgebase.EvidenceType", blank=True, related_name="case_studies"
    )
    # Proposed by the contributor (a field of the draft); a moderator confirms it, or another,
    # in the workflow's second task (knowledgebase/evidence.py). Only the confirmed grade,
    # the page's own, is shown, searched by and exported.
    proposed_evidence_strength = models.CharField(
        "strength of evidence",
        max_length=20,
        choices=evidence.EVIDENCE_STRENGTH_CHOICES,
        blank=True,
        help_text="How strongly the outcomes can be put down to what you did. A moderator "
        "confirms it, or another, before it is published.",
    )
    evidence_strength = models.CharField(
        "confirmed strength of evidence",
        max_length=20,
        choices=evidence.EVIDENCE_STRENGTH_CHOICES,
        blank=True,
        editable=False,
    )
    evidence_strength_confirmed = models.DateField(null=True, blank=True, editable=False)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    offers = ParentalManyToManyField(
        "knowledgebase.Offer",
        blank=True,
        related_name="case_studies",
        verbose_name="what you offer to other services",
    )
    published_date = models.DateField(
        null=True, blank=True, help_text="Left blank, the date it is first published."
    )
    review_date = models.DateField(
        null=True,
        blank=True,
        help_text="When moderators check it is still current. "
        f"Left blank, {REVIEW_AFTER_YEARS} years after publishing.",
    )
    # Set and cleared by the re-check after each import of CQC's ratings (knowledgebase/cqc/
    # recheck.py), never by editors: the provider no longer meets the Outstanding rule.
    rating_dropped = models.BooleanField(
        "provider's rating dropped",
        default=False,
        editable=False,
        help_text="Its provider is no longer rated Outstanding overall or in a key question "
        "it addresses.",
    )
    rating_dropped_since = models.DateField(null=True, blank=True, editable=False)

    # The flag belongs to the page, not to a revision: a copy starts without it, and
    # publishing an older revision must not bring back the flag that revision was saved with.
    # So is the confirmed strength of evidence: a moderator's, written by the workflow's task.
    PAGE_NOT_REVISION_FIELDS = (
        "rating_dropped",
        "rating_dropped_since",
        "evidence_strength",
        "evidence_strength_confirmed",
    )
    # The interchange id is unique: a copy starts without one and save() makes it a fresh
    # one from its own slug (Wagtail writes the copy's value into the copied revisions too).
    exclude_fields_in_copy = [*PAGE_NOT_REVISION_FIELDS, "external_id"]

    base_form_class = CaseStudyPageForm
    parent_page_types = ["knowledgebase.CaseStudyIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("challenge"),
        index.SearchField("approach"),
        index.SearchField("outcomes"),
        index.SearchField("lessons"),
        index.SearchField("adoption"),
        index.SearchField("external_id"),
        index.FilterField("published_date"),
        # The public search's database backend narrows to it before Wagtail's search runs
        # (practice for gaps, feeds and alerts never offer practice whose rating dropped).
        index.FilterField("rating_dropped"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("challenge"),
        FieldPanel("approach"),
        MultiFieldPanel([FieldPanel("outcomes"), FieldPanel("outcome_measures")], "Outcomes"),
        FieldPanel("lessons"),
        FieldPanel("adoption"),
    ]
    classification_panels = [
        *(FieldPanel(name, widget=CheckboxSelectMultiple) for name in CLASSIFICATIONS),
        FieldPanel("proposed_evidence_strength", widget=RadioSelect),
    ]
    provider_panels = [
        FieldPanel("provider"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
                FieldPanel("offers", widget=CheckboxSelectMultiple),
            ],
            "How other services get in touch",
        ),
    ]
    promote_panels = Page.promote_panels + [
        FieldRowPanel([FieldPanel("published_date"), FieldPanel("review_date")], "Dates"),
        FieldPanel("external_id"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Case study"),
            ObjectList(classification_panels, heading="Classification"),
            ObjectList(provider_panels, heading="Provider and contact"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    class Meta:
        verbose_name = "case study"

    def save(self, *args, **kwargs):
        self.set_publishing_defaults()
        return super().save(*args, **kwargs)

    def set_publishing_defaults(self):
        """An external id always; once live, a published date and the review date after it."""
        if not self.external_id:
            self.external_id = self._unique_external_id()
        if self.live and not self.published_date:
            self.published_date = timezone.localdate()
        if self.published_date and not self.review_date:
            self.review_date = review_date_for(self.published_date)

    def _unique_external_id(self):
        base = re.sub(r"[^a-z0-9-]", "-", (self.slug or "case-study").lower()).strip("-")[:60]
        base = base if len(base) >= 3 else f"cs-{base}"
        candidate, n = base, 1
        while CaseStudyPage.objects.filter(external_id=candidate).exclude(pk=self.pk).exists():
            n += 1
            candidate = f"{base[:58]}-{n}"
        return candidate

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read once: the head links each theme's feed, the classification panel lists them.
        context["themes"] = list(self.themes.all())
        # Each statement names its key question: read with it, not one query a statement.
        context["quality_statements"] = list(self.quality_statements.select_related("key_question"))
        return context

    def permissions_for_user(self, user):
        # A contributor acts only on their own providers' case studies (contributors.py).
        return contributors.CaseStudyPermissionTester(user, self)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in self.PAGE_NOT_REVISION_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    @cached_property
    def last_reviewed(self):
        """When a moderator last checked it: its published date, or the last time a person
        published it since (contributors cannot publish, so that person moderated it). An
        import's publishing is not a review: it has no user."""
        published_by_a_person = (
            PageLogEntry.objects.filter(page=self, action="wagtail.publish", user__isnull=False)
            .order_by("-timestamp")
            .values_list("timestamp", flat=True)
            .first()
        )
        dates = [self.published_date]
        if published_by_a_person:
            dates.append(timezone.localdate(published_by_a_person))
        return max((date for date in dates if date), default=None)

    @property
    def is_due_for_review(self):
        return bool(self.review_date and self.review_date <= timezone.localdate())

    @property
    def not_recently_reviewed(self):
        """Its review is more than the grace period overdue: marked on the page and ranked
        below reviewed practice by the search."""
        return not_recently_reviewed(self.review_date)

    @property
    def evidence_strength_definition(self):
        return evidence.DEFINITIONS.get(self.evidence_strength, "")

    def approach_text(self):
        """The approach as plain text, a blank line between paragraphs (the interchange form)."""
        return approach_text(self.approach)

    # Asking the provider (knowledgebase/enquiries.py); the page itself is the index route.
    @path("ask/", name="ask")
    def ask_the_provider(self, request):
        return enquiries.ask_the_provider(request, self)

    @path("ask/sent/", name="ask-sent")
    def ask_the_provider_sent(self, request):
        return enquiries.request_sent(request, self)


@receiver(post_save, sender=PageLogEntry)
def renew_an_overdue_review(sender, instance, created, **kwargs):
    """A person's publish of a case study past its review date is its review (contributors
    cannot publish: that person moderated it), so the next review is due REVIEW_AFTER_YEARS
    on. Without this the page would say it was last reviewed today and is overdue. An
    import's publish has no user and renews nothing. The log entry is written after the
    page is saved from its revision, so this update is not overwritten."""
    if not created or instance.action != "wagtail.publish" or instance.user_id is None:
        return
    today = timezone.localdate()
    CaseStudyPage.objects.filter(pk=instance.page_id, review_date__lte=today).update(
        review_date=review_date_for(today)
    )
    # A moderator's publish outside the workflow confirms the proposed strength of evidence
    # of a page that has none confirmed; through the workflow, its task has confirmed one
    # already (knowledgebase/evidence.py), and only the task changes a confirmed grade.
    CaseStudyPage.objects.filter(pk=instance.page_id, evidence_strength="").exclude(
        proposed_evidence_strength=""
    ).update(
        evidence_strength=models.F("proposed_evidence_strength"),
        evidence_strength_confirmed=today,
    )
