"""The database's part of /healthz (config/health.py composes the checks)."""

from django.db import connection


def database_health():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # any failure here means the database is unusable
        return {"status": "down", "vendor": connection.vendor, "error": str(exc)[:300]}
