"""GET /healthz: the state of each part the site depends on, composed from the apps' own checks.

503 when the database or the search backend cannot answer (the site cannot serve its
readers); 200 otherwise. "status" is "ok" only when every check is: semantic search being
unavailable (the embedding model could not be loaded) makes it "degraded" while searches
still answer lexically.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from knowledgebase.health import database_health
from search.embeddings import status as semantic_health
from search.health import search_health


@never_cache
def healthz(request):
    checks = {"database": database_health(), "search": search_health()}
    serving = all(check["status"] == "ok" for check in checks.values())
    checks["semantic"] = semantic_health()
    healthy = serving and checks["semantic"]["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks}, status=200 if serving else 503
    )
