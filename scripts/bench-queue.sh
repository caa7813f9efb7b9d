#!/usr/bin/env bash
# Queue-path benchmark: round-trip throughput and p50/p99 through Caravan's jar, measured with wrk at
# concurrency 1 and 16, for the zero-dot work-queue task (pure queue overhead) and for the Python A+B job,
# against RabbitMQ's own request-reply speed measured in the same run, and an HTTP route that never touches
# the broker (to tell the HTTP/Camel cost from the queue's). Loopback only; bounded in time.
# With "noop", Caravan runs the no-op engine (caravan.engine=noop, caravan.environment=development): /execute is
# then the queue path of a job alone (confirms, quorum queue, deadline header, worker route, reply), compared with
# raw RPC over a quorum queue, as the zero-dot task is with raw RPC over a classic queue (its own queue's type).
# Usage: scripts/bench-queue.sh [seconds per measurement, default 10] [noop]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
engine=${2:-sandbox}
[[ $engine == noop || $engine == sandbox ]] || { echo "usage: $0 [seconds] [noop]"; exit 2; }
port=18080
prefix="caravan-bench-$$"
routes=$(mktemp -d)
log=$(mktemp)

[ -f target/caravan.jar ] && [ -d target/test-classes/dev/caravan/bench ] || mvn -q -B package -DskipTests
cp config/examples/tasks-sleep.camel.yaml scripts/bench/http-only.camel.yaml "$routes/"

CARAVAN_ENGINE=$engine CARAVAN_ENVIRONMENT=$([[ $engine == noop ]] && echo development || echo production) \
CARAVAN_HTTP_PORT=$port CARAVAN_ROUTES_DIR="$routes" \
CARAVAN_QUEUE_EXCHANGE="$prefix" CARAVAN_QUEUE_EXECUTE="$prefix.execute" \
CARAVAN_QUEUE_DEAD_LETTER_EXCHANGE="$prefix.dead-letter" CARAVAN_QUEUE_DEAD_LETTER="$prefix.execute.dead-letter" \
  java -jar target/caravan.jar > "$log" 2>&1 &
app=$!
cleanup() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  java -cp target/caravan.jar:target/test-classes dev.caravan.load.DeleteTopology "$prefix" "$prefix.tasks.sleep" >/dev/null 2>&1 || true
  rm -rf "$routes" "$log"
}
trap cleanup EXIT

for _ in $(seq 60); do
  curl -sf -X POST "localhost:$port/work/sleep" -d '' >/dev/null 2>&1 && break
  sleep 1
done
curl -sf -X POST "localhost:$port/work/sleep" -d '' >/dev/null || { echo "Caravan did not start:"; cat "$log"; exit 1; }

baseline() { # clients queue-type
  java -cp target/caravan.jar:target/test-classes dev.caravan.bench.RabbitRpcBaseline "$1" "$seconds" "$2"
}

measure() { # path body-file content-type connections
  # Warm up the JIT and the connection pools first, then measure.
  BODY_FILE="$2" CONTENT_TYPE="$3" wrk -t1 -c"$4" -d5s -s scripts/bench/post.lua "http://127.0.0.1:$port$1" >/dev/null
  BODY_FILE="$2" CONTENT_TYPE="$3" wrk -t1 -c"$4" -d"${seconds}s" --timeout 30s -s scripts/bench/post.lua \
    "http://127.0.0.1:$port$1" | grep '^rps='
}

field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }

execute_label="python A+B (/execute)" execute_versus=classic
[[ $engine == noop ]] && execute_label="no-op job (/execute)" execute_versus=quorum
echo "Caravan queue benchmark: $(nproc) cores, ${seconds}s per measurement, worker concurrency $(nproc)," \
  "engine $engine, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %4s %10s %9s %9s %14s\n' "path" "conc" "req/s" "p50 ms" "p99 ms" "rps vs raw RPC"
for connections in 1 16; do
  declare -A raw=([classic]="$(baseline "$connections" classic)" [quorum]="$(baseline "$connections" quorum)")
  for type in classic quorum; do
    printf '%-32s %4s %10s %9s %9s %14s\n' "raw RabbitMQ RPC ($type queue)" "$connections" \
      "$(field rps "${raw[$type]}")" "$(field p50_ms "${raw[$type]}")" "$(field p99_ms "${raw[$type]}")" "1.00"
  done
  # The no-op /execute is compared with raw RPC over a quorum queue, the default caravan.queue.type; the rest with
  # raw RPC over a classic queue (the zero-dot task's own queue is classic).
  for job in "/bench/http-only|scripts/bench/zero-dot-task.txt|text/plain|HTTP only, no queue|classic" \
             "/work/sleep|scripts/bench/zero-dot-task.txt|text/plain|zero-dot task (queue overhead)|classic" \
             "/execute|scripts/bench/python-a-plus-b.json|application/json|$execute_label|$execute_versus"; do
    IFS='|' read -r path body type label versus <<<"$job"
    result=$(measure "$path" "$body" "$type" "$connections")
    ratio=$(awk -v a="$(field rps "$result")" -v b="$(field rps "${raw[$versus]}")" 'BEGIN { printf "%.2f", a / b }')
    printf '%-32s %4s %10s %9s %9s %14s   %s\n' "$label" "$connections" "$(field rps "$result")" \
      "$(field p50_ms "$result")" "$(field p99_ms "$result")" "$ratio ($versus)" "$(grep -o 'non200=[0-9]* errors=[0-9]*' <<<"$result")"
  done
done
