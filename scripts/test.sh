#!/usr/bin/env bash
# The whole test suite, as `make test` runs it on a fresh machine:
#   1. the browser (Debian's chromium and chromium-driver) and axe-core (npm) when missing,
#   2. lint (ruff),
#   3. unit and browser tests on SQLite with the database search backend,
#   4. integration tests on the real PostgreSQL and Elasticsearch, started here when
#      they are not already running and stopped again afterwards.
# Extra arguments go to both pytest runs, e.g. `bash scripts/test.sh -k search`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Debian's nodejs and npm for axe-core (accessibility checks)" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== lint" >&2
"$ROOT/.venv/bin/ruff" check .
"$ROOT/.venv/bin/ruff" format --check .

# shellcheck source-path=SCRIPTDIR source=lib/run_services.sh
. "$ROOT/scripts/lib/run_services.sh"  # start_service; stops what it started at exit

echo "== unit and browser tests (SQLite, database search backend)" >&2
set +e
env -u DATABASE_URL -u ELASTICSEARCH_URL "$PY" -m pytest -m "not integration" "$@"
unit_status=$?
set -e

echo "== integration tests (PostgreSQL, Elasticsearch)" >&2
start_service postgres DATABASE_URL
start_service elasticsearch ELASTICSEARCH_URL
set +e
# The services were just started for this run: one that does not answer is a failure, not a skip.
PX_REQUIRE_SERVICES=1 "$PY" -m pytest -m integration "$@"
integration_status=$?
set -e

echo "== unit tests of CQC ratings, practice for gaps, requests, alerts, feeds, the self-assessment, search logs, promotions, coverage, evidence, review dates and permissions again, on PostgreSQL" >&2
set +e
PX_REQUIRE_SERVICES=1 env -u ELASTICSEARCH_URL "$PY" -m pytest -m "not integration and not browser" \
  tests/unit/test_cqc_ratings_import.py tests/unit/test_cqc_ratings_command.py \
  tests/unit/test_cqc_ratings_pages.py \
  tests/unit/test_practice_for.py tests/unit/test_enquiries.py tests/unit/test_alerts.py \
  tests/unit/test_feeds.py tests/unit/test_self_assessment.py tests/unit/test_search_insight.py \
  tests/unit/test_promotions.py tests/unit/test_coverage.py tests/unit/test_evidence_strength.py \
  tests/unit/test_review_dates.py tests/unit/test_permissions.py "$@"
postgres_status=$?
set -e

if [ "$unit_status" -ne 0 ] || [ "$integration_status" -ne 0 ] || [ "$postgres_status" -ne 0 ]; then
  echo "Tests failed: unit/browser exit $unit_status, integration exit $integration_status," \
    "unit storage tests on PostgreSQL exit $postgres_status" >&2
  exit 1
fi
