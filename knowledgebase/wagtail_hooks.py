import datetime

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .case_studies import CaseStudyPage
from .providers import Provider
from .taxonomy import InnovationType, Theme


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "home"
    menu_label = "Providers"
    list_display = ["name", "cqc_location_id", "service_type", "region", "overall_rating"]
    list_filter = ["service_type", "region", "overall_rating"]
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
