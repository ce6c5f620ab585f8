import pytest

from search.backends.elasticsearch.client import client as es_client

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_search(client, database_search):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == {"status": "ok"}
    assert body["search"] == {"status": "ok"}  # the details are for staff (and a token)


def test_healthz_reports_the_details_to_staff(client, database_search, django_user_model):
    client.force_login(django_user_model.objects.create_user("ops", is_staff=True))
    body = client.get("/healthz").json()
    assert body["database"] == {"status": "ok", "vendor": "sqlite"}
    assert body["search"] == {"status": "ok", "backend": "database"}


def test_healthz_is_503_when_elasticsearch_is_configured_but_down(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.SEARCH_TIMEOUT_SECONDS = 1
    es_client.cache_clear()
    try:
        response = client.get("/healthz")
    finally:
        es_client.cache_clear()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["search"]["status"] == "down"
    assert body["database"]["status"] == "ok"
