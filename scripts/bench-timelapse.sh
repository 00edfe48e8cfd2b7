#!/usr/bin/env bash
# Painting while a timelapse renders: the ack latency of painters on a server whose data directory
# holds one hour of 1,000,000 placements, first with no job, then with timelapse jobs of that hour
# rendering back to back for the whole run. See docs/benchmarks.md#timelapse.
#
#   scripts/bench-timelapse.sh [--no-build] [-- generator options, e.g. --duration 60s]
#
# BENCH_TIMELAPSE_DATA=DIR BENCH_TIMELAPSE_START_MS=MS reuse the data directory of an earlier run
# (its hour starts at MS, printed by that run) instead of filling a new one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; shift; fi
if [[ "${1:-}" == "--" ]]; then shift; fi
if (( build )); then ./mvnw -B -q -Pbench -DskipTests -DskipWebTests package; fi

OUT="target/bench/timelapse-$(date -u +%Y%m%dT%H%M%SZ)"
DATA="${BENCH_TIMELAPSE_DATA:-$OUT/data}"
mkdir -p "$OUT"
TOKEN="bench-timelapse-admin-token"
start_ms=${BENCH_TIMELAPSE_START_MS:-$(( ($(date +%s) - 3 * 3600) * 1000 ))}
from=$(date -u -d "@$(( start_ms / 1000 ))" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "@$(( start_ms / 1000 + 3600 ))" +%Y-%m-%dT%H:%M:%SZ)
if [[ -z "${BENCH_TIMELAPSE_DATA:-}" ]]; then
  echo "filling $DATA with 1,000,000 placements from $from to $to (BENCH_TIMELAPSE_START_MS=$start_ms)" >&2
  java -cp bench/target/pixels-bench.jar dev.pixels.timelapse.TimelapseBench "$DATA" 1000000 "$start_ms"
fi

server_pid=""
jobs_pid=""
cleanup() {
  [[ -n "$jobs_pid" ]] && kill "$jobs_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Queues the hour as a GIF, waits for it, and again, until killed; logs each job's end.
render_forever() {
  local url=$1
  while true; do
    id=$(curl -s -X POST "$url/admin/timelapse" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"from\":\"$from\",\"to\":\"$to\",\"everyMillis\":10000}" | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
    [[ -z "$id" ]] && { sleep 1; continue; }
    while true; do
      status=$(curl -s "$url/timelapse/$id")
      case "$status" in *'"done"'*|*'"failed"'*) echo "$(date -u +%T) $status" >> "$OUT/jobs.log"; break ;; esac
      sleep 0.5
    done
  done
}

run() {
  local label=$1 with_jobs=$2
  shift 2
  rm -f "$OUT/port"
  env PORT=0 HOST=127.0.0.1 PORT_FILE="$OUT/port" DATA_DIR="$DATA" STORAGE=embedded ADMIN_TOKEN="$TOKEN" \
    RATE_LIMIT_PER_SECOND=0 RATE_LIMIT_BURST=0 RATE_LIMIT_PER_MINUTE=0 RATE_LIMIT_IP_PER_SECOND=0 \
    RATE_LIMIT_IP_BURST=0 MAX_CONNECTIONS_PER_IP=0 REST_LIMIT_CANVAS_PER_MINUTE=0 REST_LIMIT_AUDIT_PER_MINUTE=0 \
    WS_MAX_MESSAGES_PER_SECOND=0 java -jar target/pixels.jar > "$OUT/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do [[ -s "$OUT/port" ]] && break; sleep 0.1; done
  local url="http://127.0.0.1:$(cat "$OUT/port")"
  if (( with_jobs )); then render_forever "$url" & jobs_pid=$!; sleep 2; fi
  java -jar bench/target/pixels-bench.jar --url "$url" --profile busy --watchers 50 --painters 100 --rate 10 \
    --duration 30s --warmup 5s --server-pid "$server_pid" --label "$label" --out "$OUT" "$@" | tee "$OUT/report-$label.txt"
  if (( with_jobs )); then kill "$jobs_pid"; wait "$jobs_pid" 2>/dev/null || true; jobs_pid=""; fi
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

run no-job 0 "$@"
run rendering 1 "$@"
echo "jobs finished during the rendering run:" >&2
cat "$OUT/jobs.log" >&2 || true
echo "results in $OUT" >&2
