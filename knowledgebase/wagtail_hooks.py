"""The CMS: providers and the editable vocabularies as snippets, and moderators' reminders."""

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
from .vocabularies import OUTSTANDING


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
