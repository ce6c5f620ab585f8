from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.curated_collections import CuratedCollectionPage
from knowledgebase.taxonomy import Theme


class HomePage(Page):
    introduction = models.TextField(
        blank=True,
        default="Practice from adult social care services rated Outstanding by the CQC, "
        "written by the people who did it, for services that want to improve.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["knowledgebase.CaseStudyIndexPage", "knowledgebase.CuratedCollectionIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["collections"] = CuratedCollectionPage.objects.live().public().order_by("title")
        context["latest"] = (
            CaseStudyPage.objects.live()
            .public()
            .select_related("provider")
            .order_by("-published_date", "-first_published_at")[:6]
        )
        context["themes"] = Theme.objects.all()
        return context
