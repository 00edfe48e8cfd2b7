#!/usr/bin/env bash
# Load benchmark of a Pixels cluster on this machine: builds the server and the load generator,
# then for each run starts a fresh cluster (one redis-server, one dynalite, N instances of
# target/pixels.jar with STORAGE=dynamodb and every limit off, all on free 127.0.0.1 ports; the
# fault campaign's launcher, dev.pixels.chaos.ClusterMain), runs one generator whose watchers and
# painters are spread evenly over the instances, stops the cluster, and prints a table of medians.
#
#   scripts/bench-cluster.sh                          # prd on 2 instances, 3 runs
#   scripts/bench-cluster.sh --runs 1 --instances 3 --profile busy -- --duration 20s
#
# Options (or env): --instances N (BENCH_INSTANCES, default 2), --profile P (BENCH_PROFILE, default
#   prd), --runs N (BENCH_RUNS, default 3), --no-build (BENCH_NO_BUILD=1), --out DIR (BENCH_OUT);
#   SERVER_JAVA_OPTS go to every instance, BENCH_JAVA_OPTS to the generator; arguments after "--"
#   go to every generator run. Results: target/bench-cluster/<time>/ (one JSON per run, each run's
#   process logs under cluster-<run>/, summary.md with the medians and each instance's CPU).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

INSTANCES=${BENCH_INSTANCES:-2}
PROFILE=${BENCH_PROFILE:-prd}
RUNS=${BENCH_RUNS:-3}
NO_BUILD=${BENCH_NO_BUILD:-0}
OUT=${BENCH_OUT:-}
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) NO_BUILD=1 ;;
    --instances) INSTANCES=$2; shift ;;
    --profile) PROFILE=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench-cluster.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$PROFILE" in prd|busy|crowd) ;; *) echo "bench-cluster.sh: --profile must be prd, busy or crowd" >&2; exit 2 ;; esac

command -v redis-server >/dev/null || { echo "bench-cluster.sh: redis-server is required (Debian package redis-server)" >&2; exit 2; }
bash scripts/ensure-node-modules.sh
# shellcheck source=/dev/null
. scripts/java-home.sh
JAVA="$JAVA_HOME/bin/java"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$NO_BUILD" != 1 ]; then
  echo "building server and load generator (JAVA_HOME=$JAVA_HOME)..." >&2
  ./mvnw -q -B -Pbench -DskipTests package
fi
SERVER_JAR=$ROOT/target/pixels.jar
BENCH_JAR=$ROOT/bench/target/pixels-bench.jar
for j in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$j" ] || { echo "bench-cluster.sh: $j is missing (build failed?)" >&2; exit 1; }
done

OUT=${OUT:-$ROOT/target/bench-cluster/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
read -r -a BENCH_OPTS <<< "${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC -XX:ParallelGCThreads=1}"

# The launcher stops its processes in a shutdown hook on SIGTERM; whatever is still alive after it
# (it was killed, or hung) is killed by the pids it wrote, never by name.
LAUNCHER_PID=
CLUSTER_PIDS=
stop_cluster() {
  if [ -n "$LAUNCHER_PID" ] && kill -0 "$LAUNCHER_PID" 2>/dev/null; then
    kill -TERM "$LAUNCHER_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$LAUNCHER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$LAUNCHER_PID" 2>/dev/null || true
    wait "$LAUNCHER_PID" 2>/dev/null || true
  fi
  for p in ${CLUSTER_PIDS//,/ }; do
    kill -0 "$p" 2>/dev/null && { kill -CONT "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; }
  done
  LAUNCHER_PID=
  CLUSTER_PIDS=
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

start_cluster() { # dir
  local dir=$1
  mkdir -p "$dir"
  "$JAVA" -cp "$BENCH_JAR" dev.pixels.chaos.ClusterMain --root "$ROOT" --jar "$SERVER_JAR" --out "$dir" \
    --instances "$INSTANCES" --jvm-opts "${SERVER_JAVA_OPTS:-}" >"$dir/launcher.log" 2>&1 &
  LAUNCHER_PID=$!
  for _ in $(seq 1 1800); do
    if [ -f "$dir/cluster.env" ]; then
      # shellcheck source=/dev/null
      . "$dir/cluster.env"
      CLUSTER_PIDS="$PIDS,$SIDE_PIDS"
      return 0
    fi
    kill -0 "$LAUNCHER_PID" 2>/dev/null || { echo "bench-cluster.sh: the cluster did not start; log:" >&2; tail -20 "$dir/launcher.log" >&2; return 1; }
    sleep 0.1
  done
  echo "bench-cluster.sh: the cluster was not ready within 180 s (see $dir)" >&2
  return 1
}

# As scripts/bench.sh: wait (up to BENCH_QUIET_WAIT s) until the machine is under 15 % busy.
wait_quiet() {
  local deadline=$(( $(date +%s) + ${BENCH_QUIET_WAIT:-120} )) a b busy
  while :; do
    a=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    sleep 2
    b=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    busy=$(echo "$a $b" | awk '{ if ($4 > $2) printf "%d", 100 * ($3 - $1) / ($4 - $2); else print 0 }')
    if [ "$busy" -le "${BENCH_QUIET_PCT:-15}" ]; then return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "bench-cluster.sh: machine still ${busy}% busy; measuring anyway (see other_cores)" >&2; return 0
    fi
    echo "bench-cluster.sh: machine ${busy}% busy, waiting for it to settle..." >&2
  done
}

LABEL="cluster-$INSTANCES"
echo "results in $OUT" >&2
for run in $(seq 1 "$RUNS"); do
  echo "=== $PROFILE on $INSTANCES instances, run $run/$RUNS" >&2
  wait_quiet
  start_cluster "$OUT/cluster-$run"
  echo "instances: $URLS (pids $PIDS); redis, dynalite: pids $SIDE_PIDS; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  if ! "$JAVA" "${BENCH_OPTS[@]}" -jar "$BENCH_JAR" --url "$URLS" --profile "$PROFILE" \
      --server-pid "$PIDS" --side-pids "$SIDE_PIDS" --label "$LABEL" --out "$OUT" "${EXTRA[@]}" \
      > "$OUT/run-$PROFILE-$run.txt"; then
    echo "bench-cluster.sh: generator failed for run $run (see $OUT)" >&2
  fi
  grep -E '^Targets' "$OUT/run-$PROFILE-$run.txt" >&2 || true
  # Where the time goes: each instance's own timers at the end of the run.
  i=0
  for u in ${URLS//,/ }; do
    curl -fsS --max-time 5 "$u/metrics" > "$OUT/cluster-$run/metrics-$i.txt" 2>/dev/null || true
    i=$((i + 1))
  done
  stop_cluster
done

{
  echo "# Pixels load benchmark on a $INSTANCES-instance cluster, $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $("$JAVA" -version 2>&1 | head -1)."
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown). Instances, redis-server, dynalite (STORAGE=dynamodb) and the generator share the machine (loopback)."
  echo "Load average at the end of each run: $(grep -ho '"loadavg_at_end" : "[^"]*"' "$OUT"/*.json | cut -d'"' -f4 | cut -d' ' -f1-3 | paste -sd';' -)."
  echo "Runs per row: see 'runs'; figures are medians. srv cores, srv RSS = sums over the instances."
  echo
  "$JAVA" -jar "$BENCH_JAR" summarize "$OUT"
} | tee "$OUT/summary.md"
