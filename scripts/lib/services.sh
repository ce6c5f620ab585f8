# shellcheck shell=bash
# What scripts/elasticsearch.sh and scripts/postgres.sh have in common. Sourced (not run)
# by each of them, after `set -euo pipefail` and after setting
#   ROOT          the repository (the folder above scripts/),
#   NAME          the service (elasticsearch, postgres): the state folder .services/$NAME,
#                 its pid file $NAME.pid, its lock .services/.$NAME.lock, and "$NAME.sh:"
#                 in front of every message.
# Before the commands run (main, at the end of each script), the script also sets URL,
# LOCK_TIMEOUT (how long a start or stop waits for another one) and STOP_TIMEOUT, and
# defines answers, running_pid, stop_process PID and cmd_start.
#
# A script may run a second, separate instance of its service: use_instance INSTANCE (called
# right after sourcing this) gives it the state folder .services/$NAME-INSTANCE and the lock
# .services/.$NAME-INSTANCE.lock, so it never touches the default instance's files.

SERVICES="$ROOT/.services"
STATE_NAME="$NAME"              # the state folder's (and lock's) name: $NAME, or $NAME-INSTANCE
LINK="$SERVICES/$STATE_NAME"    # the state folder, or a symlink to it (see prepare_state)
SVC_USER="${PXSERVICE_USER:-pxservice}"
IS_ROOT=0; [ "$(id -u)" -eq 0 ] && IS_ROOT=1

log() { printf '%s.sh: %s\n' "$NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

use_instance() {  # use_instance INSTANCE: a separate state folder and lock (see above)
  [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$ ]] || die "instance name looks wrong: '$1'"
  STATE_NAME="$NAME-$1"
  LINK="$SERVICES/$STATE_NAME"
}

# apt-get install, waiting for another apt/dpkg run to finish (our own runs take
# turns through a lock shared by both scripts; any other one is waited for by
# DPkg::Lock::Timeout), and refreshing the package lists when a package is not found.
apt_install() {
  [ "$IS_ROOT" = 1 ] || die "missing $*; install it (e.g. sudo apt-get install $*) and retry"
  command -v apt-get >/dev/null || die "missing $* and no apt-get; install it and retry"
  local opts=(-y -q --no-upgrade -o DPkg::Lock::Timeout=900)
  log "installing $* with apt-get (may wait for another apt run to finish)"
  mkdir -p /run/lock
  (
    export DEBIAN_FRONTEND=noninteractive
    flock -w 1800 8 || exit 1
    apt-get install "${opts[@]}" "$@" >&2 && exit 0
    local try
    for try in 1 2 3; do
      apt-get update -q -o DPkg::Lock::Timeout=900 >&2 && break
      [ "$try" = 3 ] || { log "apt-get update failed; retrying in 10 s"; sleep 10; }
    done
    apt-get install "${opts[@]}" "$@" >&2
  ) 8>/run/lock/pxservice-apt.lock || die "could not install $*"
}

# Both Elasticsearch and PostgreSQL refuse to run as root: as root we run them as an
# unprivileged system user. As anyone else we run them as the current user.
ensure_user() {
  [ "$IS_ROOT" = 1 ] || return 0
  id -u "$SVC_USER" >/dev/null 2>&1 && return 0
  # Both scripts may get here at the same moment (make -j), and two concurrent
  # useradd runs can both "succeed" with different uids (seen on Debian 12), leaving
  # folders owned by a uid that is not the user's: create it under a lock.
  mkdir -p /run/lock
  (
    flock -w 60 8 || exit 1
    id -u "$SVC_USER" >/dev/null 2>&1 && exit 0
    log "creating system user $SVC_USER"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SVC_USER"
  ) 8>/run/lock/pxservice-useradd.lock || die "could not create user $SVC_USER"
}

svc_test() {  # run test(1) as the service user: svc_test -x DIR
  if [ "$IS_ROOT" = 1 ]; then
    setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups -- test "$@"
  else
    test "$@"
  fi
}

svc_mkdir() {  # create folders owned by the service user, private to it
  local d
  for d in "$@"; do
    mkdir -p "$d"
    if [ "$IS_ROOT" = 1 ]; then chown "$SVC_USER:" "$d"; fi
    chmod 700 "$d"
  done
}

hash_of_root() { printf '%s' "$ROOT" | sha256sum | cut -c1-12; }

safe_tmp_dir() {  # a folder in /tmp that we (and only we) own
  local d="$1"
  if [ -e "$d" ] || [ -L "$d" ]; then
    [ -d "$d" ] && [ ! -L "$d" ] && [ -O "$d" ] \
      || die "$d exists but is not a folder owned by $(id -un); remove it and retry"
  else
    mkdir -m 755 "$d"
  fi
}

# Where the state lives. Normally in $ROOT/.services/<name>, owned by the service user.
# When this runs as root in a repo below a folder the service user cannot traverse
# (e.g. a clone in /root, mode 700), the service could not reach its own files there,
# and opening up /root would be worse. Then the state goes to /tmp/pxservices-<hash of
# the repo path>/<name> (one per clone, so two clones never share data) and
# .services/<name> is a symlink to it, so it is found in the same place either way.
# The choice is remembered by the symlink, so later runs never switch places. The
# Elasticsearch download cache stays in .services/cache: only the script (not the
# server) reads it.
prepare_state() {
  mkdir -p "$SERVICES"
  if [ "$IS_ROOT" = 1 ]; then chmod 755 "$SERVICES"; fi
  if [ -L "$LINK" ]; then
    STATE="$(readlink "$LINK")"
    safe_tmp_dir "$(dirname "$STATE")"      # /tmp may have been cleaned since
  elif [ -d "$LINK" ] || [ "$IS_ROOT" = 0 ] || svc_test -x "$SERVICES"; then
    STATE="$LINK"
  else
    local base; base="/tmp/pxservices-$(hash_of_root)"
    safe_tmp_dir "$base"
    STATE="$base/$STATE_NAME"
    ln -sfn "$STATE" "$LINK"
    log "note: $SVC_USER cannot reach $SERVICES (a parent folder is not traversable);" \
        "keeping the state in $STATE, linked from $LINK"
  fi
  svc_mkdir "$STATE"
  svc_test -x "$STATE" -a -w "$STATE" || die "$SVC_USER cannot use $STATE; check the permissions of its parent folders"
}

existing_state() {  # the state folder if there is one, without creating anything
  if [ -L "$LINK" ]; then readlink "$LINK"; elif [ -d "$LINK" ]; then echo "$LINK"; fi
}

print_log_tail() {  # print_log_tail FILE
  log "last 50 lines of $1:"
  tail -n 50 "$1" >&2 2>/dev/null || true
}

take_lock() {  # one start/stop at a time; the lock is fd 9, held until the script exits
  exec 9>"$SERVICES/.$STATE_NAME.lock"
  flock -w "$LOCK_TIMEOUT" 9 || die "another $NAME.sh is still busy"
}

# Wait up to STOP_TIMEOUT for `ALIVE_CHECK PID` to fail, then SIGKILL TARGET (the pid,
# or minus a process group id): await_exit ALIVE_CHECK PID TARGET
await_exit() {
  local waited=0
  while "$1" "$2"; do
    if [ "$waited" -ge $((STOP_TIMEOUT * 5)) ]; then
      log "still running after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL -- "$3" 2>/dev/null || true
      break
    fi
    sleep 0.2; waited=$((waited + 1))
  done
}

stop_server() {  # stop what running_pid finds (stop_process does the service's part)
  local state pid
  state="$(existing_state)"
  pid="$(running_pid)"
  if [ -z "$pid" ]; then
    if [ -n "$state" ]; then rm -f "$state/$NAME.pid"; fi
    log "not running"
    return 0
  fi
  stop_process "$pid"
  rm -f "$state/$NAME.pid"
  log "stopped"
}

# --- commands --------------------------------------------------------------------

cmd_stop() {
  if [ -d "$SERVICES" ]; then take_lock; fi
  stop_server
}

cmd_status() {
  if answers; then
    echo "running $URL"
  else
    echo "stopped"
    exit 3
  fi
}

main() {
  case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: bash scripts/$NAME.sh start|stop|status" >&2; exit 2 ;;
  esac
}
