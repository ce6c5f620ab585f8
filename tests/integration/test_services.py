"""The integration run really talks to PostgreSQL and Elasticsearch."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"\nPostgreSQL version seen by the tests: {version}")
    assert int(version.split(".")[0]) >= 13


def test_elasticsearch_version(es_url):
    from elasticsearch import Elasticsearch

    es = Elasticsearch(es_url)
    health = es.cluster.health(timeout="10s")
    nodes = es.nodes.info(filter_path="nodes.*.version")
    version = next(iter(nodes["nodes"].values()))["version"]
    print(f"\nElasticsearch version seen by the tests: {version} (cluster {health['status']})")
    assert version.startswith("8.")
    assert health["status"] in ("green", "yellow")


def test_healthz_on_real_services(client, db, es_settings):
    body = client.get("/healthz").json()
    assert body["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["search"]["status"] == "ok"
    assert body["search"]["backend"] == "elasticsearch"
