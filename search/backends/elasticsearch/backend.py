"""The Elasticsearch backend: answers the query object with the common result shape.

A search with words takes three round trips: the query's nearest neighbours by vector
(kNN); the result set (lexical matches and semantic matches under the filters) as two
requests sent together, its lexical ranking (top hits only) and its counting (total, facet
counts, which semantic matches pass the filters, "did you mean"); and the documents of the
page the reader asked for, once the two rankings have been fused (search/ranking.py), with
snippets cut from them (search/snippets.py).
"""

import logging
import time
from dataclasses import replace

import numpy as np
from elasticsearch_dsl import MultiSearch

from knowledgebase.case_studies import not_recently_reviewed, reviewed_recently_cutoff

from ... import embeddings
from ...documents import SNIPPET_FIELDS
from ...facets import FACETS
from ...ranking import fuse
from ...results import SearchResults, hit_from
from ...snippets import highlight
from ...vectors import MAX_NEIGHBOURS, centroid, matches, stored_vector
from ..base import SearchBackend, SearchRejected, SearchUnavailable
from .client import UNAVAILABLE, alias_name, circuit, client, is_unavailable
from .queries import (
    RELATED_FIELDS,
    browse_search,
    cosine_from_score,
    counts_search,
    knn_search,
    page_search,
    ranking_search,
    related_search,
    suggest_search,
)

logger = logging.getLogger("search")

MAX_RANKING_WINDOW = 5000  # deeper than this, results follow the lexical ranking alone
WORDS_ON_RETRY = 12  # a search refused as too complex is run once more with its first words


def failure(exc):
    """The backend's exception for an Elasticsearch error: unavailable (the circuit opens)
    or this request refused (it does not)."""
    return (SearchUnavailable if is_unavailable(exc) else SearchRejected)(str(exc)[:500])


def raw_hits(response):
    """A response's hits as Elasticsearch sent them (dicts). elasticsearch-dsl wraps each
    hit in objects when read: for a deep page's window of hundreds of ids that was tens of
    milliseconds of a search."""
    return response.to_dict()["hits"]["hits"]


def doc_value(hit, name):
    """The first doc value of a field requested with docvalue_fields (queries.ids_only), of
    a raw hit."""
    values = hit.get("fields", {}).get(name)
    return values[0] if values else None


def page_id(hit):
    return int(doc_value(hit, "page_id"))


def hit_ids(response):
    """The page ids of a response's hits, in its order."""
    return [page_id(hit) for hit in raw_hits(response)]


def as_hit(document, q=""):
    source = document.to_dict()
    snippet = highlight([source.get(field, "") for field in SNIPPET_FIELDS], q)
    return hit_from(source, highlight=snippet, score=document.meta.score)


def raw_aggregations(response):
    """A response's aggregations as sent (dicts), unwrapped for the same reason as raw_hits."""
    return response.to_dict()["aggregations"]


def facet_values(response, query):
    aggregations = raw_aggregations(response)
    return {
        facet.name: facet.values(
            {b["key"]: b["doc_count"] for b in aggregations[facet.name]["values"]["buckets"]},
            query.selected(facet.name),
        )
        for facet in FACETS
    }


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

    def __init__(self):
        # Milliseconds of this search spent in Elasticsearch (its own "took") and in the
        # query's embedding: the floor under the search's time (the Server-Timing header).
        self.timings = {"engine": 0.0, "embedding": 0.0}

    def _execute(self, search):
        response = search.execute()
        self.timings["engine"] += response.took
        return response

    def _execute_together(self, *searches):
        """Several requests in one round trip (_msearch); Elasticsearch runs them at once,
        so the longest is their cost."""
        multi = MultiSearch(using=client(), index=alias_name())
        for search in searches:
            multi = multi.add(search)
        responses = multi.execute()  # raises ApiError if any of them failed
        self.timings["engine"] += max(response.took for response in responses)
        return responses

    def search(self, query):
        try:
            try:
                results = self._search(query)
            except UNAVAILABLE as exc:
                words = query.q.split()
                if is_unavailable(exc) or len(words) <= WORDS_ON_RETRY:
                    raise
                # Refused as bad: a long question whose expansion still passed a limit of
                # the node's. Its first words usually say what it is about.
                logger.warning("Elasticsearch refused a %s-word search: %s", len(words), exc)
                results = self._search(replace(query, q=" ".join(words[:WORDS_ON_RETRY])))
        except UNAVAILABLE as exc:
            raise failure(exc) from exc
        results.timings = dict(self.timings)
        return results

    def _search(self, query):
        if not query.q:
            response = self._execute(browse_search(query))
            return self._results(query, response, [as_hit(d) for d in response])
        return self._search_words(query)

    def _semantic_matches(self, q):
        model = embeddings.get_model()
        if model is None:
            return []
        started = time.perf_counter()
        vector = embeddings.embed_query(q)
        self.timings["embedding"] += (time.perf_counter() - started) * 1000
        response = self._execute(knn_search(vector, MAX_NEIGHBOURS))
        hits = raw_hits(response)
        ids = [page_id(hit) for hit in hits]
        similarities = [cosine_from_score(hit["_score"]) for hit in hits]
        baseline = centroid.baseline(vector, model.version)
        return matches(np.asarray(similarities, dtype=np.float32), ids, baseline).ids

    def _search_words(self, query):
        semantic = self._semantic_matches(query.q) if query.ranking != "lexical" else []
        end = query.offset + query.page_size
        if query.effective_sort == "newest":
            response, counts = self._execute_together(
                ranking_search(query, semantic, query.page_size, query.offset),
                counts_search(query, semantic),
            )
            return self._results(query, counts, self._page(response, query))
        window = min(end + len(semantic), MAX_RANKING_WINDOW)
        response, counts = self._execute_together(
            ranking_search(query, semantic, window), counts_search(query, semantic)
        )
        ranked = raw_hits(response)
        lexical = [page_id(hit) for hit in ranked if hit["_score"] and hit["_score"] > 0]
        passing = (
            {b["key"]: b for b in raw_aggregations(counts)["semantic_passing"]["ids"]["buckets"]}
            if semantic
            else {}
        )
        semantic_passing = [pk for pk in semantic if pk in passing]
        preferred = {
            page_id(hit)
            for hit in ranked
            if doc_value(hit, "service_type") == query.prefer_service_type
        } | {
            pk
            for pk, bucket in passing.items()
            if any(b["key"] == query.prefer_service_type for b in bucket["service_type"]["buckets"])
        }
        # Practice whose provider's rating dropped goes after all the rest.
        demoted = {page_id(hit) for hit in ranked if doc_value(hit, "rating_dropped")} | {
            pk
            for pk, bucket in passing.items()
            if any(b["key_as_string"] == "true" for b in bucket["rating_dropped"]["buckets"])
        }
        # Not recently reviewed: after the reviewed, before those whose rating dropped.
        cutoff = reviewed_recently_cutoff()
        stale = {
            page_id(hit)
            for hit in ranked
            if not_recently_reviewed(doc_value(hit, "review_date"), cutoff)
        } | {pk for pk, bucket in passing.items() if bucket["stale"]["doc_count"]}
        ordered = fuse(
            lexical,
            semantic_passing,
            boosted=preferred if query.prefer_service_type else set(),
            demoted=demoted,
            stale=stale,
        )
        page_ids = ordered[query.offset : end]
        if len(page_ids) < query.page_size and counts.hits.total.value > len(ordered):
            page_ids += self._lexical_continuation(query, semantic, ordered, lexical, window)
        suggestion = did_you_mean(counts, query.q)
        # A typo corrected: mark the words it was corrected to.
        hits = self._fetch(page_ids, suggestion or query.q)
        return self._results(query, counts, hits, suggestion=suggestion)

    def _lexical_continuation(self, query, semantic, ordered, lexical, window):
        """Results past the fusion window, in lexical order (semantic matches are all in it)."""
        semantic_ids = set(semantic)
        lexical_rest_start = len([pk for pk in lexical if pk not in semantic_ids])
        start = lexical_rest_start + max(0, query.offset - len(ordered))
        need = query.offset + query.page_size - max(query.offset, len(ordered))
        response = self._execute(ranking_search(query, [], need, offset=start, exclude=semantic))
        return hit_ids(response)

    def _fetch(self, page_ids, q):
        if not page_ids:
            return []
        documents = {d.page_id: d for d in self._execute(page_search(page_ids))}
        return [as_hit(documents[pk], q) for pk in page_ids if pk in documents]

    def _page(self, response, query):
        return self._fetch(hit_ids(response), query.q)

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
                # The nearest among those sharing a theme first (practice on the same
                # problem), then the nearest of the rest.
                themes = list(page.themes.values_list("slug", flat=True))
                related = (
                    hit_ids(knn_search(vector, limit, excluding=[page.pk], themes=themes).execute())
                    if themes
                    else []
                )
                if len(related) < limit:
                    rest = knn_search(vector, limit - len(related), excluding=[page.pk, *related])
                    related += hit_ids(rest.execute())
                return related
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
            return hit_ids(related_search(page.pk, like, limit).execute())
        except UNAVAILABLE as exc:
            raise failure(exc) from exc

    def suggest(self, prefix, limit=6):
        try:
            return [(hit.title, hit.url) for hit in suggest_search(prefix, limit).execute()]
        except UNAVAILABLE as exc:
            raise failure(exc) from exc

    def health(self):
        es, alias = client(), alias_name()
        try:
            cluster = es.cluster.health(timeout="2s")
            # nodes.info, not info(): the test distribution has no root endpoint.
            nodes = es.nodes.info(filter_path="nodes.*.version")["nodes"]
            has_index = bool(es.indices.exists_alias(name=alias))
            documents = es.count(index=alias)["count"] if has_index else None
        except UNAVAILABLE as exc:
            return {"status": "down", "error": str(exc)[:300], "circuit": circuit.state()}
        report = {
            "status": "ok" if cluster["status"] in ("green", "yellow") else "down",
            "cluster_status": cluster["status"],
            "version": next(iter(nodes.values()))["version"] if nodes else None,
            "index": alias,
            "documents": documents,
            "circuit": circuit.state(),
        }
        if not has_index and report["status"] == "ok":
            # Every search would fail over to the database until the index is built.
            report["status"] = "degraded"
            report["error"] = f"No index behind the alias {alias}: run search_index --rebuild."
        if circuit.is_open() and report["status"] == "ok":
            # Elasticsearch answers this check, but this process sends searches to the
            # database until the circuit's time is up (it opened because a search failed):
            # degraded, still serving (one slow search must not take a worker out of a load
            # balancer), unlike an index that is missing, which every search would miss.
            report["status"] = "degraded"
            report["serving"] = True
            report["error"] = (
                f"Searches are answered by the database for {circuit.seconds_left():.0f} s "
                f"more: {circuit.reason}"
            )
        return report
