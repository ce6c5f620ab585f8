"""The connection to Elasticsearch, and what counts as Elasticsearch being unavailable."""

from functools import cache

import orjson
from django.conf import settings
from elastic_transport import NdjsonSerializer, OrjsonSerializer
from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exceptions

# Anything that means "Elasticsearch did not answer properly": callers fall back to the
# database (searches) or keep the update queued (sync), never a 500.
UNAVAILABLE = (es_exceptions.TransportError, es_exceptions.ApiError, ConnectionError, TimeoutError)


def configured():
    return bool(settings.ELASTICSEARCH_URL)


@cache
def client(url=None, timeout=None):
    """One client per URL and timeout, shared by the process (it pools its connections).

    Searches must not wait on a dead node, so there are no retries and a short timeout;
    tests and settings changes call client.cache_clear().
    """
    return Elasticsearch(
        url or settings.ELASTICSEARCH_URL,
        request_timeout=timeout or settings.SEARCH_TIMEOUT_SECONDS,
        max_retries=0,
        retry_on_timeout=False,
        serializers=SERIALIZERS,
    )


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


def alias_name():
    """The alias searches read and updates write; each rebuild puts a new index behind it."""
    return settings.SEARCH_INDEX_ALIAS
