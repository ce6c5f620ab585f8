"""The database backend: the embedded default, and the fallback when Elasticsearch is down.

Lexical matching comes from the entries of Wagtail's database search (PostgreSQL full text
search with English stemming, asked through a path of its own in full_text.py, or SQLite
FTS5 through Wagtail's API), widened by the sector's synonym list, by the other forms
of each word the case studies use (SQLite does not stem) and by typo corrections against
their vocabulary. Semantic matching compares the query's vector with the stored vectors in
memory. The two rankings are fused (search/ranking.py); facets and filters are plain ORM
queries over live, public case studies.
"""

import math

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Field, Func, Q, Value, When

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
from . import full_text
from .base import SearchBackend

MAX_CONCEPTS = 8
GENERIC_WEIGHT = 0.2  # a generic or filler word adds a little, and is never required
LABEL_WEIGHT = 1.5  # a case study tagged with the concept: as strong as a title match
# The best matches of one concept that are ranked; its matches beyond them all score as the
# last ranked, and the rarity of the concept counts all its matches.
RANK_DEPTH = 2000
# A concept whose weight is below this is in nearly every case study (a word in nine in ten
# or more; "staff" in 9,970 of 10,000), or is a generic word in six in ten or more: where
# it stands among them could move a score by a twentieth at most, and ranking them all
# cost more than the rest of the question, so they are not ranked (generic ones not read).
NEGLIGIBLE_WEIGHT = 0.1


def apply_filters(queryset, filters, skip=None):
    """AND across facets, OR within one; `skip` leaves one facet out (for its own counts)."""
    for facet in FACETS:
        values = filters.get(facet.name)
        if values and facet.name != skip:
            matching = CaseStudyPage.objects.filter(**{f"{facet.db_lookup}__in": values})
            queryset = queryset.filter(pk__in=matching.values("pk"))
    return queryset


class IdIsAnyOf(Func):
    """`id = ANY(array)`, for integer ids (pages'): one parameter for the ids, not one
    each, and a row estimate that PostgreSQL makes from the array's length (it guessed 200
    for `IN (SELECT unnest(...))` and chose nested loops over thousands)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s::integer[])"
    output_field = BooleanField()


def among(queryset, ids):
    """The rows of `queryset` whose ids are in `ids`. On PostgreSQL the ids go as one array:
    a search's eight facet counts each bound 10,000 parameters in 15 ms at 10,000."""
    if connection.vendor == "postgresql":
        # a plain Field: psycopg adapts the list whole (ArrayField's per-id preparation took
        # 39 ms a statement for 10,000 ids)
        array = Value(sorted(ids), output_field=Field())
        return queryset.filter(IdIsAnyOf(F("pk"), array))
    return queryset.filter(pk__in=ids)


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


def labelled_with(pool, terms):
    """The ids of the case studies in `pool` tagged with a theme or innovation type whose
    label says one of the terms (most concepts name none: then no query of case studies)."""
    label_match = Q()
    for term in terms:
        label_match |= Q(label__icontains=term)
    tagged = Q()
    for relation, taxonomy in (("themes", Theme), ("innovation_types", InnovationType)):
        labels = list(taxonomy.objects.filter(label_match).values_list("pk", flat=True))
        if labels:
            # through the join table alone: the two relations joined at once read every
            # case study's tags (15 ms at 10,000)
            field = CaseStudyPage._meta.get_field(relation)
            pages = field.remote_field.through.objects.filter(
                **{f"{field.m2m_reverse_name()}__in": labels}
            )
            tagged |= Q(pk__in=pages.values(field.m2m_column_name()))
    if not tagged:
        return []
    return pool.filter(tagged).order_by().values_list("pk", flat=True)


class DatabaseBackend(SearchBackend):
    name = "database"

    def lexical_ranking(self, q, pool, pool_ids, vocabulary):
        """Ids of the pages in `pool` (whose ids are `pool_ids`) that match q, best first.

        Database ranking functions (PostgreSQL's ts_rank in particular) ignore how rare a
        word is, so "staff" would outweigh "hydration". Each concept (a word or phrase with
        its synonyms) is searched on its own and weighted by its rarity, as BM25 does; a page
        must match half the concepts (generic words for people never count), as on
        Elasticsearch.
        """
        total = len(pool_ids)
        scores, matched = {}, {}
        query_concepts = concepts(q)[:MAX_CONCEPTS]
        core = [c[0] for c in required_concepts(q, vocabulary.is_common)]
        for concept in query_concepts:
            is_generic = concept[0] not in core
            terms = [*concept]
            if " " not in concept[0]:
                terms += vocabulary.forms(concept[0])  # "hydrating": "hydration", "hydrated"
            found = full_text.matches(pool, pool_ids, terms)
            labelled = set(labelled_with(pool, concept))
            if not found and not labelled:
                continue
            count = max(len(found), len(labelled))
            rarity = math.log(1 + (total - count + 0.5) / (count + 0.5))
            weight = rarity * (GENERIC_WEIGHT if is_generic else 1.0)
            if weight >= NEGLIGIBLE_WEIGHT:
                ranked = full_text.best_first(pool, pool_ids, terms, RANK_DEPTH)
                for position, pk in enumerate(ranked):
                    closeness = 1.0 - 0.5 * position / len(ranked)
                    scores[pk] = scores.get(pk, 0.0) + weight * closeness
                for pk in found.difference(ranked):  # beyond RANK_DEPTH: as the last ranked
                    scores[pk] = scores.get(pk, 0.0) + weight * 0.5
            elif is_generic:
                continue  # a generic word in nearly every case study adds nothing
            else:
                # In nearly every case study ("staff"): which of them, but not in what order
                for pk in found:
                    scores[pk] = scores.get(pk, 0.0) + weight * 0.75
            for pk in labelled:
                scores[pk] = scores.get(pk, 0.0) + weight * LABEL_WEIGHT
            if not is_generic:
                for pk in found | labelled:
                    matched[pk] = matched.get(pk, 0) + 1
        if core:
            needed = required_matches(len(core))
            scores = {pk: s for pk, s in scores.items() if matched.get(pk, 0) >= needed}
        return sorted(scores, key=lambda pk: -scores[pk])

    def semantic_ranking(self, q, pool_ids):
        """Ids of the pages whose ids are in `pool_ids` whose vectors are like the query's,
        best first."""
        model = embeddings.get_model()
        if model is None:
            return []
        vector = embeddings.embed_query(q)
        ids, similarities = vector_matrix.similarities(vector, model.version, pool_ids)
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
            base_ids = set(base.values_list("pk", flat=True))
            if query.ranking != "semantic":
                lexical = self.lexical_ranking(words, base, base_ids, vocabulary)
            if query.ranking != "lexical":
                semantic = self.semantic_ranking(words, base_ids)
            base = among(base, {*lexical, *semantic})
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
