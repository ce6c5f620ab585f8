"""The CMS: providers and the editable vocabularies as snippets, readers' requests,
moderators' reminders, and contributors writing for their own providers (their dashboard,
the Outstanding rule's answer before saving, refusal of other providers' case studies)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import contributors
from .case_studies import CaseStudyIndexPage, CaseStudyPage
from .enquiries import ADMIN_URL_NAMESPACE, PracticeEnquiry, Status
from .providers import Provider
from .taxonomy import InnovationType, KeyQuestion, Theme
from .vocabularies import OUTSTANDING


class RequestPermissionPolicy(ModelPermissionPolicy):
    """Readers' requests: moderators (and superusers) see every one, a contributor those of
    the providers they belong to (Provider.contributors), curators none. Nobody adds one
    here: requests come from readers, through the form on the case study page."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return PracticeEnquiry.objects.none()
        return PracticeEnquiry.objects.visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and PracticeEnquiry.objects.visible_to(user).filter(pk=instance.pk).exists()
        )


# Registered before anything asks for the model's policy (Wagtail would make a default one).
register_permission_policy(PracticeEnquiry, RequestPermissionPolicy(PracticeEnquiry))


class OnlyVisibleRequest:
    """Another provider's request is not found, by its URL either (404, not a 403 that
    would confirm it exists)."""

    def get_object(self, *args, **kwargs):
        enquiry = super().get_object(*args, **kwargs)
        if not PracticeEnquiry.objects.visible_to(self.request.user).filter(pk=enquiry.pk).exists():
            raise Http404
        return enquiry


class RequestIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.any_permission_required
        ).select_related("case_study__provider", "offer")


class RequestEditView(OnlyVisibleRequest, generic.EditView):
    pass


class RequestDeleteView(OnlyVisibleRequest, generic.DeleteView):
    pass


class RequestHistoryView(OnlyVisibleRequest, HistoryView):
    pass


class RequestUsageView(OnlyVisibleRequest, UsageView):
    pass


class RequestViewSet(ModelViewSet):
    """The admin's "Requests from readers": staff change a request's status; the reader's
    words stay as they were sent."""

    model = PracticeEnquiry
    name = ADMIN_URL_NAMESPACE
    icon = "mail"
    menu_label = "Requests from readers"
    menu_order = 250
    add_to_admin_menu = True
    add_to_reference_index = False  # a request is not a "usage" of its case study
    copy_view_enabled = False
    index_view_class = RequestIndexView
    edit_view_class = RequestEditView
    delete_view_class = RequestDeleteView
    history_view_class = RequestHistoryView
    usage_view_class = RequestUsageView
    list_display = [
        "organisation",
        Column("asking_for_label", label="Asks for"),
        Column("case_study", label="Case study", accessor="case_study.title"),
        Column("provider", label="Provider", accessor="case_study.provider.name"),
        StatusTagColumn(
            "get_status_display",
            label="Status",
            sort_key="status",
            primary=lambda enquiry: enquiry.status == Status.NEW,
        ),
        DateColumn("created_at", label="Received", sort_key="created_at"),
    ]
    list_filter = ["status"]
    search_fields = ["name", "organisation", "email", "message"]
    search_backend_name = None  # the ORM: requests are not in Wagtail's search index
    ordering = "-created_at"
    panels = [
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldPanel("case_study", read_only=True),
                FieldPanel("offer", read_only=True),
                FieldRowPanel(
                    [
                        FieldPanel("name", read_only=True),
                        FieldPanel("role", read_only=True),
                        FieldPanel("organisation", read_only=True),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("email", read_only=True),
                        FieldPanel("cqc_location_id", read_only=True),
                    ]
                ),
                FieldPanel("message", read_only=True),
                FieldRowPanel(
                    [
                        FieldPanel("created_at", read_only=True),
                        FieldPanel("consent", read_only=True),
                    ]
                ),
            ],
            heading="What the reader sent",
            help_text="Reply to the reader by e-mail, then mark the request answered.",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_request_viewset():
    return RequestViewSet()


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "home"
    menu_label = "Providers"
    list_display = [
        "name",
        "cqc_location_id",
        "service_type",
        "region",
        "overall_rating",
        "ratings_source",
    ]
    list_filter = ["service_type", "region", "overall_rating", "ratings_source"]
    search_fields = ["name", "cqc_location_id"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["label", "slug"]
    search_fields = ["label"]


class InnovationTypeViewSet(SnippetViewSet):
    model = InnovationType
    icon = "pick"
    list_display = ["label", "slug"]
    search_fields = ["label"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "Practice Exchange"
    menu_icon = "folder-open-inverse"
    items = [ProviderViewSet, ThemeViewSet, InnovationTypeViewSet]


register_snippet(TaxonomyGroup)


class DueForReviewPanel(Component):
    """Moderators' dashboard reminder: published case studies past their review date."""

    name = "due_for_review"
    order = 50

    def __init__(self, pages):
        self.pages = pages

    def render_html(self, parent_context=None):
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> (review was due {})</li>',
            (
                (
                    reverse("wagtailadmin_pages:edit", args=[p.pk]),
                    p.title,
                    p.review_date.strftime("%-d %B %Y"),
                )
                for p in self.pages
            ),
        )
        return format_html(
            '<section class="panel"><h2>Case studies due for review</h2>'
            "<p>Check these are still current, then update their review date.</p>"
            "<ul>{}</ul></section>",
            rows,
        )


class RatingDroppedPanel(Component):
    """Moderators' dashboard: published case studies whose provider's CQC rating dropped."""

    name = "rating_dropped"
    order = 40  # above the review reminders: this is about what the public reads now

    def __init__(self, pages, total):
        self.pages, self.total = pages, total

    def render_html(self, parent_context=None):
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} is now rated {} overall{}{}</li>',
            (
                (
                    reverse("wagtailadmin_pages:edit", args=[p.pk]),
                    p.title,
                    p.provider.name,
                    p.provider.get_overall_rating_display(),
                    key_question_summary(p.provider),
                    since(p.rating_dropped_since),
                )
                for p in self.pages
            ),
        )
        more = (
            format_html("<p>Showing {} of {}.</p>", len(self.pages), self.total)
            if self.total > len(self.pages)
            else ""
        )
        return format_html(
            '<section class="panel" aria-labelledby="rating-dropped-heading">'
            '<h2 id="rating-dropped-heading">Case studies whose provider\'s rating dropped</h2>'
            "<p>Their provider is no longer rated Outstanding overall or in a key question "
            "they address. Check each one: unpublish it, or change the key questions it "
            "claims.</p><ul>{}</ul>{}</section>",
            rows,
            more,
        )


def since(date):
    """When the CQC rating that dropped a case study was published."""
    return f" (since {date:%-d %B %Y})" if date else ""


def key_question_summary(provider):
    outstanding = [kq for kq, rating, slug in provider.rating_rows() if slug == OUTSTANDING]
    return f", Outstanding in {', '.join(outstanding)}" if outstanding else ""


@hooks.register("construct_homepage_panels")
def add_rating_dropped(request, panels):
    if not contributors.writes_for_any_provider(request.user):  # moderators and admins
        return
    flagged = CaseStudyPage.objects.live().filter(rating_dropped=True)
    pages = list(flagged.select_related("provider").order_by("-rating_dropped_since", "title")[:20])
    if pages:
        panels.append(RatingDroppedPanel(pages, flagged.count()))


@hooks.register("construct_homepage_panels")
def add_review_reminders(request, panels):
    if not contributors.writes_for_any_provider(request.user):  # moderators and admins
        return
    due = (
        CaseStudyPage.objects.live()
        .filter(review_date__lte=datetime.date.today())
        .order_by("review_date")[:20]
    )
    if due:
        panels.append(DueForReviewPanel(list(due)))


# Moderators see what waits for them first: Wagtail's moderation queue (order 220 by
# default) goes after the rating-dropped panel (40) and before the review reminders (50).
MODERATION_QUEUE_ORDER = 45


@hooks.register("construct_homepage_panels")
def moderation_queue_first(request, panels):
    for panel in panels:
        if panel.name == "workflow_objects_to_moderate":
            panel.order = MODERATION_QUEUE_ORDER


# Contributors writing for their own providers ---------------------------------------


def case_study_index():
    return CaseStudyIndexPage.objects.first()


def write_a_case_study_url(index):
    return reverse("wagtailadmin_pages:add", args=["knowledgebase", "casestudypage", index.pk])


def is_contributor(user, index):
    """Writes case studies (may add them under the index) but not for every provider."""
    return (
        index is not None
        and not contributors.writes_for_any_provider(user)
        and index.permissions_for_user(user).can_add_subpage()
    )


class ContributorPanel(Component):
    """A contributor's dashboard: the way in ("Write a case study"), their drafts, their
    submissions with where each stands, and their providers' requests from readers."""

    name = "contributor_case_studies"
    order = 30  # first: it is what a contributor comes to the admin for
    template_name = "knowledgebase/admin/contributor_dashboard.html"
    REQUESTS_SHOWN = 10

    def __init__(self, user, index):
        self.user, self.index = user, index

    def get_context_data(self, parent_context=None):
        user = self.user
        providers = list(contributors.providers_for(user).order_by("name"))
        pages = list(
            CaseStudyPage.objects.child_of(self.index)
            .filter(Q(owner=user) | Q(latest_revision__user=user))
            .filter(Q(live=False) | Q(has_unpublished_changes=True))
            .order_by("-latest_revision_created_at")
        )
        # Object ids of workflow states are text (a generic relation): match them as such.
        states = {
            int(state.object_id): state
            for state in WorkflowState.objects.active()
            .filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=[str(page.pk) for page in pages],
            )
            .select_related("current_task_state__task")
        }
        submissions = [
            (page, submission_status(states[page.pk])) for page in pages if page.pk in states
        ]
        requests = list(
            PracticeEnquiry.objects.visible_to(user)
            .select_related("case_study", "offer")
            .order_by("-created_at")[: self.REQUESTS_SHOWN]
        )
        return {
            "providers": providers,
            "no_provider_message": contributors.NO_PROVIDER_MESSAGE,
            "write_url": write_a_case_study_url(self.index),
            "drafts": [page for page in pages if page.pk not in states],
            "submissions": submissions,
            "requests": requests,
            "requests_url": reverse(f"{ADMIN_URL_NAMESPACE}:index"),
        }


def submission_status(state):
    """Where a submission stands, in the words of the action taken on it."""
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "Changes requested"
    task = state.current_task_state.task if state.current_task_state else None
    return f"Awaiting {task.name.lower()}" if task else "Submitted"


@hooks.register("construct_homepage_panels")
def add_contributor_panel(request, panels):
    index = case_study_index()
    if not is_contributor(request.user, index):
        return
    panels.append(ContributorPanel(request.user, index))
    # Their submissions are in their own panel, with the words it uses.
    panels[:] = [p for p in panels if p.name != "user_objects_in_workflow_moderation"]


def refusal(request, page_title, message):
    return TemplateResponse(
        request,
        "knowledgebase/admin/not_your_provider.html",
        {"page_title": page_title, "message": message},
        status=403,
    )


@hooks.register("before_create_page")
def contributors_need_a_provider(request, parent_page, page_class):
    if not issubclass(page_class, CaseStudyPage):
        return None
    if not contributors.providers_for(request.user).exists():
        return refusal(
            request, "You cannot write a case study yet", contributors.NO_PROVIDER_MESSAGE
        )
    return None


# Another provider's case study: CaseStudyPage.permissions_for_user (contributors.py)
# refuses its edit, copy, move and delete, and Wagtail's listings offer none of them.


@hooks.register("after_create_page")
def offer_the_existing_draft(request, page):
    """A new case study whose slug clashed with a sibling's was given a suffix by its form;
    when that sibling is a draft this user may edit, offer to go back to it."""
    clash = getattr(page, "slug_clash", None)
    if clash is None or clash.live or not clash.permissions_for_user(request.user).can_edit():
        return
    messages.warning(
        request,
        f"There is already a draft called \u201c{clash.title}\u201d. This new case study was "
        f"saved with the web address \u201c{page.slug}\u201d so nothing is lost.",
        buttons=[
            messages.button(
                reverse("wagtailadmin_pages:edit", args=[clash.pk]),
                f"Continue your draft {clash.title}",
                new_window=False,
            )
        ],
    )


def outstanding_rule(request):
    """The Outstanding rule's answer for a provider and key questions (ids, as the case
    study form posts them), for admin_outstanding_rule.js. Only for providers this user
    writes for: another provider is not found."""
    provider_id = request.GET.get("provider", "")
    if not provider_id.isdigit():
        return JsonResponse({"error": "Give a provider id."}, status=400)
    provider = contributors.providers_for(request.user).filter(pk=provider_id).first()
    if provider is None:
        return JsonResponse({"error": "No such provider of yours."}, status=404)
    ids = [i for i in request.GET.getlist("key_questions") if i.isdigit()]
    slugs = list(KeyQuestion.objects.filter(pk__in=ids).values_list("slug", flat=True))
    meets, message = contributors.outstanding_rule_answer(provider, slugs)
    return JsonResponse({"meets_rule": meets, "message": message})


@hooks.register("register_admin_urls")
def outstanding_rule_urls():
    # Wagtail wraps these in its admin login and access check.
    return [path("outstanding-rule/", outstanding_rule, name="knowledgebase_outstanding_rule")]


# Moderation words ------------------------------------------------------------------------
# A moderator who "rejects" a submission asks for changes: the draft is kept and comes back.
# The e-mails say so (templates/wagtailadmin/notifications/*rejected*); so does the page
# history, through this formatter, which replaces Wagtail's own for the same action.


@hooks.register("register_log_actions", order=100)  # after Wagtail's own registration
def changes_requested_log_action(actions):
    action = "wagtail.workflow.reject"
    actions.choices[:] = [choice for choice in actions.choices if choice[0] != action]

    @actions.register_action(action)
    class ChangesRequestedFormatter(LogFormatter):
        label = "Workflow: changes requested"

        def format_message(self, log_entry):
            try:
                task = log_entry.data["workflow"]["task"]["title"]
            except (KeyError, TypeError):
                return "Changes requested"
            return f"Changes requested at '{task}'"

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")
