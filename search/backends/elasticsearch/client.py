"""The connection to Elasticsearch, what counts as it being unavailable, and the circuit that
keeps searches off it for a while once it was."""

import threading
import time
from functools import cache

import orjson
from django.conf import settings
from elastic_transport import NdjsonSerializer, OrjsonSerializer
from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exceptions

# Anything that means "Elasticsearch did not answer properly": callers fall back to the
# database (searches) or keep the update queued (sync), never a 500. Which of these mean
# it is unavailable, rather than refusing one request, says is_unavailable().
UNAVAILABLE = (es_exceptions.TransportError, es_exceptions.ApiError, ConnectionError, TimeoutError)


def is_unavailable(exc):
    """True when exc says Elasticsearch cannot answer now (down, frozen, overloaded, no
    shard to answer), False when it refused this one request (a 4xx: the request's fault,
    which the next request need not share)."""
    if isinstance(exc, es_exceptions.ApiError):
        return exc.meta.status >= 500 or exc.meta.status == 429
    return isinstance(exc, UNAVAILABLE)


def configured():
    return bool(settings.ELASTICSEARCH_URL)


def node_urls(urls=None):
    """ELASTICSEARCH_URL may list several nodes of one cluster, separated by commas."""
    return [url.strip() for url in (urls or settings.ELASTICSEARCH_URL).split(",") if url.strip()]


@cache
def client(url=None, timeout=None):
    """One client per URL and timeout, shared by the process (it pools its connections).

    Searches must not wait on a dead node: a short timeout, and no retries on a single
    node. With several nodes a request that fails on one (refused, or frozen past the
    timeout) is tried on the next, which the client marks dead for a while: a cluster that
    loses a node keeps answering. Tests and settings changes call client.cache_clear().
    """
    nodes = node_urls(url)
    return Elasticsearch(
        nodes,
        request_timeout=timeout or settings.SEARCH_TIMEOUT_SECONDS,
        max_retries=len(nodes) - 1,
        retry_on_timeout=len(nodes) > 1,
        serializers=SERIALIZERS,
    )


class Circuit:
    """Once Elasticsearch was unavailable, searches go to the database for a while instead
    of each waiting on it (a frozen node costs every request its timeout). Only
    unavailability opens it (is_unavailable): a request Elasticsearch refused as bad says
    nothing about the next one. Per process; /healthz reports it open as degraded."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._until = 0.0
        self.reason = ""

    def is_open(self):
        return time.monotonic() < self._until

    def open(self, reason):
        with self._lock:
            self._until = time.monotonic() + self.retry_after
            self.reason = str(reason)[:300]

    def close(self):
        with self._lock:
            self._until, self.reason = 0.0, ""

    def state(self):
        return "open" if self.is_open() else "closed"

    def seconds_left(self):
        return max(0.0, self._until - time.monotonic())


circuit = Circuit(retry_after=15)


class OrjsonNdjsonSerializer(NdjsonSerializer):
    """Bulk and multi-search bodies with orjson, as OrjsonSerializer does single ones."""

    def json_dumps(self, data):
        return orjson.dumps(data, default=self.default, option=orjson.OPT_SERIALIZE_NUMPY)

    def json_loads(self, data):
        return orjson.loads(data)


# orjson reads and writes JSON several times faster than the standard library: a search's
# aggregations and a rebuild's vectors were a large part of their time in Python.
SERIALIZERS = {
    "application/json": OrjsonSerializer(),
    "application/vnd.elasticsearch+json": OrjsonSerializer(),
    "application/x-ndjson": OrjsonNdjsonSerializer(),
    "application/vnd.elasticsearch+x-ndjson": OrjsonNdjsonSerializer(),
}


# Writes (bulk indexing) may wait longer than searches: a batch of 500 documents under
# load took more than a search's timeout, and a write that times out is only retried later.
WRITE_TIMEOUT_SECONDS = 60
# A rebuild's writes are retried (timeouts and 429s, with back-off) rather than abandoned:
# under ten users' searches a batch can miss even a generous timeout.
REBUILD_RETRIES = 5


def writer():
    """The client for writes: a long timeout; a failed write stays queued (sync.py). Not
    resent to another node on a timeout: the first may still apply it, after a newer one."""
    return client().options(request_timeout=WRITE_TIMEOUT_SECONDS, retry_on_timeout=False)


def rebuild_writer():
    return client().options(
        request_timeout=WRITE_TIMEOUT_SECONDS,
        max_retries=REBUILD_RETRIES,
        retry_on_timeout=True,
        retry_on_status=(429, 502, 503, 504),
    )


def alias_name():
    """The alias searches read and updates write; each rebuild puts a new index behind it."""
    return settings.SEARCH_INDEX_ALIAS
