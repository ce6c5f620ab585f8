"""Rebuilding the index behind its alias, and reconciling it with the database.

A rebuild fills a new, versioned index while searches keep using the old one through
the alias, then moves the alias in one atomic request and deletes the old index.
Reconcile compares each document's fingerprint with the database and fixes the drift.
"""

from elasticsearch import helpers

from ...documents import indexable_case_studies
from .client import alias_name, client
from .index import indexed_document, new_index, versioned_name
from .sync import apply, flush


def _noop(*args, **kwargs):
    pass


def rebuild(progress=_noop):
    es, alias = client(), alias_name()
    name = versioned_name(alias)
    new_index(name).create(using=es)
    pages = indexable_case_studies()
    total = pages.count()
    progress("start", total)

    def actions():
        for page in pages.iterator(chunk_size=500):
            yield {"_index": name, "_id": page.pk, "_source": indexed_document(page)}

    for _ in helpers.streaming_bulk(es, actions(), chunk_size=500, raise_on_error=True):
        progress("advance", 1)
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
    for page in pages.iterator(chunk_size=500):
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
