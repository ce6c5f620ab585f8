# shellcheck shell=bash
# For the runners (test.sh, benchmark.sh, benchmark_scale.sh): the project's services started
# for a run, and those this run started stopped again at its exit. Sourced after
# `set -euo pipefail` and `cd "$ROOT"`; sets the EXIT trap.
#
#   start_service postgres DATABASE_URL     # starts scripts/postgres.sh unless it answers,
#   start_service elasticsearch ES_URL      # and sets and exports the variable to its URL

STARTED=()
stop_started() {
  for service in "${STARTED[@]}"; do bash "scripts/$service.sh" stop >&2 || true; done
}
trap stop_started EXIT

start_service() {  # start_service NAME VAR
  local name="$1" var="$2" url
  if ! bash "scripts/$name.sh" status >/dev/null 2>&1; then
    STARTED+=("$name")
  fi
  url="$(bash "scripts/$name.sh" start | tail -1)"
  [ -n "$url" ] || { echo "scripts/$name.sh start gave no URL" >&2; exit 1; }
  printf -v "$var" '%s' "$url"
  export "${var?}"
}
