"""Rebuilding the index behind its alias, and reconciling it with the database.

A rebuild fills a new, versioned index while searches keep using the old one through
the alias, then moves the alias in one atomic request and deletes the old index.
Reconcile compares each document's fingerprint with the database and fixes the drift.
"""

from elasticsearch import helpers

from ...documents import documents_in_batches, indexable_case_studies
from .client import WRITE_TIMEOUT_SECONDS, alias_name, client
from .index import indexed_document, new_index, versioned_name
from .sync import apply, flush


def _noop(*args, **kwargs):
    pass


def rebuild(progress=_noop):
    es, alias = client(), alias_name()
    name = versioned_name(alias)
    index = new_index(name)
    index.settings(refresh_interval="-1")  # nobody reads it until the alias moves
    index.create(using=es)
    pages = indexable_case_studies()
    total = pages.count()
    progress("start", total)

    def actions():
        for page in documents_in_batches(pages):
            yield {"_index": name, "_id": page.pk, "_source": indexed_document(page)}

    # Two requests in flight: the next batch's documents are prepared while Elasticsearch
    # indexes the last (on two cores, each side had waited for the other).
    writer = es.options(request_timeout=WRITE_TIMEOUT_SECONDS)
    for _ in helpers.parallel_bulk(
        writer, actions(), thread_count=2, chunk_size=500, queue_size=2, raise_on_error=True
    ):
        progress("advance", 1)
    es.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
    es.indices.refresh(index=name)

    old = (
        list(es.indices.get_alias(name=alias).keys()) if es.indices.exists_alias(name=alias) else []
    )
    if es.indices.exists(index=alias) and not old:
        es.indices.delete(index=alias)  # a concrete index squatting on the alias name
    es.indices.update_aliases(
        actions=[{"remove": {"index": index, "alias": alias}} for index in old]
        + [{"add": {"index": name, "alias": alias}}]
    )
    for index in old:
        es.indices.delete(index=index, ignore_unavailable=True)
    # Changes made while the rebuild read the database are queued; apply them to the new index.
    flush()
    progress("done", total)
    return name, total


def reconcile(progress=_noop, fix=True):
    """{'missing': [...], 'stale': [...], 'extra': [...]} page ids, fixed unless fix=False."""
    es, alias = client(), alias_name()
    indexed = {
        int(hit["_id"]): hit["_source"].get("fingerprint")
        for hit in helpers.scan(es, index=alias, query={"_source": ["fingerprint"]})
    }
    pages = indexable_case_studies()
    progress("start", pages.count())
    expected = {}
    for page in documents_in_batches(pages):
        expected[page.pk] = indexed_document(page)["fingerprint"]
        progress("advance", 1)
    drift = {
        "missing": sorted(pk for pk in expected if pk not in indexed),
        "stale": sorted(pk for pk, fp in expected.items() if pk in indexed and indexed[pk] != fp),
        "extra": sorted(pk for pk in indexed if pk not in expected),
    }
    if fix:
        to_fix = drift["missing"] + drift["stale"] + drift["extra"]
        if to_fix:
            apply(to_fix, refresh=True)
    progress("done", len(expected))
    return drift
