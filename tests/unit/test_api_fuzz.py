"""The JSON API fuzzed against its own OpenAPI description (search/openapi.json, as served at
/api/search/openapi.json) with Schemathesis, in process, on SQLite with the database search
backend and the demo content loaded.

Every generated request, valid and invalid alike, must get no 5xx, a status code the
description documents for the operation, the content type it documents and a body that
matches the documented schema; a method the description does not list gets a 405 with an
Allow header; a highlight is escaped text with balanced <mark> pairs. Bounded (a fixed
number of examples per operation, derandomized) so that a run is reproducible and takes
well under a minute on two cores.
"""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from knowledgebase.cqc.ratings import CareLocation, RatingFact
from tests.conftest import DEMO_FILE
from tests.unit.test_api_surface import markup_problem

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 100
EXAMPLE_LOCATION_ID = "1-1234567890"  # the example in the description


def highlights(body):
    """Every highlight in an answer of the search API or of practice for a service's gaps."""
    if not isinstance(body, dict):
        return
    for result in body.get("results", []):
        yield result.get("highlight", "")
    for gap in body.get("gaps", []):
        for result in gap.get("results", []):
            yield result.get("highlight", "")


@schemathesis.check
def balanced_highlights(ctx, response, case):
    if response.status_code != 200 or "json" not in response.headers.get("content-type", [""])[0]:
        return None
    for highlight in highlights(response.json()):
        problem = markup_problem(highlight)
        if problem:
            raise AssertionError(f"Highlight with {problem}: {highlight!r}")
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
    allow_header_conformance,
    balanced_highlights,
]


def fuzz_config():
    config = schemathesis.Config()
    config.projects.default.generation.update(
        modes=list(GenerationMode),  # valid and invalid requests
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
        allow_x00=True,  # a NUL in a parameter: never meaningful, but people's tools send it
    )
    return config


# The description as the site serves it, bound to the Django app (called in process through
# WSGI, with every middleware, CSRF included). Loaded at collection: Django is set up by then
# and serving the description needs no database. Not through
# schemathesis.pytest.from_fixture: its lazy loader sets Node._nodeid, which pytest 9 lacks.
schema = schemathesis.openapi.from_wsgi(
    "/api/search/openapi.json", WSGIHandler(), config=fuzz_config()
)


def struggling_location():
    """The service of the description's example location id: Safe and Well-led weak."""
    place = CareLocation.objects.create(
        location_id=EXAMPLE_LOCATION_ID,
        name="Struggling House",
        care_home=True,
        location_type="Social Care Org",
        primary_inspection_category="Residential social care",
        service_kind="care-home",
        region="north-west",
        postcode="M1 2AB",
        cqc_url=f"https://www.cqc.org.uk/location/{EXAMPLE_LOCATION_ID}",
    )
    ratings = {"safe": "requires-improvement", "well-led": "inadequate"}
    for domain in ("overall", "safe", "effective", "caring", "responsive", "well-led"):
        RatingFact.objects.create(
            location=place,
            domain=domain,
            rating=ratings.get(domain, "good"),
            publication_date=datetime.date(2026, 6, 1),
            source_file="test.ods",
            imported_at=timezone.now(),
        )


@pytest.fixture
def connection_kept():
    """The test's database connection kept open across requests, as Django's test client
    keeps it: a request through WSGI closes it at the end (close_old_connections), which
    inside the test's transaction leaves PostgreSQL's connection unusable."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def demo(importer, database_search, django_capture_on_commit_callbacks, connection_kept):
    """The demo content, committed as an import would be (vectors computed on publish), and
    a service with gaps for practice for a service's gaps."""
    with django_capture_on_commit_callbacks(execute=True):
        report = importer(DEMO_FILE.read_text(encoding="utf-8").splitlines())
    assert not report.errors, report.errors
    struggling_location()
    return report


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same cases on every run and in CI
    database=None,  # no examples carried over from earlier runs
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_description(case, demo):
    case.call_and_validate(checks=CHECKS)
