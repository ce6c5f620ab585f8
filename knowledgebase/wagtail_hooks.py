"""The CMS: providers and the editable vocabularies as snippets, readers' requests, and
moderators' reminders."""

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .case_studies import CaseStudyPage
from .enquiries import ADMIN_URL_NAMESPACE, PracticeEnquiry, Status
from .providers import Provider
from .taxonomy import InnovationType, Theme
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
    if not request.user.has_perm("knowledgebase.change_provider"):  # moderators and admins
        return
    flagged = CaseStudyPage.objects.live().filter(rating_dropped=True)
    pages = list(flagged.select_related("provider").order_by("-rating_dropped_since", "title")[:20])
    if pages:
        panels.append(RatingDroppedPanel(pages, flagged.count()))


@hooks.register("construct_homepage_panels")
def add_review_reminders(request, panels):
    if not request.user.has_perm("knowledgebase.change_provider"):  # moderators and admins
        return
    due = (
        CaseStudyPage.objects.live()
        .filter(review_date__lte=datetime.date.today())
        .order_by("review_date")[:20]
    )
    if due:
        panels.append(DueForReviewPanel(list(due)))
