"""Choosing the backend, and falling back to the database when Elasticsearch cannot answer."""

import logging
import time

from django.conf import settings

from .base import SearchUnavailable
from .database import DatabaseBackend

logger = logging.getLogger("search")

FALLBACK_NOTICE = (
    "Our main search is unavailable at the moment, so these results come from a simpler "
    "search. They may be less well ordered, and spelling mistakes are not corrected."
)
RETRY_AFTER_SECONDS = 15  # after a failure, don't make every request wait on a dead server
_down_until = 0.0


def elasticsearch_configured():
    return bool(settings.ELASTICSEARCH_URL)


def primary_backend():
    if elasticsearch_configured():
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    return DatabaseBackend()


def _with_fallback(method, *args, **kwargs):
    """(result, notice): ask the primary backend, else the database, saying so."""
    global _down_until
    backend = primary_backend()
    if isinstance(backend, DatabaseBackend):
        return getattr(backend, method)(*args, **kwargs), ""
    if time.monotonic() >= _down_until:
        try:
            result = getattr(backend, method)(*args, **kwargs)
            _down_until = 0.0
            return result, ""
        except SearchUnavailable as exc:
            _down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Elasticsearch unavailable, answering from the database: %s", exc)
    return getattr(DatabaseBackend(), method)(*args, **kwargs), FALLBACK_NOTICE


def reset_circuit():
    global _down_until
    _down_until = 0.0


def search(query):
    results, notice = _with_fallback("search", query)
    results.notice = notice
    if not notice and elasticsearch_configured():
        from ..indexing import replay_if_due

        replay_if_due()
    return results


def related(page, limit=3):
    return _with_fallback("related", page, limit)[0]


def suggest(prefix, limit=6):
    return _with_fallback("suggest", prefix, limit)[0]


def search_health():
    if not elasticsearch_configured():
        return {"status": "ok", "backend": "database"}
    from ..indexing import pending_count
    from .elasticsearch import ElasticsearchBackend

    return {
        "backend": "elasticsearch",
        **ElasticsearchBackend().health(),
        "pending_updates": pending_count(),
    }
