"""Work that follows a change once its transaction commits: once per transaction, not per page.

An import publishes a thousand case studies in one transaction; updating the index or
computing vectors for each page as its signal fires would cost a thousand round trips for
what one batch does. after_commit() gathers the page ids a transaction touched under a name
and calls the callback once, with all of them, after the commit.
"""

from django.db import transaction


def after_commit(name, page_ids, callback):
    """callback(ids) once after the current transaction commits; at once in autocommit."""
    page_ids = set(page_ids)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        callback(page_ids)  # autocommit: the change is already committed
        return
    pending = connection.__dict__.setdefault("search_after_commit", {})
    scheduled = pending.get(name)
    # run_on_commit holds (savepoint ids, callback, robust) for the open transaction. The
    # scheduled run is reused while it is there; one that ran already, or that a rolled-back
    # savepoint discarded, is replaced.
    if scheduled and any(entry[1] is scheduled for entry in connection.run_on_commit):
        scheduled.page_ids |= page_ids
        return

    def run():
        if pending.get(name) is run:
            del pending[name]
        callback(run.page_ids)

    run.page_ids = page_ids
    pending[name] = run
    transaction.on_commit(run)
