#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks.
#
#   bash scripts/postgres.sh start    # prints the URL to use as its last line of stdout
#   bash scripts/postgres.sh stop
#   bash scripts/postgres.sh status   # "running <URL>" (exit 0) or "stopped" (exit 3)
#
#   URL=$(bash scripts/postgres.sh start | tail -1)
#   # -> postgres://practice@127.0.0.1:54329/practice
#
# PostgreSQL comes from Debian's packages (installed here when missing); the newest
# /usr/lib/postgresql/<version>/bin is used. The cluster is our own (initdb + pg_ctl),
# never Debian's "main" cluster, which expects systemd. It listens on 127.0.0.1 only,
# on PG_PORT (default 54329, so it never clashes with a system cluster on 5432).
# Everything lives in .services/postgres/ (ignored by git): data/, postgres.log,
# postgres.pid, run/ (the unix socket). Progress goes to stderr, the URL to stdout.
#
# Environment: PG_PORT (default 54329), PXSERVICE_USER (default pxservice; the
# unprivileged user the server runs as when this script runs as root).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NAME=postgres
# shellcheck source-path=SCRIPTDIR source=lib/services.sh
. "$ROOT/scripts/lib/services.sh"  # log, die, SERVICES, STATE, apt_install, ..., main
PORT="${PG_PORT:-54329}"
DB_NAME=practice
DB_USER=practice
URL="postgres://${DB_USER}@127.0.0.1:${PORT}/${DB_NAME}"
START_TIMEOUT=30
STOP_TIMEOUT=30
LOCK_TIMEOUT=120

[[ "$PORT" =~ ^[0-9]+$ ]] || die "PG_PORT must be a number, not '$PORT'"

# --- PostgreSQL ----------------------------------------------------------------

# Run a command as the service user, in $STATE, with a clean environment (extra
# VAR=value arguments go before the command, as for env).
as_svc() {
  if [ "$IS_ROOT" = 1 ]; then
    setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups -- env -i -C "$STATE" "$@"
  else
    env -i -C "$STATE" "$@"
  fi
}

newest_pg_bin() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] || continue
    best="$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -1)"
  done
  if [ -z "$best" ] && command -v pg_ctl >/dev/null 2>&1; then  # non-Debian laptop
    best="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
  fi
  [ -n "$best" ] || return 1
  echo "$best"
}

find_pg_bin() {  # the binaries matching an existing cluster, else the newest installed
  local state v
  state="$(existing_state)"
  if [ -n "$state" ] && [ -f "$state/data/PG_VERSION" ]; then
    v="$(cat "$state/data/PG_VERSION")"
    if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then echo "/usr/lib/postgresql/$v/bin"; return 0; fi
  fi
  newest_pg_bin
}

answers() {
  local bin; bin="$(find_pg_bin)" || return 1
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -t 2
}

psql_admin() {
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"
}

ensure_role_and_db() {
  PGBIN="$(find_pg_bin)" || die "no PostgreSQL binaries found"
  # The role is a superuser so that Django's test runner can create test databases.
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN SUPERUSER;
      END IF;
    END \$\$;
    ALTER ROLE $DB_USER LOGIN SUPERUSER;" >&2 \
    || die "something answers on 127.0.0.1:$PORT but is not this project's cluster (set PG_PORT)"
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
    log "creating database $DB_NAME"
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2 \
      || [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" = 1 ]
  fi
}

running_pid() {  # the postmaster we started, if it is still alive
  local state f pid cmdline
  state="$(existing_state)"
  [ -n "$state" ] || return 0
  # Our pid file; else PostgreSQL's own (e.g. after a start that timed out).
  for f in "$state/$NAME.pid" "$state/data/postmaster.pid"; do
    [ -f "$f" ] || continue
    pid="$(head -1 "$f")"
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    # Guard against a recycled pid: it must be a postgres running on our data folder.
    cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || continue
    if [[ "$cmdline" == *"$state/data"* ]]; then echo "$pid"; return 0; fi
  done
}

sq() { printf "'%s'" "${1//\'/\'\'}"; }  # a PostgreSQL configuration string literal

init_cluster() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  rm -rf "$DATA.init"
  log "initialising a new cluster in $DATA ($("$PGBIN/postgres" --version))"
  as_svc PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$STATE" \
    "$PGBIN/initdb" -D "$DATA.init" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-instructions >/dev/null
  # Trust authentication: this is a throwaway test cluster that listens on 127.0.0.1
  # only, and its unix socket sits in a folder only the service user (and root) can
  # enter. Nothing in it is secret; do not reuse this setup for anything else.
  cat >"$DATA.init/pg_hba.conf" <<'EOF'
# Written by scripts/postgres.sh: a test cluster bound to loopback, trust auth.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
  printf "\n# Settings of scripts/postgres.sh, rewritten on every start:\ninclude_if_exists = 'practice.conf'\n" \
    >>"$DATA.init/postgresql.conf"
  mv "$DATA.init" "$DATA"
}

write_conf() {
  cat >"$DATA/practice.conf" <<EOF
# Written by scripts/postgres.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = $(sq "$SOCKDIR")
unix_socket_permissions = 0700
# A disposable test cluster: trade crash safety for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  if [ "$IS_ROOT" = 1 ]; then chown "$SVC_USER:" "$DATA/practice.conf"; fi
  chmod 600 "$DATA/practice.conf"
}

# --- commands ------------------------------------------------------------------

cmd_start() {
  if answers; then
    ensure_role_and_db
    log "already running"
    echo "$URL"
    return 0
  fi

  if [ -z "$(newest_pg_bin)" ]; then
    apt_install postgresql
    [ -n "$(newest_pg_bin)" ] || die "no PostgreSQL binaries under /usr/lib/postgresql after installing"
  fi
  ensure_user
  prepare_state

  take_lock
  if answers; then   # another start got there while we waited for the lock
    ensure_role_and_db
    echo "$URL"
    return 0
  fi

  DATA="$STATE/data"
  LOGFILE="$STATE/$NAME.log"
  PIDFILE="$STATE/$NAME.pid"
  PGBIN="$(find_pg_bin)" || die "no PostgreSQL binaries found"
  # A unix socket path may not exceed 107 bytes: a deep clone gets a short one in /tmp.
  SOCKDIR="$STATE/run"
  if [ $(( ${#SOCKDIR} + ${#PORT} + 10 )) -gt 107 ]; then
    safe_tmp_dir "/tmp/pxservices-$(hash_of_root)"
    SOCKDIR="/tmp/pxservices-$(hash_of_root)/pgsock"
  fi

  local bin_major; bin_major="$("$PGBIN/pg_ctl" --version | awk '{print $3}' | cut -d. -f1)"
  if [ -f "$DATA/PG_VERSION" ] && [ "$(cat "$DATA/PG_VERSION")" != "$bin_major" ]; then
    local old; old="$DATA.old-pg$(cat "$DATA/PG_VERSION")"
    log "the cluster in $DATA is PostgreSQL $(cat "$DATA/PG_VERSION"), which is no longer installed;" \
        "moving it to $old and starting afresh with PostgreSQL $bin_major"
    rm -rf "$old"; mv "$DATA" "$old"
  fi

  local pid; pid="$(running_pid)"
  if [ -n "$pid" ]; then
    log "postgres (pid $pid) is running but not answering yet; waiting for it"
  else
    rm -f "$PIDFILE"
    wait_for_zombie
    svc_mkdir "$SOCKDIR"
    init_cluster
    write_conf
    if [ -f "$LOGFILE" ]; then mv -f "$LOGFILE" "$LOGFILE.1"; fi   # keep the previous run's log
    log "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOGFILE)"
    # pg_ctl detaches the server (its own session, output to the log) and waits until
    # it accepts connections, or has died, or START_TIMEOUT has passed. fd 9 is our
    # lock and must not be inherited by the server.
    if ! as_svc PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$STATE" \
        "$PGBIN/pg_ctl" start -D "$DATA" -l "$LOGFILE" -w -t "$START_TIMEOUT" -s </dev/null >&2 9>&-; then
      print_log_tail "$LOGFILE"
      log "PostgreSQL did not start (it died, or did not answer within ${START_TIMEOUT}s)"
      stop_server >/dev/null 2>&1 || true
      exit 1
    fi
  fi

  local waited=0
  until answers; do
    if [ "$waited" -ge "$START_TIMEOUT" ]; then
      print_log_tail "$LOGFILE"
      log "PostgreSQL did not answer within ${START_TIMEOUT}s; stopping it"
      stop_server >/dev/null || true
      exit 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  pid="$(head -1 "$DATA/postmaster.pid")"
  echo "$pid" >"$PIDFILE"
  ensure_role_and_db
  log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') is up (pid $pid)"
  echo "$URL"
}

# After a kill -9 the postmaster stays a zombie until init reaps it (lazily on some
# machines: about a second here). PostgreSQL takes a zombie's pid in postmaster.pid
# and in the socket's lock file for a live server and refuses to start, so wait for
# the reaping; if it never comes, those lock files are stale and can go.
wait_for_zombie() {
  [ -f "$DATA/postmaster.pid" ] || return 0
  local old _i
  old="$(head -1 "$DATA/postmaster.pid")"
  [[ "$old" =~ ^[0-9]+$ ]] || return 0
  for _i in $(seq 50); do
    is_zombie "$old" || return 0
    sleep 0.2
  done
  log "removing the lock files of a dead postmaster (pid $old)"
  rm -f "$DATA/postmaster.pid" "$SOCKDIR/.s.PGSQL.$PORT.lock"
}

is_zombie() {
  local st state
  read -r st 2>/dev/null <"/proc/$1/stat" || return 1
  read -r state _ <<<"${st##*) }"
  [ "$state" = Z ]
}

pid_alive() {  # process $1 exists and is not a zombie (under an init that does not reap)
  local st state
  read -r st 2>/dev/null <"/proc/$1/stat" || return 1
  read -r state _ <<<"${st##*) }"
  [ "$state" != Z ]
}

stop_process() {  # stop_process PID: the postmaster
  # SIGINT is PostgreSQL's "fast" shutdown (= pg_ctl stop -m fast): it ends open
  # sessions. SIGTERM would be "smart" and wait for every client (e.g. a leaked test
  # connection) to disconnect, which would only end in SIGKILL.
  log "stopping PostgreSQL (pid $1)"
  kill -INT "$1" 2>/dev/null || true
  await_exit pid_alive "$1" "$1"
}

main "$@"
