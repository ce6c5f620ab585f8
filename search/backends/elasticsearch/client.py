"""The connection to Elasticsearch, and what counts as Elasticsearch being unavailable."""

from functools import cache

from django.conf import settings
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
    )


def alias_name():
    """The alias searches read and updates write; each rebuild puts a new index behind it."""
    return settings.SEARCH_INDEX_ALIAS
