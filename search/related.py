"""Related case studies for a case study page, from whichever backend answers."""

from .backends import related
from .documents import public_case_studies


def related_case_studies(page, limit=3):
    ids = related(page, limit).items
    pages = public_case_studies().filter(pk__in=ids).select_related("provider")
    by_id = {p.pk: p for p in pages.prefetch_related("themes")}
    return [by_id[pk] for pk in ids if pk in by_id]
