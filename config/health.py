"""GET /healthz: the state of each part the site depends on, composed from the apps' own checks.

200 when every check is ok; 503 otherwise, so a load balancer or monitor can act on it.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from knowledgebase.health import database_health
from search.health import search_health


@never_cache
def healthz(request):
    checks = {"database": database_health(), "search": search_health()}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503
    )
