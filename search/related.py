"""Related case studies ("more like this") for a case study page."""

from knowledgebase.case_studies import CaseStudyPage

from . import backends


def related_case_studies(page, limit=3):
    ids = backends.related(page, limit)
    pages = CaseStudyPage.objects.live().public().filter(pk__in=ids).select_related("provider")
    by_id = {p.pk: p for p in pages.prefetch_related("themes")}
    return [by_id[pk] for pk in ids if pk in by_id]
