"""The Elasticsearch backend: answers the query object with the common result shape."""

from ...facets import FACETS
from ...results import FacetValue, SearchResults, hit_from
from ..base import SearchBackend, SearchUnavailable
from .client import UNAVAILABLE, alias_name, client
from .queries import RELATED_FIELDS, SNIPPET_FIELDS, build_search, related_search, suggest_search


def first_highlight(document):
    """The first highlighted fragment, in the order of SNIPPET_FIELDS, or ""."""
    highlight = getattr(document.meta, "highlight", None)
    for field in SNIPPET_FIELDS if highlight else ():
        fragments = getattr(highlight, field, None)
        if fragments:
            return fragments[0]
    return ""


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def search(self, query):
        try:
            response = build_search(query).execute()
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        facets = {}
        for facet in FACETS:
            counts = {
                b.key: b.doc_count for b in response.aggregations[facet.name]["values"].buckets
            }
            selected = set(query.selected(facet.name))
            facets[facet.name] = [
                FacetValue(slug, label, counts.get(slug, 0), slug in selected)
                for slug, label in facet.options()
                if counts.get(slug) or slug in selected
            ]
        return SearchResults(
            total=response.hits.total.value,
            hits=[
                hit_from(d.to_dict(), highlight=first_highlight(d), score=d.meta.score)
                for d in response
            ],
            facets=facets,
            backend=self.name,
            page=query.page,
            page_size=query.page_size,
        )

    def related(self, page, limit=3):
        try:
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
