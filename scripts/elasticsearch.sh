#!/usr/bin/env bash
# A private single-node Elasticsearch for tests and benchmarks.
#
#   bash scripts/elasticsearch.sh start    # prints the URL to use as its last line of stdout
#   bash scripts/elasticsearch.sh stop
#   bash scripts/elasticsearch.sh status   # "running <URL>" (exit 0) or "stopped" (exit 3)
#
#   URL=$(bash scripts/elasticsearch.sh start | tail -1)
#   # -> http://127.0.0.1:9200
#
# The server is the org.elasticsearch.distribution.integ-test-zip:elasticsearch zip that
# Maven Central publishes, fetched with Maven once into .services/cache/ and unpacked
# once into .services/elasticsearch/elasticsearch-<version>/. It runs on the machine's
# Java 17 (the zip bundles no JDK), bound to 127.0.0.1, as a single node with a 512 MB
# heap. Data, logs and the pid file live in .services/elasticsearch/ (ignored by git).
# Progress goes to stderr, the URL to stdout.
#
# Environment: ES_VERSION (default below), ES_PORT (default 9200), ES_JAVA_OPTS
# (default "-Xms512m -Xmx512m"), ES_JAVA_HOME (default: the JDK of `java` on PATH),
# PXSERVICE_USER (default pxservice; the unprivileged user the server runs as when
# this script runs as root).
#
# What the integ-test-zip contains (8.19.x): the server plus the modules apm,
# transport-netty4, x-pack-core and x-pack-security, and nothing else. No
# analysis-common: no `english`/`snowball` analyzers, no stemmer, porter_stem, kstem,
# synonym, synonym_graph, asciifolding or (edge_)ngram filters; the server core still
# has the standard/simple/stop/whitespace/keyword analyzers and the lowercase, stop,
# shingle and hunspell filters. No lang-painless, no reindex (_reindex answers 405),
# no mapper-extras (search_as_you_type, rank_feature). Fuzzy matching, more_like_this,
# highlighting, terms aggregations, the completion suggester and aliases work. And no
# rest-root module: GET / and HEAD / answer 405, so `curl $URL` shows no version and
# elasticsearch-py's info() raises and ping() returns False; use _cluster/health.
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.21}"   # newest 8.19 patch on Maven Central when written
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NAME=elasticsearch
# shellcheck source-path=SCRIPTDIR source=lib/services.sh
. "$ROOT/scripts/lib/services.sh"  # log, die, SERVICES, STATE, apt_install, ..., main
PORT="${ES_PORT:-9200}"
URL="http://127.0.0.1:${PORT}"
JAVA_OPTS_FOR_ES="${ES_JAVA_OPTS:--Xms512m -Xmx512m}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
CACHE="$SERVICES/cache"
ZIP="$CACHE/elasticsearch-${ES_VERSION}.zip"
START_TIMEOUT=90
STOP_TIMEOUT=30
LOCK_TIMEOUT=150

[[ "$PORT" =~ ^[0-9]+$ ]] || die "ES_PORT must be a number, not '$PORT'"
[[ "$ES_VERSION" =~ ^[0-9A-Za-z.-]+$ ]] || die "ES_VERSION looks wrong: '$ES_VERSION'"

# --- Elasticsearch ---------------------------------------------------------------

answers() {
  command -v curl >/dev/null || return 1
  curl -fsS -o /dev/null --max-time 5 \
    "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null
}

# The integ-test-zip has no rest-root module, so GET / (and HEAD /, which is what
# elasticsearch-py's ping() sends) answer 405: the version comes from the nodes API.
report_version() {
  local v
  v="$(curl -fsS --max-time 5 "$URL/_nodes/_local?filter_path=nodes.*.version" 2>/dev/null \
       | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')" || true
  log "Elasticsearch ${v:-(unknown version)} answers at $URL"
}

find_java_home() {
  if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return 0; fi
  local java; java="$(command -v java)" || return 1
  java="$(readlink -f "$java")"
  echo "${java%/bin/java}"
}

ensure_tools() {
  command -v curl >/dev/null || apt_install curl
  command -v unzip >/dev/null || apt_install unzip
  # Debian 12's Java is 17, which Elasticsearch 8.19 runs on (its minimum).
  command -v java >/dev/null || [ -n "${ES_JAVA_HOME:-}" ] || apt_install openjdk-17-jre-headless
  if [ ! -s "$ZIP" ]; then command -v mvn >/dev/null || apt_install maven; fi
}

fetch_zip() {
  [ -s "$ZIP" ] && return 0
  mkdir -p "$CACHE"
  local tmp; tmp="$(mktemp -d "$CACHE/.download.XXXXXX")"
  log "downloading $ARTIFACT from Maven Central (about 100 MB, once; cached in $CACHE)"
  # Run outside any project (a pom.xml in the current folder would be picked up);
  # -C fails on a checksum mismatch instead of warning.
  if ! (cd "$tmp" && mvn -B -q -C -Dstyle.color=never "$DEPENDENCY_PLUGIN:copy" \
          -Dartifact="$ARTIFACT" -DoutputDirectory="$tmp" </dev/null 2>&1 \
          | sed 's/\x1b\[[0-9;]*m//g' >&2); then
    rm -rf "$tmp"
    die "could not fetch $ARTIFACT (is ES_VERSION=$ES_VERSION published?)"
  fi
  mv "$tmp/elasticsearch-${ES_VERSION}.zip" "$ZIP"
  rm -rf "$tmp"
  log "downloaded $(du -h "$ZIP" | cut -f1)"
}

unpack() {
  [ -x "$ES_HOME/bin/elasticsearch" ] && return 0
  local tmp="$STATE/.unpack"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "unpacking into $ES_HOME"
  if ! unzip -q "$ZIP" -d "$tmp"; then
    rm -rf "$tmp" "$ZIP"
    die "$ZIP was damaged and has been removed; run start again to download it afresh"
  fi
  mv "$tmp/elasticsearch-${ES_VERSION}" "$ES_HOME"
  rm -rf "$tmp"
}

install_analysis_shim() {
  # The integ-test-zip lacks analysis-common (stemmer, asciifolding, synonym_graph), which
  # the index needs; search/elasticsearch_plugin/ provides them from the Lucene jars in
  # the node's own lib/. Rebuilt whenever its sources change.
  local src="$ROOT/search/elasticsearch_plugin" dest="$ES_HOME/plugins/practice-analysis-shim"
  local digest; digest="$(cat "$src"/plugin-descriptor.properties.in $(find "$src/src" -name '*.java' | sort) | sha256sum | cut -c1-16)-$ES_VERSION"
  [ -f "$dest/.digest" ] && [ "$(cat "$dest/.digest")" = "$digest" ] && return 0
  command -v javac >/dev/null && command -v jar >/dev/null || apt_install openjdk-17-jdk-headless
  log "building the analysis shim plugin (stemmer, asciifolding, synonym_graph)"
  local build; build="$(mktemp -d)"
  javac -nowarn -d "$build/classes" -cp "$ES_HOME/lib/*" $(find "$src/src" -name '*.java') \
    || { rm -rf "$build"; die "the analysis shim did not compile"; }
  rm -rf "$dest"; mkdir -p "$dest"
  jar cf "$dest/practice-analysis-shim.jar" -C "$build/classes" .
  sed "s/@ES_VERSION@/$ES_VERSION/g" "$src/plugin-descriptor.properties.in" >"$dest/plugin-descriptor.properties"
  echo "$digest" >"$dest/.digest"
  rm -rf "$build"
}

yq() { printf "'%s'" "${1//\'/\'\'}"; }  # a single-quoted YAML string

write_config() {
  # Only what is needed; everything else keeps Elasticsearch's defaults.
  cat >"$ES_HOME/config/elasticsearch.yml" <<EOF
# Written by scripts/elasticsearch.sh on every start; edit the script, not this file.
cluster.name: practice-exchange
node.name: practice-exchange-1
discovery.type: single-node
network.host: 127.0.0.1
http.port: $PORT
path.data: $(yq "$STATE/data")
path.logs: $(yq "$STATE/logs")
# A nearly full disk must never turn the test indices read-only.
cluster.routing.allocation.disk.threshold_enabled: false
# The 8.19 integ-test-zip does ship x-pack-security (despite its reputation): left on,
# its first start auto-configures TLS and passwords and plain http://127.0.0.1 stops
# answering. This is a test node bound to loopback, so security is off.
xpack.security.enabled: false
EOF
}

group_alive() {  # is any live (not zombie) process left in process group $1?
  # kill -0 -- -PGID is not enough: a zombie (e.g. our own unreaped child, or one
  # under an init that does not reap) still counts for it.
  local f st state pgrp
  for f in /proc/[0-9]*/stat; do
    read -r st 2>/dev/null <"$f" || continue
    read -r state _ pgrp _ <<<"${st##*) }"
    if [ "$pgrp" = "$1" ] && [ "$state" != Z ]; then return 0; fi
  done
  return 1
}

running_pid() {  # the process group we started, if any of it is still alive
  local state pid cmdline
  state="$(existing_state)"
  [ -n "$state" ] && [ -f "$state/$NAME.pid" ] || return 0
  pid="$(head -1 "$state/$NAME.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  group_alive "$pid" || return 0
  # Guard against a recycled pid: while the group leader lives it must be our
  # Elasticsearch (its command line names our folder); a group whose leader has
  # gone can only be what is left of ours, since a live group keeps its id reserved.
  if [ -r "/proc/$pid/cmdline" ]; then
    cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 0
    [[ "$cmdline" == *"$state/elasticsearch-"* ]] || return 0
  fi
  echo "$pid"
}

# --- commands --------------------------------------------------------------------

cmd_start() {
  if answers; then
    report_version
    echo "$URL"
    return 0
  fi

  ensure_tools
  ensure_user
  prepare_state

  take_lock
  if answers; then   # another start got there while we waited for the lock
    report_version
    echo "$URL"
    return 0
  fi

  ES_HOME="$STATE/elasticsearch-${ES_VERSION}"
  PIDFILE="$STATE/$NAME.pid"
  CONSOLE_LOG="$STATE/logs/console.log"
  local java_home; java_home="$(find_java_home)" || die "no java found (set ES_JAVA_HOME)"
  [ -x "$java_home/bin/java" ] || die "no java at $java_home/bin/java (set ES_JAVA_HOME)"

  local pid; pid="$(running_pid)"
  if [ -n "$pid" ]; then
    log "Elasticsearch (process group $pid) is running but not answering yet; waiting for it"
  else
    rm -f "$PIDFILE"
    fetch_zip
    unpack
    install_analysis_shim
    write_config
    svc_mkdir "$STATE/data" "$STATE/logs" "$STATE/tmp"
    # The server writes its keystore into config/ on first start.
    if [ "$IS_ROOT" = 1 ]; then chown -R "$SVC_USER:" "$ES_HOME"; fi
    : >"$CONSOLE_LOG"
    log "starting Elasticsearch $ES_VERSION on $URL (java: $java_home; log: $CONSOLE_LOG)"
    local es_env=(PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$STATE"
               ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="$JAVA_OPTS_FOR_ES" ES_TMPDIR="$STATE/tmp")
    local as_user=()
    if [ "$IS_ROOT" = 1 ]; then
      as_user=(setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups --)
    fi
    # setsid gives the server its own session and process group, whose id is $! (a
    # background child of a script is never a group leader, so setsid does not fork):
    # stop signals that whole group (the launcher JVM and the server JVM). The working
    # folder is logs/, where the JVM writes gc.log and any crash files. Output goes to
    # the console log, never to our stdout (callers read that through a pipe), and fd 9
    # (our lock) is not passed on.
    setsid "${as_user[@]}" env -i -C "$STATE/logs" "${es_env[@]}" "$ES_HOME/bin/elasticsearch" \
      </dev/null >>"$CONSOLE_LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PIDFILE"
  fi

  local started=$SECONDS
  until answers; do
    if ! group_alive "$pid"; then
      print_log_tail "$CONSOLE_LOG"
      rm -f "$PIDFILE"
      die "Elasticsearch exited during start"
    fi
    if [ $((SECONDS - started)) -ge "$START_TIMEOUT" ]; then
      print_log_tail "$CONSOLE_LOG"
      log "Elasticsearch did not answer within ${START_TIMEOUT}s; stopping it"
      stop_server >/dev/null || true
      exit 1
    fi
    sleep 1
  done
  log "up after $((SECONDS - started))s"
  report_version
  echo "$URL"
}

stop_process() {  # stop_process PGID: the process group cmd_start made with setsid
  log "stopping Elasticsearch (process group $1)"
  kill -TERM -- "-$1" 2>/dev/null || true
  await_exit group_alive "$1" "-$1"
}

main "$@"
