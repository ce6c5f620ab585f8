"""Shared fixtures. Integration tests need the real services that scripts/test.sh starts:
when CI=true, or when scripts/test.sh has just started them (PX_REQUIRE_SERVICES=1), a
missing service fails the test; in a bare `pytest` run by hand it is skipped, loudly.

This conftest is loaded before pytest-django sets Django up, so anything that needs the app
registry (models, the search backends) is imported inside the fixtures that use it.
"""

import contextlib
import copy
import json
import os
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "knowledgebase" / "demo" / "case_studies.jsonl"
STALE_TEST_INDEX_SECONDS = 6 * 3600  # a test index this old was left by a killed run


def services_required():
    """True when a missing service is a failure, not a reason to skip."""
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("PX_REQUIRE_SERVICES", "") == "1"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.fspath)
        if f"{os.sep}integration{os.sep}" in path:
            item.add_marker(pytest.mark.integration)
        if f"{os.sep}browser{os.sep}" in path:
            item.add_marker(pytest.mark.browser)


def service_missing(reason):
    if services_required():
        pytest.fail(f"{reason} (this run started the integration services: they must answer)")
    pytest.skip(
        f"SKIPPED INTEGRATION: {reason}. Run `make test` to start PostgreSQL and Elasticsearch."
    )


PROVIDER = {
    "name": "Meadowbank House",
    "cqc_location_id": "1-1000000001",
    "service_type": "residential-care-home",
    "region": "north-west",
    "overall_rating": "outstanding",
    "rating_date": "2024-03-01",
    "key_question_ratings": {
        "safe": "good",
        "effective": "outstanding",
        "caring": "outstanding",
        "responsive": "good",
        "well-led": "outstanding",
    },
}


def make_record(n=1, **overrides):
    """A valid interchange record; overrides replace top-level fields."""
    record = {
        "id": f"cs-test-{n:04d}",
        "title": f"Test case study {n}",
        "summary": "How we reduced falls at night with hydration rounds and better lighting.",
        "challenge": "Residents were falling at night.",
        "approach": "We started hydration rounds.\n\nWe changed the lighting in corridors.",
        "outcomes": "Falls went from 12 to 4 a quarter.",
        "lessons": "Motion sensors alone did not work.",
        "adoption": "About £500 and two weeks of training.",
        "provider": copy.deepcopy(PROVIDER),
        "themes": ["falls-prevention"],
        "innovation_types": ["environment-design"],
        "key_questions": ["safe", "effective"],
        "quality_statements": ["safe-environments"],
        "evidence_types": ["practice-knowledge"],
        "published": "2025-01-15",
        "contact": {"name": "Sam Lee", "email": "sam@example.org", "offers": ["visit"]},
    }
    record.update(overrides)
    return record


# A case study about something else than the tests' usual falls and hydration practice.
OTHER_TOPIC = "Music for people living with dementia"


def other_topic_record(n):
    """A valid record of a case study that no hydration search matches."""
    return make_record(
        n,
        title=OTHER_TOPIC,
        summary="A choir and playlists chosen with each person.",
        challenge="People were withdrawn in the afternoons.",
        approach="We started a weekly choir.",
        outcomes="More people joined in.",
        lessons="Ask families for songs.",
        adoption="A piano and a volunteer.",
        themes=["dementia-care"],
    )


@pytest.fixture
def importer():
    from knowledgebase.interchange.importer import CaseStudyImporter

    def run(records_or_lines):
        lines = [r if isinstance(r, str) else json.dumps(r) for r in records_or_lines]
        return CaseStudyImporter().import_lines(lines)

    return run


@pytest.fixture
def demo_content(importer):
    report = importer(DEMO_FILE.read_text(encoding="utf-8").splitlines())
    assert not report.errors, report.errors
    return report


def delete_indices(prefix, older_than_seconds=0):
    """Delete test indices by name (the node refuses wildcard deletes); with
    older_than_seconds, only those created longer ago than that."""
    from search.backends.elasticsearch.client import client

    es = client()
    created = es.indices.get_settings(
        index=f"{prefix}*", name="index.creation_date", expand_wildcards="all"
    )
    cutoff_ms = (time.time() - older_than_seconds) * 1000
    for name, body in created.items():
        if int(body["settings"]["index"]["creation_date"]) <= cutoff_ms:
            es.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture(scope="session", autouse=True)
def test_indices_removed():
    """This run's Elasticsearch indices go at its end; a killed run's go at the next start."""
    from django.conf import settings
    from django.test import override_settings

    from search.backends.elasticsearch.client import client

    url = os.environ.get("ELASTICSEARCH_URL")

    def clean(prefix, older_than_seconds=0):
        if not url:
            return
        client.cache_clear()
        # A node that is down has nothing to clean.
        with override_settings(ELASTICSEARCH_URL=url), contextlib.suppress(Exception):
            delete_indices(prefix, older_than_seconds)
        client.cache_clear()

    clean(settings.TEST_INDEX_PREFIX, older_than_seconds=STALE_TEST_INDEX_SECONDS)
    yield
    clean(settings.SEARCH_INDEX_ALIAS)  # every index of this run starts with it


@pytest.fixture
def healthz_details(client, settings):
    """GET /healthz as monitoring asks for it, with the token: the details, not only the
    statuses the public sees."""
    settings.HEALTHZ_TOKEN = "monitoring-token"
    return lambda: client.get("/healthz", headers={"Authorization": "Bearer monitoring-token"})


@pytest.fixture
def es_settings(settings):
    """A real Elasticsearch with a fresh alias of its own, removed afterwards."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        service_missing("ELASTICSEARCH_URL is not set")
    from search import backends
    from search.backends.elasticsearch.client import client

    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_INDEX_ALIAS = f"{settings.SEARCH_INDEX_ALIAS}-{uuid.uuid4().hex[:8]}"
    client.cache_clear()
    backends.reset_circuit()
    try:
        client().cluster.health(timeout="5s")
    except Exception as exc:  # noqa: BLE001
        service_missing(f"Elasticsearch at {url} does not answer: {exc}")
    yield settings
    delete_indices(settings.SEARCH_INDEX_ALIAS)
    client.cache_clear()
    backends.reset_circuit()


@pytest.fixture
def database_search(settings):
    """The database search backend, whatever the environment says."""
    from search import backends

    settings.ELASTICSEARCH_URL = ""
    backends.reset_circuit()
    return settings


def pytest_report_header(config):
    """Say which real services this run talks to, at the top of the output."""
    lines = []
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        try:
            from elasticsearch import Elasticsearch

            nodes = Elasticsearch(url, request_timeout=5).nodes.info(filter_path="nodes.*.version")
            versions = sorted({n["version"] for n in nodes["nodes"].values()})
            lines.append(f"Elasticsearch {', '.join(versions)} at {url}")
        except Exception as exc:  # noqa: BLE001 - the header must never break the run
            lines.append(f"Elasticsearch at {url} did not answer: {exc}")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        try:
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
            lines.append(f"PostgreSQL {version}")
        except Exception as exc:  # noqa: BLE001
            lines.append(f"PostgreSQL did not answer: {exc}")
    return lines


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: page ids (and so cache keys) recur across tests,
    and a rolled-back test's taxonomy terms must not outlive it."""
    from django.core.cache import cache

    from search.facets import forget_options

    cache.clear()
    forget_options()
    yield
