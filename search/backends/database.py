"""The database backend: the embedded default, and the fallback when Elasticsearch is down.

Lexical matching comes from Wagtail's database search (PostgreSQL full text search with
English stemming, or SQLite FTS5), widened by the sector's synonym list, by the other forms
of each word the case studies use (SQLite does not stem) and by typo corrections against
their vocabulary. Semantic matching compares the query's vector with the stored vectors in
memory. The two rankings are fused (search/ranking.py); facets and filters are plain ORM
queries over live, public case studies.
"""

import math

from django.db.models import BooleanField, Case, Count, Q, Value, When
from modelsearch.backends import get_search_backend
from wagtail.search.query import Or, PlainText

from knowledgebase.case_studies import (
    CaseStudyPage,
    not_recently_reviewed,
    reviewed_recently_cutoff,
)
from knowledgebase.providers import RATING_FIELDS
from knowledgebase.taxonomy import InnovationType, Theme
from knowledgebase.vocabularies import OUTSTANDING

from .. import embeddings
from ..documents import SNIPPET_FIELDS, indexable_case_studies, public_case_studies, public_document
from ..facets import FACETS
from ..ranking import fuse, priority_weights
from ..results import SearchResults, hit_from
from ..snippets import highlight
from ..synonyms import concepts, required_concepts
from ..vectors import centroid, matches, stored_vector, vector_matrix
from ..vocabulary import vocabulary_cache
from .base import SearchBackend

MAX_CONCEPTS = 8
GENERIC_WEIGHT = 0.2  # a generic or filler word adds a little, and is never required
LABEL_WEIGHT = 1.5  # a case study tagged with the concept: as strong as a title match
# The best matches of one concept that are ranked: the fallback's list of results is cut
# there (Elasticsearch's is not); the rarity of the concept still counts all its matches.
RANK_DEPTH = 2000


def apply_filters(queryset, filters, skip=None):
    """AND across facets, OR within one; `skip` leaves one facet out (for its own counts)."""
    for facet in FACETS:
        values = filters.get(facet.name)
        if values and facet.name != skip:
            matching = CaseStudyPage.objects.filter(**{f"{facet.db_lookup}__in": values})
            queryset = queryset.filter(pk__in=matching.values("pk"))
    return queryset


def required_matches(concept_count):
    """As Elasticsearch's minimum_should_match "1<50%": one of one, else half, rounded up."""
    return 1 if concept_count <= 1 else math.ceil(concept_count / 2)


def hit_for(page, q, score=None):
    document = public_document(page)
    return hit_from(
        document, highlight=highlight([document[f] for f in SNIPPET_FIELDS], q), score=score
    )


def priority_condition(field, values):
    """The ORM condition for a document field's values (documents.py), for priorities."""
    if field == "outstanding_in":
        condition = Q()
        for domain in values:
            column = "overall_rating" if domain == "overall" else RATING_FIELDS[domain]
            condition |= Q(**{f"provider__{column}": OUTSTANDING})
        return condition
    lookups = {"service_type": "provider__service_type", "region": "provider__region"}
    return Q(**{f"{lookups[field]}__in": values})


def priority_annotations(priorities):
    return {
        f"priority_{i}": Case(
            When(priority_condition(field, values), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for i, (field, values) in enumerate(priorities)
    }


def labelled_with(terms):
    """The condition on case studies tagged with a theme or innovation type whose label
    says one of the terms."""
    label_match = Q()
    for term in terms:
        label_match |= Q(label__icontains=term)
    return Q(themes__in=Theme.objects.filter(label_match)) | Q(
        innovation_types__in=InnovationType.objects.filter(label_match)
    )


class DatabaseBackend(SearchBackend):
    name = "database"

    def lexical_ranking(self, q, pool, vocabulary):
        """Ids of the pages in `pool` that match q, best first.

        Database ranking functions (PostgreSQL's ts_rank in particular) ignore how rare a
        word is, so "staff" would outweigh "hydration". Each concept (a word or phrase with
        its synonyms) is searched on its own and weighted by its rarity, as BM25 does; a page
        must match half the concepts (generic words for people never count), as on
        Elasticsearch.
        """
        backend = get_search_backend()
        total = pool.count()
        scores, matched = {}, {}
        query_concepts = concepts(q)[:MAX_CONCEPTS]
        core = [c[0] for c in required_concepts(q, vocabulary.is_common)]
        for concept in query_concepts:
            is_generic = concept[0] not in core
            terms = [*concept]
            if " " not in concept[0]:
                terms += vocabulary.forms(concept[0])  # "hydrating": "hydration", "hydrated"
            query = Or([PlainText(term, operator="and") for term in terms])
            # Best first, whatever the engine's score scale (SQLite's bm25 is negative): the
            # ids alone (a page object each cost more than the search), the best RANK_DEPTH.
            results = backend.search(query, pool)
            ranked = list(results[:RANK_DEPTH].get_queryset().values_list("pk", flat=True))
            labelled = set(
                pool.filter(labelled_with(concept)).values_list("pk", flat=True).distinct()
            )
            if not ranked and not labelled:
                continue
            found = len(ranked) if len(ranked) < RANK_DEPTH else results.count()
            found = max(found, len(labelled))
            rarity = math.log(1 + (total - found + 0.5) / (found + 0.5))
            weight = rarity * (GENERIC_WEIGHT if is_generic else 1.0)
            for position, pk in enumerate(ranked):
                closeness = 1.0 - 0.5 * position / len(ranked)
                scores[pk] = scores.get(pk, 0.0) + weight * closeness
            for pk in labelled:
                scores[pk] = scores.get(pk, 0.0) + weight * LABEL_WEIGHT
            if not is_generic:
                for pk in set(ranked) | labelled:
                    matched[pk] = matched.get(pk, 0) + 1
        if core:
            needed = required_matches(len(core))
            scores = {pk: s for pk, s in scores.items() if matched.get(pk, 0) >= needed}
        return sorted(scores, key=lambda pk: -scores[pk])

    def semantic_ranking(self, q, pool):
        """Ids of the pages in `pool` whose vectors are like the query's, best first."""
        model = embeddings.get_model()
        if model is None:
            return []
        allowed = set(pool.values_list("pk", flat=True))
        vector = embeddings.embed_query(q)
        ids, similarities = vector_matrix.similarities(vector, model.version, allowed)
        return matches(similarities, ids, centroid.baseline(vector, model.version)).ids

    def search(self, query):
        base = public_case_studies()
        if query.exclude_rating_dropped:
            base = base.filter(rating_dropped=False)
        lexical, semantic, suggestion = [], [], ""
        words = query.q
        if query.q:
            vocabulary = vocabulary_cache.current()
            suggestion = vocabulary.corrected(query.q)
            words = suggestion or query.q  # an unknown word matches nothing as typed
            if query.ranking != "semantic":
                lexical = self.lexical_ranking(words, base, vocabulary)
            if query.ranking != "lexical":
                semantic = self.semantic_ranking(words, base)
            base = base.filter(pk__in={*lexical, *semantic})
        filtered = apply_filters(base, query.filters)
        ordered_ids = self._order(filtered, lexical, semantic, query)
        page_ids = ordered_ids[query.offset : query.offset + query.page_size]
        pages = {p.pk: p for p in indexable_case_studies().filter(pk__in=page_ids)}
        # Marked as searched: with a typo corrected, the words it was corrected to.
        hits = [hit_for(pages[pk], words) for pk in page_ids if pk in pages]
        return SearchResults(
            total=len(ordered_ids),
            hits=hits,
            facets=self.facet_counts(base, query),
            backend=self.name,
            page=query.page,
            page_size=query.page_size,
            suggestion=suggestion,
        )

    def _order(self, queryset, lexical, semantic, query):
        rows = list(
            queryset.annotate(**priority_annotations(query.priorities)).values_list(
                "pk",
                "published_date",
                "first_published_at",
                "provider__service_type",
                "rating_dropped",
                "review_date",
                *(f"priority_{i}" for i in range(len(query.priorities))),
            )
        )
        preferred = {row[0] for row in rows if row[3] and row[3] == query.prefer_service_type}
        demoted = {row[0] for row in rows if row[4]}
        cutoff = reviewed_recently_cutoff()
        stale = {row[0] for row in rows if not_recently_reviewed(row[5], cutoff)}
        weights = priority_weights(len(query.priorities))

        def newest(row):
            return (row[1].toordinal() if row[1] else 0, row[2].timestamp() if row[2] else 0)

        def priority(row):
            return sum(w for w, matched in zip(weights, row[6:], strict=True) if matched)

        if query.effective_sort == "newest":
            # With no words: the priorities, or the searcher's service type, then newest.
            rows.sort(
                key=lambda row: (
                    row[0] not in demoted,
                    row[0] not in stale,
                    priority(row),
                    not query.q and row[0] in preferred,
                    *newest(row),
                ),
                reverse=True,
            )
            return [row[0] for row in rows]
        present = {row[0] for row in rows}
        return fuse(
            [pk for pk in lexical if pk in present],
            [pk for pk in semantic if pk in present],
            boosted=preferred,
            demoted=demoted,
            stale=stale,
        )

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
            facets[facet.name] = facet.values(counts, query.selected(facet.name))
        return facets

    def related(self, page, limit=3):
        """The case studies whose vectors are nearest this one's; without vectors, those
        sharing the most themes and innovation types."""
        model, vector = embeddings.get_model(), stored_vector(page)
        if model is not None and vector is not None:
            # As on Elasticsearch: the nearest sharing a theme first, then the nearest others.
            others = public_case_studies().exclude(pk=page.pk)
            sharing = set(others.filter(themes__in=page.themes.all()).values_list("pk", flat=True))
            related = []
            for allowed in (sharing, set(others.values_list("pk", flat=True)) - sharing):
                if len(related) >= limit or not allowed:
                    continue
                ids, similarities = vector_matrix.similarities(vector, model.version, allowed)
                order = similarities.argsort()[::-1][: limit - len(related)]
                related += [int(ids[i]) for i in order]
            return related
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
