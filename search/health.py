"""The search service's part of /healthz (config/health.py composes the checks)."""

from .backends.elasticsearch import ElasticsearchBackend
from .backends.elasticsearch.client import configured as elasticsearch_configured
from .backends.elasticsearch.sync import pending_count


def search_health():
    if not elasticsearch_configured():
        return {"status": "ok", "backend": "database"}
    return {
        "backend": "elasticsearch",
        **ElasticsearchBackend().health(),
        "pending_updates": pending_count(),
    }
