"""Locks that hold across processes: one outbox replay at a time, one rebuild at a time.

Two replays of the same page from different moments could land in Elasticsearch in the
wrong order (the older state last), and a rebuild's catch-up must not race a replay. On
PostgreSQL these are advisory locks, which every web process, command and worker shares;
on SQLite (the embedded default: one process) a lock per name in this process.
"""

import threading
import time
import zlib
from contextlib import contextmanager

from django.db import connection

_local_locks = {}
_local_locks_guard = threading.Lock()
POLL_SECONDS = 0.05


class LockNotTaken(Exception):
    """Someone else holds the lock and did not let go in time."""


def _key(name):
    return zlib.crc32(f"practice-exchange:{name}".encode())  # a stable 32-bit advisory key


@contextmanager
def held(name, wait=None):
    """Hold the lock `name` for the block; wait at most `wait` seconds (None: as long as it
    takes) or raise LockNotTaken."""
    deadline = None if wait is None else time.monotonic() + wait
    if connection.vendor == "postgresql":
        key = _key(name)
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockNotTaken(name)
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    with _local_locks_guard:
        lock = _local_locks.setdefault(name, threading.Lock())
    if not lock.acquire(timeout=-1 if wait is None else wait):
        raise LockNotTaken(name)
    try:
        yield
    finally:
        lock.release()
