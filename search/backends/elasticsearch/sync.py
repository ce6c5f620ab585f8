"""Keeping the Elasticsearch index true to what the public may see: the outbox and its replay.

Every change that can alter a case study's public document (publish, unpublish, move,
delete, privacy, its provider, a taxonomy label) records the page in PendingIndexUpdate
inside the same transaction (search/signals.py); once that transaction commits, its pages
are applied, once per transaction however many pages it queued. Applying works from the
database's current state, not from the event, so replaying late or twice is harmless; one
replay runs at a time (search/locks.py), so an older state never lands after a newer one.
If Elasticsearch cannot be reached the rows stay and are replayed when it answers: by
`search_index --replay` (scheduled), or by a background thread after a search it answered,
never inside the request.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from elasticsearch import helpers

from ...documents import documents_in_batches, indexable_case_studies
from ...locks import LockNotTaken, held
from ...models import PendingIndexUpdate
from ...on_commit import after_commit
from .client import UNAVAILABLE, alias_name, circuit, configured, is_unavailable, writer
from .index import ensure_index, indexed_document

logger = logging.getLogger("search")

FLUSH_BATCH = 500
REPLAY_EVERY_SECONDS = 10
REPLAY_LOCK = "search-index-replay"
# A change's own flush waits this long for a replay in progress, then leaves the change
# queued for it: an editor's publish never waits on a long replay.
OWN_CHANGES_WAIT_SECONDS = 5
APPLIED_KEPT_FOR = timedelta(days=1)  # what a rebuild replays is at most this old
_last_replay_check = 0.0
_replayer = None


def enqueue(page_ids, reason, flush_after_commit=True):
    """Record pages whose public document may have changed; flush once their change commits
    (or, with flush_after_commit=False, when the caller flushes: a long run flushes every
    few thousand instead of every batch)."""
    page_ids = {int(pk) for pk in page_ids if pk}
    if not configured() or not page_ids:
        return
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(page_id=pk, reason=reason[:60]) for pk in page_ids]
    )
    if flush_after_commit:
        after_commit("elasticsearch", page_ids, flush_changed)


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
            after_commit("elasticsearch", self.waiting, flush_changed)
            self.waiting = set()


def pending_count():
    try:
        return PendingIndexUpdate.objects.pending().count()
    except Exception:  # the database being down is reported by its own health check
        return None


def flush_changed(page_ids):
    """Apply the changes of these pages, just committed: the caller's own changes.

    Skipped while the circuit is open (Elasticsearch just failed: the replay applies them
    later) or while another replay holds the lock past a few seconds; never raises.
    """
    if circuit.is_open():
        return
    try:
        # One pass: a change made meanwhile has its own flush.
        flush(page_ids=page_ids, limit=len(page_ids), wait=OWN_CHANGES_WAIT_SECONDS)
    except LockNotTaken:
        logger.info("A replay is running; %s changed pages wait for it", len(page_ids))
    except Exception:  # an update must never break the editor's publish
        logger.exception("Search index update failed; it stays queued for replay")


def replay_if_due():
    """Called after a search Elasticsearch answered: replay, in a background thread, anything
    queued while it was down (at most one such thread per process, and one replay at a time
    across processes)."""
    global _last_replay_check, _replayer
    if not settings.SEARCH_REPLAY_IN_BACKGROUND:
        return
    now = time.monotonic()
    if now - _last_replay_check < REPLAY_EVERY_SECONDS:
        return
    _last_replay_check = now
    if _replayer is not None and _replayer.is_alive():
        return
    _replayer = threading.Thread(target=_replay_in_background, name="search-replay", daemon=True)
    _replayer.start()


def _replay_in_background():
    close_old_connections()
    try:
        if PendingIndexUpdate.objects.pending().exists():
            flush(wait=0)
    except LockNotTaken:
        pass  # another process is replaying
    except Exception:
        logger.exception("Replaying queued search index updates failed; they stay queued")
    finally:
        connection.close()  # the thread's own connection


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
        writer(),
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


def flush(limit=None, refresh=None, page_ids=None, wait=None):
    """Apply queued changes (of page_ids only, if given), oldest first, a batch at a time,
    each batch under the replay lock (waiting at most `wait` seconds for it, else
    LockNotTaken). Returns how many pages were applied."""
    if not configured():
        return 0
    refresh = settings.SEARCH_REFRESH_ON_WRITE if refresh is None else refresh
    queued = PendingIndexUpdate.objects.pending()
    if page_ids is not None:
        queued = queued.filter(page_id__in=list(page_ids))
    applied, batch, last = 0, [], 0
    try:
        while limit is None or applied < limit:
            with held(REPLAY_LOCK, wait=wait):
                ensure_index()  # under the lock: two first flushes would make two indices
                # Rows read here are marked applied only if they committed before the
                # pages' state is read (apply reads it after); a change committed later
                # has a row of its own, which stays queued. Onwards from the last batch:
                # rows that keep failing do not hold back the rest.
                rows = list(queued.filter(pk__gt=last).values_list("pk", "page_id")[:FLUSH_BATCH])
                if not rows:
                    break
                batch = [pk for pk, _ in rows]
                last = batch[-1]
                done, failed = apply(list(dict.fromkeys(p for _, p in rows)), refresh=refresh)
                now = timezone.now()
                PendingIndexUpdate.objects.filter(pk__in=batch, page_id__in=done).update(
                    applied_at=now, last_error=""
                )
                for page_id, error in failed.items():
                    PendingIndexUpdate.objects.filter(pk__in=batch, page_id=page_id).update(
                        attempts=F("attempts") + 1, last_error=error
                    )
            applied, batch = applied + len(done), []
    except UNAVAILABLE as exc:
        if is_unavailable(exc):
            circuit.open(exc)
        # Only the batch that was tried records the error: a long queue is not rewritten
        # by every failed attempt.
        PendingIndexUpdate.objects.filter(pk__in=batch).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:500]
        )
        logger.warning("Elasticsearch unavailable; %s updates wait for replay", pending_count())
        return applied
    if page_ids is None:
        forget_applied()
    return applied


def forget_applied():
    """Applied changes older than a day: no rebuild still needs them."""
    PendingIndexUpdate.objects.filter(applied_at__lt=timezone.now() - APPLIED_KEPT_FOR).delete()


def changed_since(moment, settled_before=None):
    """Page ids with a change queued since `moment`, applied or not (what a rebuild replays),
    each once; with settled_before, less the changes applied before then.

    A change is applied only once its transaction has committed (the flush runs after
    commit, the replay reads committed rows), so one applied before the rebuild began was
    in the database the rebuild read: replaying it again is work for nothing. After an
    import, that was every page of it (the rebuild's overlap is ten minutes).
    """
    changes = PendingIndexUpdate.objects.filter(queued_at__gte=moment)
    if settled_before is not None:
        changes = changes.exclude(applied_at__lt=settled_before)
    # No ordering: the model's (by id) would make DISTINCT keep one row per change, and
    # the rebuild apply a page as many times as it changed.
    return list(changes.order_by().values_list("page_id", flat=True).distinct())
