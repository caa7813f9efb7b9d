#!/usr/bin/env bash
# The training-queue scenarios (README "The training-queue scenarios"), each against a local deployment
# (scripts/local-deployment.sh, under supervisord) with its own queues: one worker with 4 declared GPU slots, the
# stand-in task of scripts/scenarios/stand-in-tasks.yaml, tasks sent 0.1 s apart:
#   1. plain
#   2. 20% of runs fail (max_attempts 3)
#   3. 5% of runs halt their worker (caravan.chaos.crash-rate), which supervisord restarts
# Each prints: sent, completed, retried, dead-lettered, lost (must be 0), tasks on two GPUs at once (must be 0), the
# most runs at once on one GPU (must be 1), GPU idle time while tasks waited.
# Tasks may wait in the queue 30 minutes (caravan.queue.message-ttl), as a training queue's do, not the judge's 3.
# Loopback only, bounded. Usage: [SCENARIOS="1 2 3"] scripts/task-scenarios.sh [tasks per scenario, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-1000}
[ -f target/caravan.jar ] && [ -f target/test-classes/dev/caravan/load/TaskScenario.class ] || mvn -q -B package -DskipTests

scenario() { # name, fail rate, then CARAVAN_* settings for the deployment
  local name=$1 fail_rate=$2; shift 2
  local prefix="caravan-tasks-$$-$RANDOM"
  local run_dir
  run_dir=$(mktemp -d)
  local -a settings=(CARAVAN_RUN_DIR="$run_dir" CARAVAN_API_PORT=18280 CARAVAN_WORKER_FIRST_PORT=18281
    CARAVAN_QUEUE_EXCHANGE="$prefix" CARAVAN_QUEUE_EXECUTE="$prefix.execute"
    CARAVAN_QUEUE_DEAD_LETTER_EXCHANGE="$prefix.dead-letter" CARAVAN_QUEUE_DEAD_LETTER="$prefix.execute.dead-letter"
    CARAVAN_HEARTBEAT_EXCHANGE="$prefix.heartbeats" CARAVAN_QUEUE_MESSAGE_TTL=30m
    CARAVAN_TASKS_FILE="$PWD/scripts/scenarios/stand-in-tasks.yaml" CARAVAN_WORKER_GPUS=0,1,2,3
    CARAVAN_WORKER_CPU_TASKS=0 CARAVAN_WORKER_JUDGE_JOBS=false CARAVAN_WORKER_CONCURRENCY=1 "$@")
  env "${settings[@]}" scripts/local-deployment.sh start 1 >/dev/null
  local result
  result=$(java -cp target/caravan.jar:target/test-classes dev.caravan.load.TaskScenario http://127.0.0.1:18280 \
    "$tasks" "$fail_rate" "$run_dir"/logs/*worker* || true)
  env "${settings[@]}" scripts/local-deployment.sh stop >/dev/null
  java -cp target/caravan.jar:target/test-classes dev.caravan.load.DeleteTopology "$prefix" >/dev/null 2>&1 || true
  rm -rf "$run_dir"
  printf '%-28s %s\n' "$name" "$result"
}

for which in ${SCENARIOS:-1 2 3}; do
  case $which in
    1) scenario "1. plain" 0 ;;
    2) scenario "2. 20% of runs fail" 0.2 ;;
    3) scenario "3. 5% kill their worker" 0 CARAVAN_CHAOS_CRASH_RATE=0.05 ;;
  esac
done
