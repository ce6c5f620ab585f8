"""GET /healthz: the state of each part the site depends on, composed from the apps' own checks.

503 when the database or the search backend cannot answer (the site cannot serve its
readers); 200 otherwise. "status" is "ok" only when every check is: semantic search being
unavailable (the embedding model could not be loaded) makes it "degraded" while searches
still answer lexically; the database down makes it "down".

Everyone sees those states, and each part's state as "ok", "degraded" or "down". The
details the checks report (versions, index names, error text) are for staff and for a
request carrying "Authorization: Bearer <HEALTHZ_TOKEN>" (monitoring) only.
"""

import hmac

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from knowledgebase.health import database_health
from search.embeddings import status as semantic_health
from search.health import search_health

PUBLIC_STATES = {"ok", "degraded"}  # any other state a check reports is "down" in public


@never_cache
def healthz(request):
    checks = {"database": database_health(), "search": search_health()}
    # A check may be degraded and still serving (search's circuit open: the database
    # answers searches for a few seconds): 200, as for the semantic model.
    serving = all(check["status"] == "ok" or check.get("serving") for check in checks.values())
    checks["semantic"] = semantic_health()
    healthy = serving and checks["semantic"]["status"] == "ok"
    if checks["database"]["status"] not in PUBLIC_STATES:
        overall = "down"
    else:
        overall = "ok" if healthy else "degraded"
    if not may_see_details(request):
        checks = {name: {"status": public_state(check["status"])} for name, check in checks.items()}
    return JsonResponse({"status": overall, **checks}, status=200 if serving else 503)


def public_state(status):
    return status if status in PUBLIC_STATES else "down"


def may_see_details(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_active and user.is_staff:
        return True
    token = settings.HEALTHZ_TOKEN
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(token)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(offered.strip().encode(), token.encode())
    )
