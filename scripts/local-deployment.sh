#!/usr/bin/env bash
# A local deployment on this machine: one API node and N worker processes against the local RabbitMQ, kept
# running by a supervisord of their own with the same program definitions a server uses
# (config/supervisord/caravan.conf). Run `mvn package` first.
#
#   scripts/local-deployment.sh start [N]   start the API and N workers (default 2), wait until all are healthy
#   scripts/local-deployment.sh status      show the processes
#   scripts/local-deployment.sh stop        stop everything (workers drain their jobs) and wait until it is gone
#
# Settings come from the environment, then from config/supervisord/caravan.env, with local paths:
#   CARAVAN_RUN_DIR             supervisord's socket, pid file and logs (target/local-deployment)
#   CARAVAN_API_PORT            the API node's port (8080)
#   CARAVAN_WORKER_FIRST_PORT   worker i serves health and metrics on this port + i (8081)
#   CARAVAN_QUEUE_EXCHANGE, CARAVAN_QUEUE_EXECUTE, CARAVAN_QUEUE_DEAD_LETTER_EXCHANGE, CARAVAN_QUEUE_DEAD_LETTER
#   CARAVAN_JAR, CARAVAN_JAVA, CARAVAN_JAVA_OPTS, CARAVAN_START_TIMEOUT (seconds, 90)
# Any other CARAVAN_* variable (CARAVAN_BROKER_HOST, CARAVAN_WORKER_CONCURRENCY, ...) reaches every process.
# Two deployments can run side by side with different CARAVAN_RUN_DIR, ports and queue names.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUPERVISOR_CONF="$ROOT/config/supervisord/local-supervisord.conf"

export CARAVAN_RUN_DIR="${CARAVAN_RUN_DIR:-$ROOT/target/local-deployment}"
export CARAVAN_HOME="${CARAVAN_HOME:-$ROOT}"
export CARAVAN_JAR="${CARAVAN_JAR:-$ROOT/target/caravan.jar}"
export CARAVAN_JAVA="${CARAVAN_JAVA:-$(command -v java || echo java)}"
export CARAVAN_LOG_DIR="${CARAVAN_LOG_DIR:-$CARAVAN_RUN_DIR/logs}"
# The defaults of everything else; a variable the caller set, even to empty, wins.
while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z][A-Z0-9_]*$ ]] || continue
    [[ -n ${!key+set} ]] || export "$key=$value"
done < "$ROOT/config/supervisord/caravan.env"

START_TIMEOUT="${CARAVAN_START_TIMEOUT:-90}"
# supervisord stops a worker with TERM and waits stopwaitsecs (40) before KILL.
STOP_TIMEOUT=60
PID_FILE="$CARAVAN_RUN_DIR/supervisord.pid"

ctl() {
    supervisorctl -c "$SUPERVISOR_CONF" "$@"
}

supervisord_pid() {
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

worker_ports() {
    seq "$CARAVAN_WORKER_FIRST_PORT" $((CARAVAN_WORKER_FIRST_PORT + CARAVAN_WORKERS - 1))
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Plain bash instead of curl, so that the script needs nothing a clean Debian with Java and supervisor lacks.
healthy() {
    local answer
    answer="$(exec 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$1" \
        && printf 'GET /observe/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
        && timeout 2 cat <&3)" || return 1
    [[ $answer == "HTTP/1."?" 200 "* ]] && grep -q '"status" *: *"UP"' <<<"$answer"
}

fail() {
    echo "local-deployment: $*" >&2
    exit 1
}

start() {
    export CARAVAN_WORKERS="$1"
    [[ $CARAVAN_WORKERS =~ ^[1-9][0-9]*$ ]] || fail "the number of workers must be a whole number above 0, not '$CARAVAN_WORKERS'"
    [[ -f $CARAVAN_JAR ]] || fail "$CARAVAN_JAR is missing: run 'mvn -q package -DskipTests' first"
    command -v supervisord >/dev/null || fail "supervisord is missing (Debian: apt-get install supervisor)"
    if pid="$(supervisord_pid)"; then
        fail "already running (supervisord $pid, $CARAVAN_RUN_DIR); stop it first"
    fi
    local port
    for port in "$CARAVAN_API_PORT" $(worker_ports); do
        ! port_in_use "$port" || fail "port $port is in use; choose others with CARAVAN_API_PORT / CARAVAN_WORKER_FIRST_PORT"
    done

    mkdir -p "$CARAVAN_RUN_DIR/logs" "$CARAVAN_LOG_DIR"
    supervisord -c "$SUPERVISOR_CONF"

    local started=$SECONDS processes
    until all_up; do
        processes="$(ctl status || true)"
        if grep -q FATAL <<<"$processes" || ((SECONDS - started >= START_TIMEOUT)); then
            echo "$processes" >&2
            echo "local-deployment: not up after $((SECONDS - started)) s; the last log lines:" >&2
            tail -n 20 "$CARAVAN_LOG_DIR"/*.log >&2 || true
            stop >&2
            exit 1
        fi
        sleep 0.5
    done

    echo "Caravan is up ($CARAVAN_WORKERS workers, queue $CARAVAN_QUEUE_EXECUTE):"
    echo "  API      http://localhost:$CARAVAN_API_PORT/execute  /languages  /openapi.json  /observe/health"
    for port in $(worker_ports); do
        echo "  worker   http://localhost:$port/observe/health  (caravan:caravan-worker-$port)"
    done
    echo "  logs     $CARAVAN_LOG_DIR"
    echo "  control  supervisorctl -c $SUPERVISOR_CONF status  (with CARAVAN_RUN_DIR=$CARAVAN_RUN_DIR)"
}

all_up() {
    local running
    running="$(ctl status | grep -c RUNNING)" || true
    [[ $running -eq $((CARAVAN_WORKERS + 1)) ]] || return 1
    local port
    for port in "$CARAVAN_API_PORT" $(worker_ports); do
        healthy "$port" || return 1
    done
}

stop() {
    local pid
    if ! pid="$(supervisord_pid)"; then
        echo "not running ($CARAVAN_RUN_DIR)"
        return 0
    fi
    ctl shutdown >/dev/null
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "supervisord $pid still running after $STOP_TIMEOUT s"
        sleep 0.2
    done
    echo "stopped ($CARAVAN_RUN_DIR)"
}

status() {
    if ! supervisord_pid >/dev/null; then
        echo "not running ($CARAVAN_RUN_DIR)"
        return 3
    fi
    ctl status
}

case "${1:-}" in
    start) start "${2:-$CARAVAN_WORKERS}" ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
