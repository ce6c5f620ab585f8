"""When `make test` has started PostgreSQL and Elasticsearch, a service that does not answer
fails the integration tests; only a bare `pytest` by hand may skip them."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# An integration test that needs Elasticsearch, pointed at a port where nothing listens.
NEEDS_ELASTICSEARCH = "tests/integration/test_services.py::test_elasticsearch_version"


def run_integration_test(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CI", "PX_REQUIRE_SERVICES", "ELASTICSEARCH_URL"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", NEEDS_ELASTICSEARCH],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("env", [{"PX_REQUIRE_SERVICES": "1"}, {"CI": "true"}])
def test_a_missing_service_fails_when_the_run_requires_services(env):
    result = run_integration_test(**env)
    assert result.returncode == 1, result.stdout[-2000:]  # an error in its fixture: a failure
    assert "1 error" in result.stdout and "must answer" in result.stdout


def test_a_bare_pytest_run_skips_loudly():
    result = run_integration_test()
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 skipped" in result.stdout and "SKIPPED INTEGRATION" in result.stdout
