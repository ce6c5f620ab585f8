"""The database backend: the embedded default, and the fallback when Elasticsearch is down.

Full text comes from Wagtail's database search (PostgreSQL full text search with English
stemming, or SQLite FTS5), widened by the same synonym list Elasticsearch uses; facets
and filters are plain ORM queries over live, public case studies.
"""

import html
import math
import re

from django.db.models import Count, Q
from modelsearch.backends import get_search_backend
from wagtail.search.query import Or, PlainText

from knowledgebase.case_studies import CaseStudyPage

from ..documents import SNIPPET_FIELDS, indexable_case_studies, public_case_studies, public_document
from ..facets import FACETS
from ..results import SNIPPET_LENGTH, FacetValue, SearchResults, hit_from
from ..synonyms import STOP_WORDS, concepts, expansions
from .base import SearchBackend

SERVICE_TYPE_BOOST = 1.5
MAX_CONCEPTS = 8


def apply_filters(queryset, filters, skip=None):
    """AND across facets, OR within one; `skip` leaves one facet out (for its own counts)."""
    for facet in FACETS:
        values = filters.get(facet.name)
        if values and facet.name != skip:
            matching = CaseStudyPage.objects.filter(**{f"{facet.db_lookup}__in": values})
            queryset = queryset.filter(pk__in=matching.values("pk"))
    return queryset


def highlight_terms(q):
    """Word stems to mark: the query's words and their synonyms, cut to a stem-like prefix."""
    words = set(re.findall(r"[a-z0-9]+", " ".join([q, *expansions(q)]).lower())) - STOP_WORDS
    stems = {w[: max(4, len(w) - 3)] if len(w) > 5 else w for w in words if len(w) > 2}
    return sorted(stems, key=len, reverse=True)


def highlight(texts, q):
    """An escaped snippet of the first text that mentions a query word, matches in <mark>."""
    stems = highlight_terms(q) if q else []
    if stems:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, stems)) + r")[a-z0-9]*", re.I)
        for text in texts:
            match = pattern.search(text or "")
            if match:
                start = max(0, match.start() - SNIPPET_LENGTH // 3)
                start = text.rfind(" ", 0, start) + 1 if start else 0
                snippet = text[start : start + SNIPPET_LENGTH]
                marked = pattern.sub(lambda m: f"\0{m.group(0)}\1", snippet)
                escaped = html.escape(marked).replace("\0", "<mark>").replace("\1", "</mark>")
                return (
                    ("…" if start else "")
                    + escaped
                    + ("…" if len(text) > start + SNIPPET_LENGTH else "")
                )
    return ""  # no match: the result's own snippet stands in


def hit_for(page, q, score=None):
    document = public_document(page)
    return hit_from(
        document, highlight=highlight([document[f] for f in SNIPPET_FIELDS], q), score=score
    )


class DatabaseBackend(SearchBackend):
    name = "database"

    def matching_scores(self, q):
        """{page id: score} for pages matching any concept of q.

        Database ranking functions (PostgreSQL's ts_rank in particular) ignore how rare a
        word is, so "residents" would outweigh "hydration". Each concept (a word or phrase
        with its synonyms) is searched on its own and weighted by its rarity, as BM25 does.
        """
        backend = get_search_backend()
        pool = public_case_studies()
        total = pool.count()
        scores = {}
        for concept in concepts(q)[:MAX_CONCEPTS]:
            query = Or([PlainText(term, operator="and") for term in concept])
            # Best first, whatever the engine's score scale (SQLite's bm25 is negative).
            ranked = [page.pk for page in backend.search(query, pool)]
            if not ranked:
                continue
            rarity = math.log(1 + (total - len(ranked) + 0.5) / (len(ranked) + 0.5))
            for position, pk in enumerate(ranked):
                closeness = 1.0 - 0.5 * position / len(ranked)
                scores[pk] = scores.get(pk, 0.0) + rarity * closeness
        return scores

    def search(self, query):
        base = public_case_studies()
        scores = None
        if query.q:
            scores = self.matching_scores(query.q)
            base = base.filter(pk__in=list(scores))
        filtered = apply_filters(base, query.filters)
        ordered_ids = self._order(filtered, scores, query)
        total = len(ordered_ids)
        page_ids = ordered_ids[query.offset : query.offset + query.page_size]
        pages = {p.pk: p for p in indexable_case_studies().filter(pk__in=page_ids)}
        hits = [
            hit_for(pages[pk], query.q, scores.get(pk) if scores else None)
            for pk in page_ids
            if pk in pages
        ]
        return SearchResults(
            total=total,
            hits=hits,
            facets=self.facet_counts(base, query),
            backend=self.name,
            page=query.page,
            page_size=query.page_size,
        )

    def _order(self, queryset, scores, query):
        rows = list(
            queryset.values_list(
                "pk", "published_date", "first_published_at", "provider__service_type"
            )
        )

        def newest(row):
            return (row[1].toordinal() if row[1] else 0, row[2].timestamp() if row[2] else 0)

        def preference(row):
            return (
                SERVICE_TYPE_BOOST
                if query.prefer_service_type and row[3] == query.prefer_service_type
                else 1.0
            )

        if query.effective_sort == "newest":
            rows.sort(
                key=lambda row: (preference(row) if not query.q else 1.0, *newest(row)),
                reverse=True,
            )
        else:
            rows.sort(
                key=lambda row: (scores.get(row[0], 0) * preference(row), *newest(row)),
                reverse=True,
            )
        return [row[0] for row in rows]

    def facet_counts(self, base, query):
        facets = {}
        for facet in FACETS:
            # Each facet's counts reflect the other facets' selections, not its own.
            scoped = apply_filters(base, query.filters, skip=facet.name)
            counts = dict(
                CaseStudyPage.objects.filter(pk__in=scoped.values("pk"))
                .order_by()  # the model's ordering would split the groups
                .values_list(facet.db_lookup)
                .annotate(n=Count("pk", distinct=True))
                .values_list(facet.db_lookup, "n")
            )
            selected = set(query.selected(facet.name))
            facets[facet.name] = [
                FacetValue(slug, label, counts.get(slug, 0), slug in selected)
                for slug, label in facet.options()
                if counts.get(slug) or slug in selected
            ]
        return facets

    def related(self, page, limit=3):
        """Case studies sharing the most themes and innovation types, newest first on ties."""
        theme_ids = list(page.themes.values_list("pk", flat=True))
        type_ids = list(page.innovation_types.values_list("pk", flat=True))
        candidates = (
            public_case_studies()
            .exclude(pk=page.pk)
            .annotate(
                shared_themes=Count("themes", filter=Q(themes__in=theme_ids), distinct=True),
                shared_types=Count(
                    "innovation_types", filter=Q(innovation_types__in=type_ids), distinct=True
                ),
            )
            .filter(shared_themes__gt=0)
            .order_by("-shared_themes", "-shared_types", "-published_date")
            .values_list("pk", flat=True)[:limit]
        )
        return list(candidates)

    def suggest(self, prefix, limit=6):
        words = prefix.split()
        queryset = public_case_studies()
        for word in words:
            queryset = queryset.filter(title__icontains=word)
        return [(p.title, p.get_url() or p.url_path) for p in queryset.order_by("title")[:limit]]
