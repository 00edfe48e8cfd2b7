#!/usr/bin/env bash
# Load benchmark of Pixels: builds the server and the load generator, then for each
# storage and profile starts a fresh server with limits raised, runs the generator against it,
# stops the server, and prints one table of medians. Everything stays on 127.0.0.1.
#
#   scripts/bench.sh                 # all profiles, STORAGE=embedded and memory, 3 runs each
#   scripts/bench.sh --quick         # one run, shorter durations, embedded only
#   scripts/bench.sh --profiles "prd busy" --storages memory --runs 1 -- --duration 20s
#
# Options (or env): --profiles (BENCH_PROFILES, default "prd busy crowd crowd-prd canvas"),
#   --storages (BENCH_STORAGES, default "embedded memory"), --runs (BENCH_RUNS, default 3),
#   --quick (BENCH_QUICK=1), --no-build (BENCH_NO_BUILD=1), --out DIR (BENCH_OUT);
#   BENCH_SERVER_JAR runs another server jar (e.g. a copy of an earlier build, for before/after);
#   SERVER_JAVA_OPTS and BENCH_JAVA_OPTS are passed to the two JVMs; arguments after "--" go to
#   every generator run. Results: target/bench/<time>/ (one JSON per run, server logs, summary.md).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

PROFILES=${BENCH_PROFILES:-"prd busy crowd crowd-prd canvas"}
STORAGES=${BENCH_STORAGES:-"embedded memory"}
RUNS=${BENCH_RUNS:-3}
QUICK=${BENCH_QUICK:-0}
NO_BUILD=${BENCH_NO_BUILD:-0}
OUT=${BENCH_OUT:-}
EXTRA=()
storages_set=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) NO_BUILD=1 ;;
    --profiles) PROFILES=$2; shift ;;
    --storages) STORAGES=$2; storages_set=1; shift ;;
    --runs) RUNS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  [ -n "${BENCH_RUNS:-}" ] || RUNS=1
  [ "$storages_set" = 1 ] || [ -n "${BENCH_STORAGES:-}" ] || STORAGES=embedded
fi

# --- a JDK >= 21 -------------------------------------------------------------------------------
# The project's finder (scripts/java-home.sh) when present; otherwise the newest JDK >= 21 under /usr/lib/jvm.
if [ -f scripts/java-home.sh ]; then
  # shellcheck source=/dev/null
  . scripts/java-home.sh || true
fi
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ]; then
  JAVA_HOME=
  for d in /usr/lib/jvm/*; do
    if [ -x "$d/bin/java" ] && [ "$(java_major "$d")" -ge 21 ]; then JAVA_HOME=$d; fi
  done
  if [ -z "$JAVA_HOME" ]; then echo "bench.sh: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; fi
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

# --- file descriptors: 10,000 watchers need 10,000 sockets on each side ---------------------------
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "bench.sh: warning: ulimit -n is $(ulimit -n); the crowd profile needs about 10,100" >&2
fi

# --- build -------------------------------------------------------------------------------------
if [ "$NO_BUILD" != 1 ]; then
  echo "building server and load generator (JAVA_HOME=$JAVA_HOME)..." >&2
  ./mvnw -q -B -Pbench -DskipTests package
fi
SERVER_JAR=${BENCH_SERVER_JAR:-$ROOT/target/pixels.jar}
BENCH_JAR=$ROOT/bench/target/pixels-bench.jar
for j in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$j" ] || { echo "bench.sh: $j is missing (build failed?)" >&2; exit 1; }
done

OUT=${OUT:-$ROOT/target/bench/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
# JVM of the generator: a fixed heap (10k sockets fit in ~1 GB) and a cheap collector.
read -r -a BENCH_OPTS <<< "${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC -XX:ParallelGCThreads=1}"
read -r -a SERVER_OPTS <<< "${SERVER_JAVA_OPTS:-}"

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
cleanup() { stop_server; if [ -n "${DATA:-}" ]; then rm -rf "$DATA"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() { # storage logfile
  DATA=$(mktemp -d /tmp/pixels-bench-data.XXXXXX)
  local portfile=$DATA/port
  env PORT=0 HOST=127.0.0.1 PORT_FILE="$portfile" DATA_DIR="$DATA" STORAGE="$1" \
    RATE_LIMIT_PER_SECOND=0 RATE_LIMIT_BURST=0 RATE_LIMIT_PER_MINUTE=0 RATE_LIMIT_IP_PER_SECOND=0 \
    RATE_LIMIT_IP_BURST=0 MAX_CONNECTIONS_PER_IP=0 REST_LIMIT_CANVAS_PER_MINUTE=0 REST_LIMIT_AUDIT_PER_MINUTE=0 \
    REST_LIMIT_PIXEL_INFO=0 WS_MAX_MESSAGES_PER_SECOND=0 \
    "$JAVA" "${SERVER_OPTS[@]}" -jar "$SERVER_JAR" >"$2" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if [ -s "$portfile" ]; then PORT=$(tr -dc 0-9 < "$portfile"); [ -n "$PORT" ] && return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench.sh: server exited; log:" >&2; tail -20 "$2" >&2; return 1; }
    sleep 0.1
  done
  echo "bench.sh: server wrote no port to $portfile within 30 s" >&2
  return 1
}

quick_args() { # profile
  if [ "$QUICK" != 1 ]; then return; fi
  case "$1" in
    prd) echo "--duration 15s --warmup 3s" ;;
    busy) echo "--duration 10s --warmup 3s" ;;
    crowd|crowd-prd) echo "--duration 10s --warmup 3s" ;;
    canvas) echo "--duration 3s --warmup 1s" ;;
  esac
}

# Wait (up to BENCH_QUIET_WAIT s, default 120) until the machine is nearly idle: other work on these
# 2 cores (a build, a test suite) would be measured as server slowness. Reported per run as other_cores.
wait_quiet() {
  local deadline=$(( $(date +%s) + ${BENCH_QUIET_WAIT:-120} )) a b busy
  while :; do
    a=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    sleep 2
    b=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    busy=$(echo "$a $b" | awk '{ if ($4 > $2) printf "%d", 100 * ($3 - $1) / ($4 - $2); else print 0 }')
    if [ "$busy" -le "${BENCH_QUIET_PCT:-15}" ]; then return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "bench.sh: machine still ${busy}% busy; measuring anyway (see other_cores)" >&2; return 0
    fi
    echo "bench.sh: machine ${busy}% busy, waiting for it to settle..." >&2
  done
}

echo "results in $OUT" >&2
for storage in $STORAGES; do
  for profile in $PROFILES; do
    for run in $(seq 1 "$RUNS"); do
      log="$OUT/server-$storage-$profile-$run.log"
      echo "=== $profile, STORAGE=$storage, run $run/$RUNS" >&2
      wait_quiet
      start_server "$storage" "$log"
      # shellcheck disable=SC2046
      if ! "$JAVA" "${BENCH_OPTS[@]}" -jar "$BENCH_JAR" --url "http://127.0.0.1:$PORT" --profile "$profile" \
          --server-pid "$SERVER_PID" --label "$storage" --out "$OUT" $(quick_args "$profile") "${EXTRA[@]}" \
          > "$OUT/run-$storage-$profile-$run.txt"; then
        echo "bench.sh: generator failed for $profile/$storage run $run (see $OUT)" >&2
      fi
      grep -E '^Targets' "$OUT/run-$storage-$profile-$run.txt" >&2 || true
      stop_server
      rm -rf "$DATA"; DATA=
    done
  done
done

{
  echo "# Pixels load benchmark, $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $("$JAVA" -version 2>&1 | head -1)."
  echo "Server and generator share the machine (loopback). Runs per row: see 'runs'; figures are medians."
  echo
  "$JAVA" -jar "$BENCH_JAR" summarize "$OUT"
} | tee "$OUT/summary.md"
