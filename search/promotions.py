"""Promoted results: case studies a curator put first for a search, in Wagtail's search
promotions (admin: Settings > Promoted search results).

Applied here, after whichever backend answered, so the search page and the JSON API show the
same promoted results first on Elasticsearch and on the database. A promotion counts only
for a live, public case study whose provider's rating has not dropped, and that matches the
search's filters; it is shown on the first page only, once (taken out of the organic results
there), marked `promoted`.
"""

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from .backends.database import apply_filters
from .documents import documents_in_batches, public_case_studies, public_document
from .results import hit_from


def promoted_page_ids(q):
    """The ids of the pages promoted for these words, in the curators' order."""
    words = normalise_query_string(q)
    if not words:
        return []
    return list(
        SearchPromotion.objects.filter(query__query_string=words, page__isnull=False)
        .order_by("sort_order", "pk")
        .values_list("page_id", flat=True)
    )


def promoted_hits(query, organic=()):
    """The promoted results (Hit, promoted=True) for a SearchQuery, in the curators' order.
    One the backend found too (in `organic`) keeps its highlight."""
    if not query.q or query.page != 1:
        return []
    page_ids = promoted_page_ids(query.q)
    if not page_ids:
        return []
    eligible = apply_filters(
        public_case_studies().filter(pk__in=page_ids, rating_dropped=False), query.filters
    )
    found = {hit.page_id: hit for hit in organic}
    eligible_ids = set(eligible.values_list("pk", flat=True))
    missing = eligible.exclude(pk__in=list(found))
    found |= {
        page.pk: hit_from(public_document(page))
        for page in (documents_in_batches(missing) if eligible_ids - set(found) else ())
    }
    hits = []
    for page_id in dict.fromkeys(page_ids):  # a page promoted twice is shown once
        if page_id in eligible_ids:
            hit = found[page_id]
            hit.promoted = True
            hits.append(hit)
    return hits


def with_promotions(query, results):
    """The SearchResults with the promoted results first and not repeated below. The organic
    results keep their number (nothing is pushed to the next page)."""
    promoted = promoted_hits(query, results.hits)
    if not promoted:
        return results
    shown = {hit.page_id for hit in promoted}
    results.hits = promoted + [hit for hit in results.hits if hit.page_id not in shown]
    # A promoted case study the words did not find is still one the search shows.
    results.total = max(results.total, len(results.hits))
    return results
