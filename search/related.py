"""Related case studies for a case study page, from whichever backend answers.

The answer is cached per page and live revision: a page view then costs no search. It is
kept for RELATED_CACHE_SECONDS, so practice published since appears within that time; the
ids are re-read as live, public pages on every view, so nothing withdrawn is ever shown.
"""

from django.core.cache import cache

from .backends import related
from .documents import public_case_studies

RELATED_CACHE_SECONDS = 3600


def related_case_studies(page, limit=3):
    key = f"related:{page.pk}:{page.live_revision_id}:{limit}"
    ids = cache.get(key)
    if ids is None:
        answer = related(page, limit)
        ids = answer.items
        if not answer.notice:  # the fallback's answer is not kept: the main search is back soon
            cache.set(key, ids, RELATED_CACHE_SECONDS)
    pages = public_case_studies().filter(pk__in=ids).select_related("provider")
    by_id = {p.pk: p for p in pages.prefetch_related("themes")}
    return [by_id[pk] for pk in ids if pk in by_id]
