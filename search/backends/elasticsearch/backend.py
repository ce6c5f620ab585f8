"""The Elasticsearch backend: answers the query object with the common result shape.

A search with words takes three requests: the query's nearest neighbours by vector (kNN);
one request for the result set (lexical matches and semantic matches under the filters,
with its total, facet counts and lexical ranking); and the documents of the page the reader
asked for, with highlights, once the two rankings have been fused (search/ranking.py).
"""

import numpy as np

from ... import embeddings
from ...facets import FACETS
from ...ranking import fuse
from ...results import FacetValue, SearchResults, hit_from
from ...vectors import MAX_NEIGHBOURS, centroid, matches, stored_vector
from ..base import SearchBackend, SearchUnavailable
from .client import UNAVAILABLE, alias_name, client
from .queries import (
    RELATED_FIELDS,
    SNIPPET_FIELDS,
    browse_search,
    cosine_from_score,
    knn_search,
    page_search,
    ranking_search,
    related_search,
    suggest_search,
)

MAX_RANKING_WINDOW = 5000  # deeper than this, results follow the lexical ranking alone


def first_highlight(document):
    """The first highlighted fragment, in the order of SNIPPET_FIELDS, or ""."""
    highlight = getattr(document.meta, "highlight", None)
    for field in SNIPPET_FIELDS if highlight else ():
        fragments = getattr(highlight, field, None)
        if fragments:
            return fragments[0]
    return ""


def as_hit(document):
    return hit_from(
        document.to_dict(), highlight=first_highlight(document), score=document.meta.score
    )


def facet_values(response, query):
    facets = {}
    for facet in FACETS:
        counts = {b.key: b.doc_count for b in response.aggregations[facet.name]["values"].buckets}
        selected = set(query.selected(facet.name))
        facets[facet.name] = [
            FacetValue(slug, label, counts.get(slug, 0), slug in selected)
            for slug, label in facet.options()
            if counts.get(slug) or slug in selected
        ]
    return facets


def did_you_mean(response, q):
    """q with each word the index does not know replaced by its best suggestion, or ""."""
    suggestions = getattr(getattr(response, "suggest", None), "did_you_mean", None) or []
    corrected, shift = q, 0
    for entry in suggestions:
        if entry.options:
            start = entry.offset + shift
            corrected = (
                corrected[:start] + entry.options[0].text + corrected[start + entry.length :]
            )
            shift += len(entry.options[0].text) - entry.length
    return corrected if corrected != q else ""


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def search(self, query):
        try:
            if not query.q:
                response = browse_search(query).execute()
                return self._results(query, response, [as_hit(d) for d in response])
            return self._search_words(query)
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc

    def _semantic_matches(self, q):
        model = embeddings.get_model()
        if model is None:
            return []
        vector = embeddings.embed_query(q)
        response = knn_search(vector, MAX_NEIGHBOURS).execute()
        ids = [hit.page_id for hit in response]
        similarities = [cosine_from_score(hit.meta.score) for hit in response]
        baseline = centroid.baseline(vector, model.version)
        return matches(np.asarray(similarities, dtype=np.float32), ids, baseline).ids

    def _search_words(self, query):
        semantic = self._semantic_matches(query.q) if query.ranking != "lexical" else []
        end = query.offset + query.page_size
        if query.effective_sort == "newest":
            response = ranking_search(query, semantic, query.page_size, query.offset).execute()
            return self._results(query, response, self._page(response, query))
        window = min(end + len(semantic), MAX_RANKING_WINDOW)
        response = ranking_search(query, semantic, window).execute()
        lexical = [hit.page_id for hit in response if hit.meta.score and hit.meta.score > 0]
        passing = (
            {b.key: b for b in response.aggregations.semantic_passing.ids.buckets}
            if semantic
            else {}
        )
        semantic_passing = [pk for pk in semantic if pk in passing]
        preferred = {
            hit.page_id for hit in response if hit.service_type == query.prefer_service_type
        } | {
            pk
            for pk, bucket in passing.items()
            if any(b.key == query.prefer_service_type for b in bucket.service_type.buckets)
        }
        # Practice whose provider's rating dropped goes after all the rest.
        demoted = {hit.page_id for hit in response if hit.rating_dropped} | {
            pk
            for pk, bucket in passing.items()
            if any(b.key_as_string == "true" for b in bucket.rating_dropped.buckets)
        }
        ordered = fuse(
            lexical,
            semantic_passing,
            boosted=preferred if query.prefer_service_type else set(),
            demoted=demoted,
        )
        page_ids = ordered[query.offset : end]
        if len(page_ids) < query.page_size and response.hits.total.value > len(ordered):
            page_ids += self._lexical_continuation(query, semantic, ordered, lexical, window)
        hits = self._fetch(page_ids, query.q)
        return self._results(query, response, hits, suggestion=did_you_mean(response, query.q))

    def _lexical_continuation(self, query, semantic, ordered, lexical, window):
        """Results past the fusion window, in lexical order (semantic matches are all in it)."""
        semantic_ids = set(semantic)
        lexical_rest_start = len([pk for pk in lexical if pk not in semantic_ids])
        start = lexical_rest_start + max(0, query.offset - len(ordered))
        need = query.offset + query.page_size - max(query.offset, len(ordered))
        response = ranking_search(query, [], need, offset=start, exclude=semantic).execute()
        return [hit.page_id for hit in response]

    def _fetch(self, page_ids, q):
        if not page_ids:
            return []
        documents = {d.page_id: d for d in page_search(page_ids, q).execute()}
        return [as_hit(documents[pk]) for pk in page_ids if pk in documents]

    def _page(self, response, query):
        return self._fetch([hit.page_id for hit in response], query.q)

    def _results(self, query, response, hits, suggestion=""):
        return SearchResults(
            total=response.hits.total.value,
            hits=hits,
            facets=facet_values(response, query),
            backend=self.name,
            page=query.page,
            page_size=query.page_size,
            suggestion=suggestion,
        )

    def related(self, page, limit=3):
        try:
            vector = stored_vector(page)
            if vector is not None:
                nearest = knn_search(vector, limit, excluding=page.pk)
                return [hit.page_id for hit in nearest.execute()]
            # No vector yet (the model was unavailable when it was published): shared words.
            source = (
                client()
                .options(ignore_status=404)
                .get(index=alias_name(), id=str(page.pk), source_includes=RELATED_FIELDS)
            )
            if not source.get("found"):
                return []
            # The document's own words as the "like" text, analysed as the index was.
            like = " ".join(
                v if isinstance(v, str) else " ".join(v) for v in source["_source"].values()
            )
            return [hit.page_id for hit in related_search(page.pk, like, limit).execute()]
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc

    def suggest(self, prefix, limit=6):
        try:
            return [(hit.title, hit.url) for hit in suggest_search(prefix, limit).execute()]
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc

    def health(self):
        es, alias = client(), alias_name()
        try:
            cluster = es.cluster.health(timeout="2s")
            # nodes.info, not info(): the test distribution has no root endpoint.
            nodes = es.nodes.info(filter_path="nodes.*.version")["nodes"]
            has_index = bool(es.indices.exists_alias(name=alias))
            documents = es.count(index=alias)["count"] if has_index else None
        except UNAVAILABLE as exc:
            return {"status": "down", "error": str(exc)[:300]}
        report = {
            "status": "ok" if cluster["status"] in ("green", "yellow") else "down",
            "cluster_status": cluster["status"],
            "version": next(iter(nodes.values()))["version"] if nodes else None,
            "index": alias,
            "documents": documents,
        }
        if not has_index and report["status"] == "ok":
            # Every search would fail over to the database until the index is built.
            report["status"] = "degraded"
            report["error"] = f"No index behind the alias {alias}: run search_index --rebuild."
        return report
