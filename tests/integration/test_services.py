"""The integration run really talks to PostgreSQL and Elasticsearch."""

import pytest
from django.db import connection
from elasticsearch import Elasticsearch


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"\nPostgreSQL version seen by the tests: {version}")
    assert int(version.split(".")[0]) >= 13


def test_elasticsearch_version(es_url):
    es = Elasticsearch(es_url)
    health = es.cluster.health(timeout="10s")
    nodes = es.nodes.info(filter_path="nodes.*.version")
    version = next(iter(nodes["nodes"].values()))["version"]
    print(f"\nElasticsearch version seen by the tests: {version} (cluster {health['status']})")
    assert version.startswith("8.")
    assert health["status"] in ("green", "yellow")


def test_healthz_on_real_services(healthz_details, fresh_index):
    response = healthz_details()
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["search"]["status"] == "ok"
    assert body["search"]["backend"] == "elasticsearch"
    assert body["search"]["documents"] > 0


def test_healthz_is_degraded_when_the_alias_has_no_index(healthz_details, db, es_settings):
    """Elasticsearch answers, but every search would fall back: that is not healthy."""
    response = healthz_details()
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["search"]["status"] == "degraded"
    assert "search_index --rebuild" in body["search"]["error"]
