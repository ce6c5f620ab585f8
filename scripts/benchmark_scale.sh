#!/usr/bin/env bash
# The scale benchmark (benchmarks/scale.py): PostgreSQL and Elasticsearch started here (and
# stopped again if this script started them), a database and an index of the benchmark's
# own, the sizes in SIZES (default "1000 10000 100000").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
SIZES="${SIZES:-1000 10000 100000}"

# shellcheck source-path=SCRIPTDIR source=lib/run_services.sh
. "$ROOT/scripts/lib/run_services.sh"  # start_service; stops what it started at exit
start_service postgres PG_URL
start_service elasticsearch ES_URL

# The benchmark's indices, by name: Elasticsearch refuses to delete by a wildcard.
drop_indices() {
  "$PY" - "$ES_URL" <<'PYTHON'
import sys
from elasticsearch import Elasticsearch
es = Elasticsearch(sys.argv[1], request_timeout=60)
for name in es.indices.get(index="benchmark-scale*", expand_wildcards="all"):
    es.indices.delete(index=name)
PYTHON
}

# A fresh database and index each run, so a developer's data is never touched.
psql "$PG_URL" -qc "DROP DATABASE IF EXISTS practice_scale" -c "CREATE DATABASE practice_scale"
drop_indices
# shellcheck disable=SC2086  # SIZES is a list of numbers
"$PY" benchmarks/scale.py --sizes $SIZES \
  --database-url "${PG_URL%/*}/practice_scale" --elasticsearch-url "$ES_URL" "$@"
drop_indices
psql "$PG_URL" -qc "DROP DATABASE practice_scale"
