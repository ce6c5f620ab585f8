#!/usr/bin/env bash
# Benchmarks that print figures: the import rate (SQLite) and search latency and nDCG@10
# for both backends (PostgreSQL + Elasticsearch, started here and stopped again if so).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

# The import rate first, before the services start: an idle Elasticsearch still takes CPU.
"$PY" benchmarks/import_rate.py "${IMPORT_RECORDS:-10000}"

# shellcheck source-path=SCRIPTDIR source=lib/run_services.sh
. "$ROOT/scripts/lib/run_services.sh"  # start_service; stops what it started at exit
start_service postgres PG_URL
start_service elasticsearch ES_URL

# A database of the benchmark's own, so a developer's data is never touched.
psql "$PG_URL" -qc "DROP DATABASE IF EXISTS practice_benchmark" -c "CREATE DATABASE practice_benchmark"
BENCH_DB="${PG_URL%/*}/practice_benchmark"
# The import rate with the real services: PostgreSQL, and every publish reaching Elasticsearch.
psql "$PG_URL" -qc "DROP DATABASE IF EXISTS practice_import_benchmark" -c "CREATE DATABASE practice_import_benchmark"
"$PY" benchmarks/import_rate.py "${IMPORT_RECORDS_SERVICES:-2000}" \
  --database-url "${PG_URL%/*}/practice_import_benchmark" --elasticsearch-url "$ES_URL"
psql "$PG_URL" -qc "DROP DATABASE practice_import_benchmark"

DATABASE_URL="$BENCH_DB" "$PY" manage.py migrate -v0
DATABASE_URL="$BENCH_DB" ELASTICSEARCH_URL="$ES_URL" "$PY" benchmarks/search_latency.py
# nDCG@10 on the development set and on the blind set, each over its own corpus.
"$PY" benchmarks/relevance.py --elasticsearch-url "$ES_URL"
