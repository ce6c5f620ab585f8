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
#
# A separate instance, and a local cluster (the fault harness, scripts/chaos.sh, uses both):
#
#   ES_INSTANCE=chaos ES_PORT=9250 bash scripts/elasticsearch.sh start
#   ES_INSTANCE=chaos ES_PORT=9250 bash scripts/elasticsearch.sh start --nodes 3
#   # -> http://127.0.0.1:9250,http://127.0.0.1:9251,http://127.0.0.1:9252 (last line)
#   ES_INSTANCE=chaos ES_PORT=9250 bash scripts/elasticsearch.sh status
#   ES_INSTANCE=chaos ES_PORT=9250 bash scripts/elasticsearch.sh signal KILL --node 2
#   ES_INSTANCE=chaos ES_PORT=9250 bash scripts/elasticsearch.sh stop [--node 2]
#
# ES_INSTANCE=NAME keeps everything in .services/elasticsearch-NAME (its own unpacked server,
# data, logs, pid files and lock; only the download cache is shared) and names its cluster
# practice-exchange-NAME, so it never touches the default node; it needs its own ES_PORT.
# `start --nodes N` (2 to 9) starts N nodes on 127.0.0.1: HTTP on ES_PORT .. ES_PORT+N-1,
# transport on ES_TRANSPORT_PORT (default ES_PORT+100) .. +N-1, found by discovery.seed_hosts
# and bootstrapped with cluster.initial_master_nodes; each node has a 384 MB heap (unless
# ES_JAVA_OPTS says otherwise) and its own folder node-I/ (config/, data/, logs/, tmp/ and
# elasticsearch.pid, its process group). It is up when every node answers and they form one
# cluster of N; the URLs go to stdout, comma-separated. Run again, it starts only the nodes
# that are not running (e.g. one that was killed). The instance remembers that it is a
# cluster (its file `nodes`), so stop and status need no --nodes: status prints "running
# URLS" (exit 0), "stopped" (exit 3) or "degraded URLS-THAT-ANSWER" (exit 4); `stop --node I`
# stops node I only. `signal SIGNAL [--node I]` sends SIGNAL (KILL, TERM, STOP, CONT, ...) to
# the process group of node I, or of every node (the single node's when it is no cluster).
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.21}"   # newest 8.19 patch on Maven Central when written
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NAME=elasticsearch
# shellcheck source-path=SCRIPTDIR source=lib/services.sh
. "$ROOT/scripts/lib/services.sh"  # log, die, SERVICES, STATE, apt_install, ..., main
INSTANCE="${ES_INSTANCE:-}"
if [ -n "$INSTANCE" ]; then
  use_instance "$INSTANCE"
  # Without a port of its own it would find the default node answering on 9200 and take
  # that for itself.
  [ -n "${ES_PORT:-}" ] || die "ES_INSTANCE=$INSTANCE needs a port of its own: set ES_PORT"
fi
PORT="${ES_PORT:-9200}"
URL="http://127.0.0.1:${PORT}"
JAVA_OPTS_FOR_ES="${ES_JAVA_OPTS:--Xms512m -Xmx512m}"
CLUSTER_NAME="practice-exchange${INSTANCE:+-$INSTANCE}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
CACHE="$SERVICES/cache"
ZIP="$CACHE/elasticsearch-${ES_VERSION}.zip"
START_TIMEOUT=90
STOP_TIMEOUT=30
LOCK_TIMEOUT=150

[[ "$PORT" =~ ^[0-9]+$ ]] || die "ES_PORT must be a number, not '$PORT'"
[[ "$ES_VERSION" =~ ^[0-9A-Za-z.-]+$ ]] || die "ES_VERSION looks wrong: '$ES_VERSION'"
TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((PORT + 100))}"  # a cluster's first node's
[[ "$TRANSPORT_PORT" =~ ^[0-9]+$ ]] || die "ES_TRANSPORT_PORT must be a number, not '$TRANSPORT_PORT'"

# --- Elasticsearch ---------------------------------------------------------------

answers() {
  command -v curl >/dev/null || return 1
  # Another instance checks that what answers on its port is its own cluster.
  if [ -n "$INSTANCE" ]; then node_answers "$URL"; return; fi
  curl -fsS -o /dev/null --max-time 5 \
    "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null
}

node_answers() {  # node_answers URL [N]: our cluster answers at URL (with N nodes in it)
  local body
  body="$(curl -fsS --max-time 5 \
    "$1/_cluster/health?wait_for_status=yellow&timeout=1s${2:+&wait_for_nodes=$2}" 2>/dev/null)" \
    || return 1
  [[ "$body" == *"\"cluster_name\":\"$CLUSTER_NAME\""* ]]
}

# The integ-test-zip has no rest-root module, so GET / (and HEAD /, which is what
# elasticsearch-py's ping() sends) answer 405: the version comes from the nodes API.
report_version() {  # report_version [URL] (default: $URL)
  local v url="${1:-$URL}"
  v="$(curl -fsS --max-time 5 "$url/_nodes/_local?filter_path=nodes.*.version" 2>/dev/null \
       | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')" || true
  log "Elasticsearch ${v:-(unknown version)} answers at $url"
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
cluster.name: $CLUSTER_NAME
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
  group_in_pidfile ""
}

node_pid() {  # node_pid I: the process group of node I of a cluster, if any of it is alive
  group_in_pidfile "node-$1/"
}

group_in_pidfile() {  # group_in_pidfile SUBFOLDER/: the live group of $state/SUBFOLDER/$NAME.pid
  local state pid cmdline
  state="$(existing_state)"
  [ -n "$state" ] && [ -f "$state/$1$NAME.pid" ] || return 0
  pid="$(head -1 "$state/$1$NAME.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  group_alive "$pid" || return 0
  # Guard against a recycled pid: while the group leader lives it must be our
  # Elasticsearch (its command line names our folder); a group whose leader has
  # gone can only be what is left of ours, since a live group keeps its id reserved.
  if [ -r "/proc/$pid/cmdline" ]; then
    cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 0
    [[ "$cmdline" == *"$state/elasticsearch-"* ]] || return 0
    # A node of a cluster: once its launcher runs, the configuration folder is the node's.
    if [ -n "$1" ] && [[ "$cmdline" == *"-Des.path.conf="* ]]; then
      [[ "$cmdline" == *"-Des.path.conf=$state/$1config "* ]] || return 0
    fi
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

# --- a local cluster (start --nodes N) ----------------------------------------------

node_url() { echo "http://127.0.0.1:$((PORT + $1 - 1))"; }

cluster_urls() {  # cluster_urls N: the nodes' URLs, comma-separated
  local i urls=()
  for ((i = 1; i <= $1; i++)); do urls+=("$(node_url "$i")"); done
  (IFS=,; echo "${urls[*]}")
}

recorded_nodes() {  # how many nodes this instance was last started with (1: a single node)
  local state n
  state="$(existing_state)"
  if [ -z "$state" ] || [ ! -f "$state/nodes" ]; then echo 1; return 0; fi
  n="$(head -1 "$state/nodes")"
  if [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 2 ]; then echo "$n"; else echo 1; fi
}

cluster_answers() {  # cluster_answers N: every node answers, in one cluster of N nodes
  local i
  for ((i = 1; i <= $1; i++)); do node_answers "$(node_url "$i")" "$1" || return 1; done
}

cluster_pids() {  # cluster_pids N: the live process groups of nodes 1..N
  local i pid
  for ((i = 1; i <= $1; i++)); do
    pid="$(node_pid "$i")"
    if [ -n "$pid" ]; then echo "$pid"; fi
  done
}

write_node_config() {  # write_node_config I N: node I's config/ and folders
  local i="$1" n="$2" dir="$STATE/node-$1" seeds=() masters=() j
  for ((j = 1; j <= n; j++)); do
    seeds+=("$(yq "127.0.0.1:$((TRANSPORT_PORT + j - 1))")")
    masters+=("$(yq "practice-exchange-$j")")
  done
  svc_mkdir "$dir" "$dir/data" "$dir/logs" "$dir/tmp"
  if [ ! -f "$dir/config/jvm.options" ]; then
    # The distribution's config/ (jvm.options, log4j2.properties, ...) without its settings
    # or keystore: the node writes a keystore of its own on its first start.
    rm -rf "$dir/config"
    mkdir -p "$dir/config"
    cp -R "$ES_HOME/config/." "$dir/config/"
    rm -f "$dir/config/elasticsearch.keystore" "$dir/config/elasticsearch.yml"
  fi
  cat >"$dir/config/elasticsearch.yml" <<EOF
# Written by scripts/elasticsearch.sh on every start; edit the script, not this file.
cluster.name: $CLUSTER_NAME
node.name: practice-exchange-$i
network.host: 127.0.0.1
http.port: $((PORT + i - 1))
transport.port: $((TRANSPORT_PORT + i - 1))
discovery.seed_hosts: [$(IFS=,; echo "${seeds[*]}")]
# Read only when the cluster first forms; ignored once it has.
cluster.initial_master_nodes: [$(IFS=,; echo "${masters[*]}")]
path.data: $(yq "$dir/data")
path.logs: $(yq "$dir/logs")
# A nearly full disk must never turn the test indices read-only.
cluster.routing.allocation.disk.threshold_enabled: false
# Test nodes on loopback: no TLS and no passwords (see the single node's settings).
xpack.security.enabled: false
EOF
  if [ "$IS_ROOT" = 1 ]; then chown -R "$SVC_USER:" "$dir/config"; fi
}

launch_node() {  # launch_node I JAVA_HOME: start node I; LAUNCHED is its process group id
  local i="$1" dir="$STATE/node-$1"
  local console="$dir/logs/console.log"
  : >"$console"
  log "starting node $i on $(node_url "$i") (transport $((TRANSPORT_PORT + i - 1)); log: $console)"
  local es_env=(PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$dir" ES_PATH_CONF="$dir/config"
             ES_JAVA_HOME="$2" ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms384m -Xmx384m}"
             ES_TMPDIR="$dir/tmp")
  local as_user=()
  if [ "$IS_ROOT" = 1 ]; then
    as_user=(setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups --)
  fi
  # As for the single node (see cmd_start): a session and process group of its own, whose
  # id is $!; output to its console log only (our stdout is a caller's pipe); not our lock.
  setsid "${as_user[@]}" env -i -C "$dir/logs" "${es_env[@]}" "$ES_HOME/bin/elasticsearch" \
    </dev/null >>"$console" 2>&1 9>&- &
  LAUNCHED=$!
  echo "$LAUNCHED" >"$dir/$NAME.pid"
}

stop_groups() {  # stop_groups PGID...: TERM each group (waking a frozen one), then wait for all
  local pid
  for pid in "$@"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
    kill -CONT -- "-$pid" 2>/dev/null || true  # a SIGSTOPped node acts on TERM only once woken
  done
  for pid in "$@"; do await_exit group_alive "$pid" "-$pid"; done
}

cmd_start_cluster() {  # cmd_start_cluster N
  local n="$1" i urls
  urls="$(cluster_urls "$n")"
  if cluster_answers "$n"; then
    report_version "$(node_url 1)"
    echo "$urls"
    return 0
  fi

  ensure_tools
  ensure_user
  prepare_state

  take_lock
  if cluster_answers "$n"; then   # another start got there while we waited for the lock
    report_version "$(node_url 1)"
    echo "$urls"
    return 0
  fi
  [ -z "$(running_pid)" ] || die "this instance runs as a single node on $URL; stop it first"
  local recorded; recorded="$(recorded_nodes)"
  if [ "$recorded" -gt 1 ] && [ "$recorded" != "$n" ] && [ -n "$(cluster_pids "$recorded")" ]; then
    die "this instance runs as a cluster of $recorded nodes; stop it first"
  fi
  # The nodes' data belongs to a cluster of the size it was made for (its voting masters).
  local made_for=""
  if [ -f "$STATE/node-1/cluster-size" ]; then made_for="$(head -1 "$STATE/node-1/cluster-size")"; fi
  if [ -n "$made_for" ] && [ "$made_for" != "$n" ]; then
    die "$STATE/node-* hold a cluster of $made_for nodes: start it with --nodes $made_for," \
        "or remove $STATE/node-* to start a new cluster of $n"
  fi

  ES_HOME="$STATE/elasticsearch-${ES_VERSION}"
  local java_home; java_home="$(find_java_home)" || die "no java found (set ES_JAVA_HOME)"
  [ -x "$java_home/bin/java" ] || die "no java at $java_home/bin/java (set ES_JAVA_HOME)"
  fetch_zip
  unpack
  install_analysis_shim
  if [ "$IS_ROOT" = 1 ]; then chown -R "$SVC_USER:" "$ES_HOME"; fi
  echo "$n" >"$STATE/nodes"
  svc_mkdir "$STATE/node-1"
  echo "$n" >"$STATE/node-1/cluster-size"

  local pids=() launched=() pid
  for ((i = 1; i <= n; i++)); do
    pid="$(node_pid "$i")"
    if [ -n "$pid" ]; then
      log "node $i (process group $pid) is running but not answering yet; waiting for it"
    else
      rm -f "$STATE/node-$i/$NAME.pid"
      write_node_config "$i" "$n"
      launch_node "$i" "$java_home"
      pid="$LAUNCHED"
      launched+=("$pid")
    fi
    pids+=("$pid")
  done

  local started=$SECONDS timeout=$((START_TIMEOUT + 45 * (n - 1)))
  until cluster_answers "$n"; do
    for ((i = 1; i <= n; i++)); do
      if ! group_alive "${pids[i - 1]}"; then
        print_log_tail "$STATE/node-$i/logs/console.log"
        log "node $i exited during start; stopping the nodes this start began"
        stop_groups "${launched[@]}"
        rm -f "$STATE/node-$i/$NAME.pid"
        die "Elasticsearch node $i exited during start"
      fi
    done
    if [ $((SECONDS - started)) -ge "$timeout" ]; then
      for ((i = 1; i <= n; i++)); do print_log_tail "$STATE/node-$i/logs/console.log"; done
      log "the cluster did not answer within ${timeout}s; stopping the nodes this start began"
      stop_groups "${launched[@]}"
      exit 1
    fi
    sleep 1
  done
  log "a cluster of $n nodes, up after $((SECONDS - started))s"
  report_version "$(node_url 1)"
  echo "$urls"
}

cmd_stop_cluster() {  # cmd_stop_cluster N [I]: every node, or node I only
  local n="$1" only="${2:-}" i state pid pids=()
  if [ -d "$SERVICES" ]; then take_lock; fi
  state="$(existing_state)"
  for ((i = 1; i <= n; i++)); do
    if [ -n "$only" ] && [ "$i" != "$only" ]; then continue; fi
    pid="$(node_pid "$i")"
    if [ -n "$pid" ]; then
      log "stopping node $i (process group $pid)"
      pids+=("$pid")
    fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then stop_groups "${pids[@]}"; fi
  for ((i = 1; i <= n; i++)); do
    if [ -n "$only" ] && [ "$i" != "$only" ]; then continue; fi
    rm -f "$state/node-$i/$NAME.pid"
  done
  if [ "${#pids[@]}" -gt 0 ]; then log "stopped"; else log "not running"; fi
}

cmd_status_cluster() {  # cmd_status_cluster N
  local n="$1" i up=() down=0
  for ((i = 1; i <= n; i++)); do
    if node_answers "$(node_url "$i")"; then up+=("$(node_url "$i")"); else down=$((down + 1)); fi
  done
  if [ "$down" = 0 ]; then
    echo "running $(cluster_urls "$n")"
  elif [ "${#up[@]}" = 0 ]; then
    echo "stopped"
    exit 3
  else
    echo "degraded $(IFS=,; echo "${up[*]}")"
    exit 4
  fi
}

cmd_signal() {  # cmd_signal SIGNAL [I]: to node I's process group, or to every node's
  local sig="${1:-}" only="${2:-}" n i pid sent=0
  sig="${sig#SIG}"
  [[ "$sig" =~ ^([A-Z][A-Z0-9]*|[0-9]+)$ ]] || die "usage: signal SIGNAL [--node I], e.g. signal KILL"
  n="$(recorded_nodes)"
  if [ "$n" = 1 ]; then
    [ -z "$only" ] || [ "$only" = 1 ] || die "this instance is a single node: it has no node $only"
    pid="$(running_pid)"
    if [ -z "$pid" ]; then log "not running"; exit 3; fi
    kill -s "$sig" -- "-$pid" || die "could not send SIG$sig to process group $pid"
    log "sent SIG$sig to Elasticsearch (process group $pid)"
    return 0
  fi
  for ((i = 1; i <= n; i++)); do
    if [ -n "$only" ] && [ "$i" != "$only" ]; then continue; fi
    pid="$(node_pid "$i")"
    if [ -z "$pid" ]; then log "node $i is not running"; continue; fi
    kill -s "$sig" -- "-$pid" || die "could not send SIG$sig to process group $pid"
    log "sent SIG$sig to node $i (process group $pid)"
    sent=$((sent + 1))
  done
  [ "$sent" -gt 0 ] || exit 3
}

# --- the command line --------------------------------------------------------------
# start, stop and status with no options behave as they always did.

COMMAND="${1:-}"
[ $# -eq 0 ] || shift
NODES=""
NODE=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || die "--nodes needs a number"; NODES="$2"; shift 2 ;;
    --nodes=*) NODES="${1#--nodes=}"; shift ;;
    --node) [ $# -ge 2 ] || die "--node needs a number"; NODE="$2"; shift 2 ;;
    --node=*) NODE="${1#--node=}"; shift ;;
    --*) die "unknown option $1" ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[ -z "$NODES" ] || [[ "$NODES" =~ ^[1-9]$ ]] || die "--nodes must be a number from 1 to 9, not '$NODES'"
[ -z "$NODE" ] || [[ "$NODE" =~ ^[1-9]$ ]] || die "--node must be a number from 1 to 9, not '$NODE'"

case "$COMMAND" in
  start)
    [ -z "$NODE" ] || die "start takes --nodes N, not --node (it starts the nodes that are not running)"
    if [ "${NODES:-1}" -gt 1 ]; then
      cmd_start_cluster "$NODES"
    else
      RECORDED="$(recorded_nodes)"
      if [ "$RECORDED" -gt 1 ]; then
        [ -z "$(cluster_pids "$RECORDED")" ] || die "this instance runs as a cluster of" \
          "$RECORDED nodes: start it with --nodes $RECORDED, or stop it first"
        rm -f "$(existing_state)/nodes"  # a single node from now on
      fi
      main start
    fi
    ;;
  stop|status)
    [ -z "$NODES" ] || die "$COMMAND takes no --nodes: the instance knows how many it has"
    RECORDED="$(recorded_nodes)"
    if [ "$RECORDED" -gt 1 ] && [ "$COMMAND" = stop ]; then
      cmd_stop_cluster "$RECORDED" "$NODE"
    elif [ "$RECORDED" -gt 1 ]; then
      cmd_status_cluster "$RECORDED"
    else
      [ -z "$NODE" ] || [ "$NODE" = 1 ] || die "this instance is a single node: it has no node $NODE"
      main "$COMMAND"
    fi
    ;;
  signal)
    cmd_signal "${ARGS[0]:-}" "$NODE"
    ;;
  *)
    main "$COMMAND"   # the usage message (start|stop|status), exit 2
    ;;
esac
