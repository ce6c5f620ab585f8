"""Integration fixtures: the demo content loaded once into the real PostgreSQL test database,
and indexed once into the real Elasticsearch under an alias of its own."""

import json
import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.interchange.importer import CaseStudyImporter
from search import backends
from search.backends.elasticsearch.client import client
from search.backends.elasticsearch.rebuild import rebuild
from search.backends.elasticsearch.sync import enqueue
from tests.conftest import (
    DEMO_FILE,
    PROVIDER,
    delete_indices,
    make_record,
    other_topic_record,
    service_missing,
)


@pytest.fixture(scope="session")
def demo_records():
    return [json.loads(line) for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, demo_records):
    """The test database, with the demo content committed once for every test to read."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            service_missing(f"DATABASE_URL is not PostgreSQL (got {connection.vendor})")
        report = CaseStudyImporter().import_lines(json.dumps(r) for r in demo_records)
        assert not report.errors, report.errors


@pytest.fixture(scope="session")
def es_url():
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        service_missing("ELASTICSEARCH_URL is not set")
    return url


@pytest.fixture(scope="session", autouse=True)
def demo_index(django_db_setup, django_db_blocker, es_url):
    """The demo content indexed once, by the same rebuild the command runs.

    Built before the first test (autouse): built lazily, inside the first test that asked
    for it, the rebuild read that test's own uncommitted case studies into it."""
    alias = f"{django_settings.SEARCH_INDEX_ALIAS}-demo-{uuid.uuid4().hex[:8]}"
    with override_settings(ELASTICSEARCH_URL=es_url, SEARCH_INDEX_ALIAS=alias):
        client.cache_clear()
        with django_db_blocker.unblock():
            rebuild()
        yield alias
        delete_indices(alias)
        client.cache_clear()


@pytest.fixture(params=["elasticsearch", "database"])
def backend(request, settings, db):
    """Run a behavioural test against each backend: the same query, the same expectations."""
    if request.param == "elasticsearch":
        alias = request.getfixturevalue("demo_index")
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.SEARCH_INDEX_ALIAS = alias
    else:
        settings.ELASTICSEARCH_URL = ""
    client.cache_clear()
    backends.reset_circuit()
    yield request.param
    client.cache_clear()


@pytest.fixture
def fresh_index(es_settings, db):
    """An index of its own for tests that change content, built from the database."""
    rebuild()
    return es_settings.SEARCH_INDEX_ALIAS


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the index flush) as a real commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture(params=["elasticsearch", "database"])
def hydration_practice(request, db, importer, django_capture_on_commit_callbacks):
    """On either backend (the parameter, returned), beside the demo content: two public
    hydration case studies (cs-test-0001 and, from another provider, cs-test-0002), one whose
    provider's rating dropped (0003), one unpublished after indexing (0004), and one about
    something else (0005, tests.conftest.other_topic_record)."""
    name = request.param
    request.getfixturevalue("fresh_index" if name == "elasticsearch" else "database_search")
    other = {**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"}
    with django_capture_on_commit_callbacks(execute=True):
        report = importer(
            [
                make_record(1, title="Hydration rounds at night"),
                make_record(2, title="Hydration stations in the lounge", provider=other),
                make_record(3, title="Hydration practice whose rating dropped"),
                make_record(4, title="Hydration practice since unpublished"),
                other_topic_record(5),
            ]
        )
        assert not report.errors
        flagged = CaseStudyPage.objects.filter(external_id="cs-test-0003")
        flagged.update(rating_dropped=True)
        enqueue(flagged.values_list("pk", flat=True), "test: rating dropped")
        CaseStudyPage.objects.get(external_id="cs-test-0004").unpublish()
    return name
