"""The Elasticsearch engine, one module a concept:

- client.py: the connection, and what counts as unavailable;
- index.py: analysis, mapping (from search/documents.py) and the stored document;
- queries.py: the requests searches send;
- backend.py: ElasticsearchBackend, the SearchBackend the site asks;
- sync.py: the outbox that keeps the index true to what the public may see, and its replay;
- rebuild.py: a new index behind the alias in one swap, and reconcile.
"""

from .backend import ElasticsearchBackend

__all__ = ["ElasticsearchBackend"]
