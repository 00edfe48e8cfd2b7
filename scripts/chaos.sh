#!/usr/bin/env bash
# Fault campaign of Pixels (docs/reliability.md): builds the jar and the harness, starts three
# instances of target/pixels.jar on one dynalite and one redis-server (all on free 127.0.0.1
# ports), keeps a few hundred WebSocket clients painting and watching while a seeded nemesis kills,
# pauses and flushes processes, then checks what the clients were told against the store.
#
#   scripts/chaos.sh                              # short run: 2 minutes of faults, fixed seed
#   scripts/chaos.sh --duration 15m --seed random # long run; the seed is printed for replay
#   scripts/chaos.sh --seed 7341 --duration 15m   # replay a run
#
# Options: --duration D (90s, 2m, 15m), --seed N|random, --clients N (default 240),
#   --rate PX_PER_S (default 150), --out DIR, --no-build. Output: target/chaos/<time>/ (sent.csv,
#   bulks.csv, events.csv, log.csv, checker.txt, process logs). Exit status 1 if checks 1-4 fail.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

NO_BUILD=0
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) NO_BUILD=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
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
