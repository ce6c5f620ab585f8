"""Choosing the backend, and falling back to the database when Elasticsearch cannot answer.

The rest of the site asks search(), related() and suggest() here, never a backend directly;
every answer names the backend that gave it.
"""

import logging

from ..results import Answer
from .base import SearchRejected, SearchUnavailable
from .database import DatabaseBackend
from .elasticsearch import ElasticsearchBackend
from .elasticsearch.client import circuit
from .elasticsearch.client import configured as elasticsearch_configured
from .elasticsearch.sync import replay_if_due

logger = logging.getLogger("search")

FALLBACK_NOTICE = (
    "Our main search is unavailable at the moment, so these results come from a simpler "
    "search. They may be less well ordered, and spelling mistakes are not corrected."
)


def primary_backend():
    return ElasticsearchBackend() if elasticsearch_configured() else DatabaseBackend()


def _with_fallback(method, *args, **kwargs):
    """(answer, backend name, notice): ask the primary backend, else the database, saying so.

    Elasticsearch unavailable opens the circuit: the database answers everyone for a while
    (client.Circuit). A request it refused as bad is answered by the database this once;
    everyone else stays on Elasticsearch.
    """
    backend = primary_backend()
    if isinstance(backend, DatabaseBackend):
        return getattr(backend, method)(*args, **kwargs), backend.name, ""
    if not circuit.is_open():
        try:
            answer = getattr(backend, method)(*args, **kwargs)
            circuit.close()
            return answer, backend.name, ""
        except SearchUnavailable as exc:
            circuit.open(exc)
            logger.warning("Elasticsearch unavailable, answering from the database: %s", exc)
        except SearchRejected as exc:
            logger.warning("Elasticsearch refused a %s; the database answers it: %s", method, exc)
    fallback = DatabaseBackend()
    return getattr(fallback, method)(*args, **kwargs), fallback.name, FALLBACK_NOTICE


def reset_circuit():
    circuit.close()


def search(query):
    """SearchResults for a SearchQuery (results.backend says which backend answered)."""
    results, name, notice = _with_fallback("search", query)
    results.notice = notice
    if name == ElasticsearchBackend.name:
        replay_if_due()
    return results


def related(page, limit=3):
    """Answer(page ids of live public case studies like this one, most alike first)."""
    return Answer(*_with_fallback("related", page, limit))


def suggest(prefix, limit=6):
    """Answer([(title, url)] of case studies whose titles start with the words typed)."""
    return Answer(*_with_fallback("suggest", prefix, limit))
