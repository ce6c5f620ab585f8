#!/usr/bin/env bash
# The fault harness (benchmarks/chaos.py), on loopback only: PostgreSQL (scripts/postgres.sh;
# the shared cluster is fine) with a database of the run's own, practice_chaos, created
# afresh and dropped at the end; and an Elasticsearch instance of the run's own
# (scripts/elasticsearch.sh with ES_INSTANCE=chaos, port 9250, state in
# .services/elasticsearch-chaos), never the default node on 9200. Everything it started
# is stopped at exit, on Ctrl-C too.
#
#   bash scripts/chaos.sh                 # a single node
#   NODES=3 bash scripts/chaos.sh         # a three-node cluster; the index gets 1 replica
#   CHAOS_PHASES=baseline,es-kill CHAOS_PHASE_SECONDS=15 CHAOS_RECORDS=500 bash scripts/chaos.sh
#
# Environment: NODES (default 1), CHAOS_ES_PORT (default 9250; a cluster uses it and the
# next NODES-1), CHAOS_ES_INSTANCE (default chaos), and benchmarks/chaos.py's CHAOS_*
# (see its docstring). Extra arguments go to benchmarks/chaos.py. Exit status: chaos.py's
# (1: it found failures).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
NODES="${NODES:-1}"
[[ "$NODES" =~ ^[1-9]$ ]] || { echo "chaos.sh: NODES must be 1 to 9, not '$NODES'" >&2; exit 2; }
export ES_INSTANCE="${CHAOS_ES_INSTANCE:-chaos}"
export ES_PORT="${CHAOS_ES_PORT:-9250}"
if [ -z "$ES_INSTANCE" ] || [ "$ES_PORT" = 9200 ]; then
  echo "chaos.sh: the harness never uses the default Elasticsearch (9200)" >&2
  exit 2
fi
DB=practice_chaos
ES_ARGS=()
if [ "$NODES" -gt 1 ]; then ES_ARGS=(--nodes "$NODES"); fi

log() { printf 'chaos.sh: %s\n' "$*" >&2; }

PG_STARTED=0
PG_URL=""
CHILDREN="$(mktemp -t px-chaos-children.XXXXXX)"  # chaos.py's gunicorn and locust, by group
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  log "cleaning up"
  # chaos.py stops its children itself; these are left only if it was killed outright.
  local pid
  while read -r pid; do
    [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qe gunicorn -e chaos_load; then
      log "stopping what chaos.py left running (process group $pid)"
      kill -TERM -- "-$pid" 2>/dev/null
    fi
  done <"$CHILDREN"
  rm -f "$CHILDREN"
  # Our own instance: woken first (a frozen node would wait out the stop's timeout), then
  # stopped, whether this run or a killed earlier one started it.
  bash scripts/elasticsearch.sh signal CONT >/dev/null 2>&1
  bash scripts/elasticsearch.sh stop >&2
  if [ -n "$PG_URL" ]; then
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >&2
    if [ "$PG_STARTED" = 1 ]; then
      # Stopped only if nobody else has started using it since.
      local others
      others="$(psql "$PG_URL" -tAqc "SELECT count(*) FROM pg_stat_activity
                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")"
      if [ "$others" = 0 ]; then
        bash scripts/postgres.sh stop >&2
      else
        log "PostgreSQL left running: $others other connections use it now"
      fi
    fi
  fi
  exit "$status"
}
# chaos.py runs in the background so that a signal reaches this script at once: it is
# passed on as SIGTERM (chaos.py then stops gunicorn and locust), then cleanup runs.
CHAOS_PID=""
# shellcheck disable=SC2317  # run by the traps
on_signal() {
  if [ -n "$CHAOS_PID" ]; then
    kill -TERM "$CHAOS_PID" 2>/dev/null
    wait "$CHAOS_PID"
  fi
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

bash scripts/postgres.sh status >/dev/null 2>&1 || PG_STARTED=1
PG_URL="$(bash scripts/postgres.sh start | tail -1)"
# A leftover of a killed run (ours, by its instance name) goes first.
bash scripts/elasticsearch.sh signal CONT >/dev/null 2>&1 || true
bash scripts/elasticsearch.sh stop >&2
ES_URL="$(bash scripts/elasticsearch.sh start "${ES_ARGS[@]}" | tail -1)"
[ -n "$ES_URL" ] || { log "scripts/elasticsearch.sh start gave no URL"; exit 1; }

psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
"$PY" benchmarks/chaos.py --database-url "${PG_URL%/*}/$DB" --elasticsearch-url "$ES_URL" \
  --es-instance "$ES_INSTANCE" --es-port "$ES_PORT" --nodes "$NODES" --children-file "$CHILDREN" \
  --output "benchmarks/results/chaos-$NODES-node.json" "$@" &
CHAOS_PID=$!
set +e
wait "$CHAOS_PID"
status=$?
set -e
CHAOS_PID=""
exit "$status"
