"""Rebuilding the index behind its alias, and reconciling it with the database.

A rebuild fills a new, versioned index while searches keep using the old one through
the alias, merges it into one segment, applies to it every page changed while it read, then
moves the alias in one atomic request and deletes the old index.
Reconcile compares each document's fingerprint with the database and fixes the drift.
"""

import logging
import re
import threading
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from elasticsearch import helpers

from ...documents import documents_in_batches, indexable_case_studies
from ...locks import held
from .client import UNAVAILABLE, alias_name, client, rebuild_writer, writer
from .index import indexed_document, new_index, versioned_name
from .sync import REPLAY_LOCK, apply, changed_since, flush

logger = logging.getLogger("search")

REBUILD_LOCK = "search-index-rebuild"
VERSIONED = re.compile(r"\d{20}")  # what index.versioned_name() puts after the alias
# Changes queued up to this long before the rebuild began are applied to the new index
# too: a change whose transaction was still open when the rebuild read its page is
# committed later, but was queued (timestamped) before the rebuild began.
CATCH_UP_OVERLAP = timedelta(minutes=10)
# Of those, changes already applied (committed) this long before the rebuild began are in
# what it read and are not applied again; the margin allows for another server's clock.
SETTLED_MARGIN = timedelta(minutes=1)
MERGE_TIMEOUT_SECONDS = 3600  # a merge of 100,000 documents takes minutes on two cores


def _noop(*args, **kwargs):
    pass


def orphans(es, alias):
    """Indices of this alias's name that the alias does not point to: left by a rebuild
    that died. Only called under the rebuild lock, so none of them is being filled."""
    has_alias = es.indices.exists_alias(name=alias)
    current = set(es.indices.get_alias(name=alias)) if has_alias else set()
    # Listing by a wildcard is allowed; deleting by one is not (destructive_requires_name).
    # Only this alias's own versioned names: another alias may begin with this one's name
    # ("...-staging" on the same cluster), and its indices are not ours.
    listed = es.indices.get(index=f"{alias}-*", expand_wildcards="all")
    ours = {name for name in listed if VERSIONED.fullmatch(name.removeprefix(f"{alias}-"))}
    return sorted(ours - current)


def rebuild(progress=_noop):
    """Fill a new index from the database, apply what changed meanwhile, and swap the alias.

    One rebuild at a time (another waits for none: it fails at once). Indices a dead
    rebuild left are deleted first; this one's is deleted if it fails before the swap.
    """
    # Index administration under load can take longer than a search may: the write timeout.
    es, alias = writer(), alias_name()
    with held(REBUILD_LOCK, wait=0):
        for name in orphans(es, alias):
            logger.warning("Deleting %s, an index a failed rebuild left behind", name)
            es.indices.delete(index=name, ignore_unavailable=True)
        started = timezone.now()
        name = versioned_name(alias)
        index = new_index(name)
        index.settings(refresh_interval="-1")  # nobody reads it until the alias moves
        index.create(using=es)
        try:
            total = _fill(es, name, progress)
            old = _catch_up_and_swap(
                es,
                alias,
                name,
                since=started - CATCH_UP_OVERLAP,
                settled_before=started - SETTLED_MARGIN,
            )
        except BaseException:
            _forget_unless_live(es, alias, name)
            raise
        for index in old:
            try:
                es.indices.delete(index=index, ignore_unavailable=True)
            except UNAVAILABLE:  # the next rebuild deletes it (orphans)
                logger.warning("Could not delete %s, the index before this rebuild", index)
    # Anything still queued (Elasticsearch was down for it) now goes to the new index.
    flush()
    progress("done", total)
    return name, total


def _forget_unless_live(es, alias, name):
    """Delete a failed rebuild's index, unless the alias points to it already (a swap that
    Elasticsearch applied though its answer was lost)."""
    try:
        if es.indices.exists_alias(name=alias) and name in es.indices.get_alias(name=alias):
            return
        es.indices.delete(index=name, ignore_unavailable=True)
    except UNAVAILABLE:  # the next rebuild deletes it (orphans)
        logger.warning("Could not delete %s after a failed rebuild", name)


def _fill(es, name, progress):
    pages = indexable_case_studies()
    total = pages.count()
    progress("start", total)

    def actions():
        try:
            for page in documents_in_batches(pages):
                yield {"_index": name, "_id": page.pk, "_source": indexed_document(page)}
        finally:
            # parallel_bulk reads this generator in a thread of its pool, which opened a
            # database connection of its own: closed here, or it outlives the rebuild.
            if threading.current_thread() is not threading.main_thread():
                connection.close()

    # Two requests in flight: the next batch's documents are prepared while Elasticsearch
    # indexes the last (on two cores, each side had waited for the other). Each is retried
    # with back-off on a timeout or a 429 (client.rebuild_writer): a rebuild under load
    # must finish, not abort.
    for _ in helpers.parallel_bulk(
        rebuild_writer(),
        actions(),
        thread_count=2,
        chunk_size=500,
        queue_size=2,
        raise_on_error=True,
    ):
        progress("advance", 1)
    es.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
    es.indices.refresh(index=name)
    merge_into_one_segment(es, name)
    return total


def merge_into_one_segment(es, name):
    """Merge the new index's segments into one before searches use it. A bulk load leaves a
    dozen segments, each with its own vector graph that every kNN search walks, and each
    searched in turn: at 10,000 case studies one segment halved Elasticsearch's time for a
    long question (57 ms to 31 ms). The merge only speeds searches up: if it fails, the
    rebuild goes on with the index as it is, which is complete."""
    started = time.monotonic()
    try:
        answer = es.options(request_timeout=MERGE_TIMEOUT_SECONDS).indices.forcemerge(
            index=name, max_num_segments=1
        )
    except UNAVAILABLE as exc:
        logger.warning("Could not merge %s into one segment (searches are slower): %s", name, exc)
        return
    if answer.get("_shards", {}).get("failed"):
        logger.warning("Some shards of %s were not merged: %s", name, answer["_shards"])
        return
    logger.info("Merged %s into one segment in %.1f s", name, time.monotonic() - started)


def _catch_up_and_swap(es, alias, name, since, settled_before):
    """The rebuild read one moment's pages; every page changed since (published,
    unpublished, restricted: its change went to the old index) is applied to the new one,
    and the alias moves, with no replay running in between. Returns the indices the alias
    left."""
    with held(REPLAY_LOCK):
        changed = changed_since(since, settled_before)
        if changed:
            apply(changed, refresh=True, index=name)
        old = list(es.indices.get_alias(name=alias)) if es.indices.exists_alias(name=alias) else []
        if es.indices.exists(index=alias) and not old:
            es.indices.delete(index=alias)  # a concrete index squatting on the alias name
        es.indices.update_aliases(
            actions=[{"remove": {"index": index, "alias": alias}} for index in old]
            + [{"add": {"index": name, "alias": alias}}]
        )
    logger.info("Rebuild applied %s pages changed while it read, then swapped", len(changed))
    return old


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
