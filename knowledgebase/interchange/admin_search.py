"""The admin search entries of an import, written beside it rather than inside it.

A search entry's text vectors are PostgreSQL's work, over a millisecond a case study:
written inside the import's transaction they took as long as the rest of the import. When
the importer runs its own transactions on PostgreSQL, each committed batch's entries go to
one background thread, whose own connection keeps PostgreSQL busy on the second core while
the import prepares the next batch. The entries are derived data, so writing them after the
commit loses nothing a rollback would keep; the import waits for them before it reports.
Inside a caller's transaction (a test, a shell) or on SQLite they are written at once.
"""

import logging
import queue
import threading

from django.db import connection, connections, transaction

from .wagtail_internals import admin_search_writes

logger = logging.getLogger(__name__)


class AdminSearchEntries:
    def __init__(self):
        self.in_background = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.failures = []
        self._queue = queue.Queue(maxsize=2)  # at most two batches ahead of PostgreSQL
        self._thread = None

    def add(self, model, objects):
        writes = admin_search_writes(model, objects)
        if not self.in_background:
            for write in writes:
                write()
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="admin-search", daemon=True)
            self._thread.start()
        transaction.on_commit(lambda: self._queue.put(writes))

    def _run(self):
        try:
            while (writes := self._queue.get()) is not None:
                for write in writes:
                    try:
                        write()
                    except Exception as exc:  # the pages are saved; say what search lacks
                        logger.exception("Writing admin search entries failed")
                        self.failures.append(str(exc))
        finally:
            connections.close_all()  # this thread's own connection

    def close(self):
        """Wait for every entry to be written; the failures, if any."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        return self.failures
