#!/usr/bin/env bash
# The classic fault scenarios, each against a local deployment (scripts/local-deployment.sh, under
# supervisord) started for it with its own queues, printing the arithmetic of how every job ended:
#   1. 100 jobs, no faults: all answered
#   2. 100 jobs, 20% of attempts fail: all answered (after retries) or dead-lettered
#   3. 100 jobs, workers crash in 5% of jobs and supervisord restarts them: all answered
# Loopback only, bounded. Usage: scripts/chaos-scenarios.sh [jobs per scenario, default 100]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-100}
[ -f target/caravan.jar ] && [ -d target/test-classes/dev/caravan/load ] || mvn -q -B package -DskipTests

scenario() { # name, then CARAVAN_* settings for the deployment
  local name=$1; shift
  local prefix="caravan-chaos-$$-$RANDOM"
  local run_dir
  run_dir=$(mktemp -d)
  local -a settings=(CARAVAN_RUN_DIR="$run_dir" CARAVAN_API_PORT=18180 CARAVAN_WORKER_FIRST_PORT=18181
    CARAVAN_QUEUE_EXCHANGE="$prefix" CARAVAN_QUEUE_EXECUTE="$prefix.execute"
    CARAVAN_QUEUE_DEAD_LETTER_EXCHANGE="$prefix.dead-letter" CARAVAN_QUEUE_DEAD_LETTER="$prefix.execute.dead-letter"
    CARAVAN_EXECUTE_WAIT_TIMEOUT=90s CARAVAN_WORKER_CONCURRENCY=1 "$@")
  env "${settings[@]}" scripts/local-deployment.sh start 2 >/dev/null
  local tally
  tally=$(java -cp target/caravan.jar:target/test-classes dev.caravan.load.JobLoad http://127.0.0.1:18180 "$jobs" 2 || true)
  local parked crashes
  parked=$(rabbitmqctl -q list_queues name messages | awk -v q="$prefix.execute.dead-letter" '$1 == q { print $2 }')
  crashes=$(cat "$run_dir"/logs/*worker* 2>/dev/null | grep -c "Injected crash" || true)
  env "${settings[@]}" scripts/local-deployment.sh stop >/dev/null
  java -cp target/caravan.jar:target/test-classes dev.caravan.load.DeleteTopology "$prefix" >/dev/null 2>&1 || true
  rm -rf "$run_dir"
  printf '%-34s %s dead_letter_queue=%s worker_crashes=%s\n' "$name" "$tally" "${parked:-?}" "$crashes"
}

scenario "1. no faults"
scenario "2. 20% injected failures" CARAVAN_CHAOS_FAILURE_RATE=0.2
scenario "3. 5% crashes, supervisord" CARAVAN_CHAOS_CRASH_RATE=0.05
