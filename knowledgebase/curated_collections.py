"""Curated collections: an improvement team's ordered selection of case studies."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .case_studies import CaseStudyPage


class CuratedCollectionIndexPage(Page):
    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledgebase.CuratedCollectionPage"]
    max_count = 1

    class Meta:
        verbose_name = "curated collection index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["collections"] = (
            CuratedCollectionPage.objects.child_of(self).live().public().order_by("title")
        )
        return context


class CuratedCollectionPage(Page):
    introduction = RichTextField(features=["bold", "italic", "link", "ol", "ul", "h3"])
    curator_organisation = models.CharField(
        max_length=200, help_text="Who curated it, e.g. 'North West ADASS improvement team'"
    )

    content_panels = Page.content_panels + [
        FieldPanel("curator_organisation"),
        FieldPanel("introduction"),
        InlinePanel("items", heading="Case studies, in reading order", label="Case study"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["knowledgebase.CuratedCollectionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "curated collection"

    def visible_items(self):
        """Items whose case study the public may see, in the curator's order."""
        visible = set(CaseStudyPage.objects.live().public().values_list("pk", flat=True))
        return [
            item
            for item in self.items.select_related("case_study", "case_study__provider")
            if item.case_study_id in visible
        ]


class CuratedCollectionItem(Orderable):
    collection = ParentalKey(CuratedCollectionPage, on_delete=models.CASCADE, related_name="items")
    case_study = models.ForeignKey(CaseStudyPage, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True, help_text="Optional: why this case study is here.")

    panels = [FieldPanel("case_study"), FieldPanel("note")]

    def __str__(self):
        return f"{self.case_study} in {self.collection}"


def collections_including(case_study):
    """The live, public curated collections that include this case study, by title."""
    return (
        CuratedCollectionPage.objects.live()
        .public()
        .filter(items__case_study=case_study)
        .distinct()
        .order_by("title")
    )
