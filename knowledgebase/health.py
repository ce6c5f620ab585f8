"""GET /healthz: the state of the database and of the search backend, for monitoring."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def database_health():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # any failure here means the database is unusable
        return {"status": "down", "vendor": connection.vendor, "error": str(exc)[:300]}


@never_cache
def healthz(request):
    from search.backends import search_health

    checks = {"database": database_health(), "search": search_health()}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503
    )
