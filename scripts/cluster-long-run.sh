#!/usr/bin/env bash
# The long run (not part of mvn verify): JOBS jobs (default 10,000) through a 3-node RabbitMQ cluster of its own
# (scripts/rabbitmq-cluster.sh) and a local deployment under supervisord (scripts/local-deployment.sh: an API node
# and 3 workers) while 20% of job attempts fail, a worker is killed with SIGKILL every 5 s (supervisord restarts it)
# and one broker node is stopped and started again; then it prints the arithmetic of how every job ended. Workers
# run the no-op engine with a 20 ms slowdown: this run is about the queue, not the sandbox. Needs root (the nodes
# run as the calling user), supervisor and RabbitMQ's package; stops and removes everything it started.
#
#   scripts/cluster-long-run.sh [jobs] [callers]        defaults 10000 and 32
#
# The cluster's names, ports and folder follow the CARAVAN_CLUSTER_* variables of rabbitmq-cluster.sh; the
# deployment's ports CARAVAN_API_PORT (18280) and CARAVAN_WORKER_FIRST_PORT (18281).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-10000}
callers=${2:-32}
workers=3
[ -f target/caravan.jar ] && [ -d target/test-classes/dev/caravan/load ] || mvn -q -B package -DskipTests

run_dir=$(mktemp -d /tmp/caravan-long-run.XXXXXX)
export CARAVAN_CLUSTER_DIR=${CARAVAN_CLUSTER_DIR:-$run_dir/cluster}
export CARAVAN_RUN_DIR=$run_dir/deployment
export CARAVAN_API_PORT=${CARAVAN_API_PORT:-18280} CARAVAN_WORKER_FIRST_PORT=${CARAVAN_WORKER_FIRST_PORT:-18281}
background=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  scripts/local-deployment.sh stop >/dev/null 2>&1 || true
  scripts/rabbitmq-cluster.sh stop >/dev/null 2>&1 || true
  rm -rf "$run_dir"
}
trap cleanup EXIT

started=$SECONDS
scripts/rabbitmq-cluster.sh start 3 >/dev/null
export CARAVAN_BROKER_ADDRESSES=$(scripts/rabbitmq-cluster.sh addresses)
export CARAVAN_BROKER_HEARTBEAT=5s CARAVAN_EXECUTE_WAIT_TIMEOUT=60s
export CARAVAN_ENGINE=noop CARAVAN_ENVIRONMENT=development CARAVAN_CHAOS_FAILURE_RATE=0.2 CARAVAN_CHAOS_SLOWDOWN=20ms
export CARAVAN_WORKER_CONCURRENCY=2 CARAVAN_WORKER_RETRY_DELAY=20ms
scripts/local-deployment.sh start "$workers" >/dev/null
echo "cluster and deployment up in $((SECONDS - started)) s; $jobs jobs from $callers callers"

supervisor() { supervisorctl -c config/supervisord/local-supervisord.conf "$@"; }
# Every 5 s, SIGKILL of the next worker in turn, if supervisord has it running (past its start window, so a restart
# loop never makes supervisord give up on it).
(
  turn=0
  while sleep 5; do
    port=$((CARAVAN_WORKER_FIRST_PORT + turn % workers))
    turn=$((turn + 1))
    pid=$(supervisor status "caravan:caravan-worker-$port" 2>/dev/null | awk '/RUNNING/ { sub(",", "", $4); print $4 }' || true)
    if [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; then echo "$port" >> "$run_dir/kills"; fi
  done
) &
background+=($!)
# One broker node, 20 s in: stopped, then started again; it rejoins the cluster.
(
  sleep 20
  scripts/rabbitmq-cluster.sh stop-node 2 && echo "$SECONDS" > "$run_dir/node-stopped"
  scripts/rabbitmq-cluster.sh start-node 2 && echo "$SECONDS" > "$run_dir/node-started"
) > "$run_dir/node-restart.log" 2>&1 &
background+=($!)

load_started=$SECONDS
tally=$(java -cp target/caravan.jar:target/test-classes dev.caravan.load.JobLoad "http://127.0.0.1:$CARAVAN_API_PORT" \
  "$jobs" "$callers" "$run_dir/answers" || true)
load_seconds=$((SECONDS - load_started))
for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
background=()
# Jobs whose caller got a 504 are either run or expire into the dead letters within the wait (60 s).
queue_length() { scripts/rabbitmq-cluster.sh ctl 1 list_queues name messages | awk -v q="$1" '$1 == q { print $2 }'; }
for _ in $(seq 1 90); do
  [ "$(queue_length caravan.execute 2>/dev/null || true)" = 0 ] && break
  sleep 1
done
parked=$(queue_length caravan.execute.dead-letter || true)
logs=("$CARAVAN_RUN_DIR"/logs/worker-*.log*)
executed=$(cat "${logs[@]}" | grep -o 'job=[^ ]* language=' | sort || true)
duplicates=$(uniq -d -c <<<"$executed" | awk '{ n += $1 - 1 } END { print n + 0 }')
losses=$(cat "${logs[@]}" | grep -c 'Consumer canceled - channel closed SimpleConsumer \[queue=caravan.execute,' || true)
kills=$(wc -l < "$run_dir/kills" 2>/dev/null || echo 0)
dead_lettered=$(grep -c '^500 ' "$run_dir/answers" || true)
not_run_504=0
while read -r status id; do
  [ "$status" = 504 ] || continue
  grep -q "job=$id language=" <<<"$executed" || not_run_504=$((not_run_504 + 1))
done < "$run_dir/answers"
# A 504 job that never ran must be one of the dead letters beyond the 500 answers (expired unrun). A job runs twice
# only when the worker (or the consumer connection) that held it died: each killed worker held at most its
# concurrency's jobs, each lost consumer connection one (prefetch 1), hence duplicates_bound.
lost_after_504=$((not_run_504 - (${parked:-0} - dead_lettered)))
[ "$lost_after_504" -lt 0 ] && lost_after_504=0
echo "$tally"
echo "dead_letter_queue=${parked:-?} timed_out_not_run=$not_run_504 lost_after_504=$lost_after_504 duplicates_executed=$duplicates" \
  "consumer_connection_losses=$losses workers_killed=$kills" \
  "duplicates_bound=$((kills * CARAVAN_WORKER_CONCURRENCY + losses)) broker_node_restarted=$([ -f "$run_dir/node-started" ] && echo yes || echo no)" \
  "load_seconds=$load_seconds"
