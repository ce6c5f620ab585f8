"""Keeping the Elasticsearch index true to what the public may see: the outbox and its replay.

Every change that can alter a case study's public document (publish, unpublish, move,
delete, privacy, its provider, a taxonomy label) records the page in PendingIndexUpdate
inside the same transaction (search/signals.py); once that transaction commits the queue is
flushed, once per transaction however many pages it queued. A flush works from the
database's current state, not from the event, so replaying late or twice is harmless. If
Elasticsearch cannot be reached the rows stay and are replayed when it answers.
"""

import logging
import time

from django.conf import settings
from elasticsearch import helpers

from ...documents import documents_in_batches, indexable_case_studies
from ...models import PendingIndexUpdate
from ...on_commit import after_commit
from .client import UNAVAILABLE, WRITE_TIMEOUT_SECONDS, alias_name, client, configured
from .index import ensure_index, indexed_document

logger = logging.getLogger("search")

FLUSH_BATCH = 500
REPLAY_EVERY_SECONDS = 10
_last_replay_check = 0.0


def enqueue(page_ids, reason, flush_after_commit=True):
    """Record pages whose public document may have changed; flush once their change commits
    (or, with flush_after_commit=False, when the caller flushes: a long run flushes every
    few thousand instead of every batch)."""
    page_ids = {int(pk) for pk in page_ids if pk}
    if not configured() or not page_ids:
        return
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(page_id=pk, reason=reason[:60]) for pk in page_ids],
        ignore_conflicts=True,
    )
    if flush_after_commit:
        after_commit("elasticsearch", page_ids, lambda ids: flush_quietly())


class BatchedQueue:
    """enqueue() for a long run: each batch queued at once, flushed every `every` pages and
    at the end, each time once what was queued has committed (a run that stops leaves the
    rest queued for the replay)."""

    def __init__(self, reason, every=2000):
        self.reason, self.every, self.waiting = reason, every, set()

    def __call__(self, page_ids):
        page_ids = list(page_ids)
        enqueue(page_ids, self.reason, flush_after_commit=False)
        self.waiting.update(page_ids)
        if len(self.waiting) >= self.every:
            self.flush()

    def flush(self):
        if self.waiting:
            after_commit("elasticsearch", self.waiting, lambda ids: flush_quietly())
            self.waiting = set()


def pending_count():
    try:
        return PendingIndexUpdate.objects.count()
    except Exception:  # the database being down is reported by its own health check
        return None


def flush_quietly():
    try:
        flush()
    except Exception:  # an update must never break the editor's publish
        logger.exception("Search index update failed; it stays queued for replay")


def replay_if_due():
    """Called after a search Elasticsearch answered: replay anything queued while it was down."""
    global _last_replay_check
    now = time.monotonic()
    if now - _last_replay_check < REPLAY_EVERY_SECONDS:
        return
    _last_replay_check = now
    if PendingIndexUpdate.objects.exists():
        flush_quietly()


def actions_for(page_ids, index=None):
    """Bulk actions that bring these pages' documents to the database's current state."""
    index = index or alias_name()
    pages = {
        p.pk: p for p in documents_in_batches(indexable_case_studies().filter(pk__in=page_ids))
    }
    for pk in page_ids:
        if pk in pages:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": pk,
                "_source": indexed_document(pages[pk]),
            }
        else:
            yield {"_op_type": "delete", "_index": index, "_id": pk}


def apply(page_ids, refresh=False, index=None):
    """Apply the current state of these pages; the ids that Elasticsearch accepted."""
    done, failed = set(), {}
    for ok, item in helpers.streaming_bulk(
        client().options(request_timeout=WRITE_TIMEOUT_SECONDS),
        actions_for(page_ids, index),
        raise_on_error=False,
        raise_on_exception=True,
        refresh="wait_for" if refresh else False,
        chunk_size=FLUSH_BATCH,
    ):
        op, result = next(iter(item.items()))
        pk = int(result["_id"])
        # Deleting what is already absent is success: the index holds what it should.
        if ok or (op == "delete" and result.get("status") == 404):
            done.add(pk)
        else:
            failed[pk] = str(result.get("error"))[:500]
    return done, failed


def flush(limit=None, refresh=None):
    """Apply queued updates, oldest first. Returns how many were applied."""
    if not configured():
        return 0
    refresh = settings.SEARCH_REFRESH_ON_WRITE if refresh is None else refresh
    applied = 0
    try:
        ensure_index()
        while limit is None or applied < limit:
            rows = list(PendingIndexUpdate.objects.values_list("pk", "page_id")[:FLUSH_BATCH])
            if not rows:
                break
            done, failed = apply([page_id for _, page_id in rows], refresh=refresh)
            PendingIndexUpdate.objects.filter(page_id__in=done).delete()
            for page_id, error in failed.items():
                PendingIndexUpdate.objects.filter(page_id=page_id).update(last_error=error)
            applied += len(done)
            if failed and not done:
                break
    except UNAVAILABLE as exc:
        PendingIndexUpdate.objects.update(last_error=str(exc)[:500])
        logger.warning("Elasticsearch unavailable; %s updates wait for replay", pending_count())
        return applied
    return applied
