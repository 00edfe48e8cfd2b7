#!/usr/bin/env bash
# Fault campaign of Pixels (docs/reliability.md): builds the jar and the harness, starts three
# instances of target/pixels.jar on one dynalite and one redis-server (all on free 127.0.0.1
# ports), keeps a few hundred WebSocket clients painting and watching while a seeded nemesis kills,
# pauses and flushes processes, then checks what the clients were told against the store.
#
#   scripts/chaos.sh                              # short run: 2 minutes of faults, fixed seed
#   scripts/chaos.sh --duration 15m --seed random # long run; the seed is printed for replay
#   scripts/chaos.sh --seed 7341 --duration 15m   # replay a run
#   scripts/chaos.sh --mode single --duration 60s # one instance on SQLite: kill -9, disk full, damaged pixels.db
#
# Options: --mode cluster|single, --duration D (90s, 2m, 15m), --seed N|random, --clients N (default
#   240), --rate PX_PER_S (default 150), --kinds K1,K2 (only these faults), --no-netns (cluster on
#   127.0.0.1, no partitions), --tmpfs-size S (single: 64m), --out DIR, --no-build. As root the
#   cluster's instances run in network namespaces (iproute2 + iptables) for instance-partition.
#   Output: target/chaos/<time>/ (sent.csv, bulks.csv, events.csv, log.csv, checker.txt, process
#   logs; single.txt). Exit status 1 if checks 1-4 fail (single: or a damaged start is not refused).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

NO_BUILD=0
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) NO_BUILD=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

command -v redis-server >/dev/null || { echo "chaos.sh: redis-server is required (Debian package redis-server)" >&2; exit 2; }
bash scripts/ensure-node-modules.sh
. scripts/java-home.sh
if [ "$NO_BUILD" = 0 ]; then
  ./mvnw -o -q -B -Pbench -DskipTests package
fi

JAVA_PID=
cleanup() {
  if [ -n "$JAVA_PID" ] && kill -0 "$JAVA_PID" 2>/dev/null; then
    # The harness stops its cluster in a shutdown hook; anything still alive after that is killed by id.
    local children
    children=$(pgrep -P "$JAVA_PID" || true)
    kill -TERM "$JAVA_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$JAVA_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$JAVA_PID" 2>/dev/null || true
    for c in $children; do kill -CONT "$c" 2>/dev/null || true; kill -KILL "$c" 2>/dev/null || true; done
    # Namespaces of a harness that did not get to run its shutdown hook, named after its pid.
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^pxc$JAVA_PID-" || true); do
      ip netns del "$ns" 2>/dev/null || true
    done
    ip addr del "10.213.$((20 + JAVA_PID % 200)).254/32" dev lo 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java --enable-native-access=ALL-UNNAMED -cp bench/target/pixels-bench.jar dev.pixels.chaos.ChaosMain --root "$ROOT" --jar "$ROOT/target/pixels.jar" "${ARGS[@]}" &
JAVA_PID=$!
set +e
wait "$JAVA_PID"
STATUS=$?
set -e
JAVA_PID=
exit "$STATUS"
