#!/usr/bin/env bash
# A RabbitMQ cluster of N nodes on this one machine, from Debian's rabbitmq-server, for tests, benchmarks and a
# trial of Caravan against a cluster. It never touches the machine's own broker (rabbit@…, 5672): every node has
# its own name, ports, data folder and Erlang cookie, and runs as the calling user (root in the tests).
#
#   scripts/rabbitmq-cluster.sh start [N]      start N nodes (default 3) and join them into one cluster
#   scripts/rabbitmq-cluster.sh stop           stop every node and delete the cluster's folder
#   scripts/rabbitmq-cluster.sh status         the cluster's members and which are running
#   scripts/rabbitmq-cluster.sh addresses      the AMQP addresses, for caravan.broker.addresses
#   scripts/rabbitmq-cluster.sh kill I         SIGKILL node I (1-based), as a machine crash would
#   scripts/rabbitmq-cluster.sh stop-node I    stop node I gracefully
#   scripts/rabbitmq-cluster.sh start-node I   start node I again; it rejoins the cluster by itself
#   scripts/rabbitmq-cluster.sh ctl I ARGS...  rabbitmqctl ARGS against node I (list_queues, cluster_status, ...)
#   scripts/rabbitmq-cluster.sh leader QUEUE   the node (I) leading quorum queue QUEUE on vhost /
#   scripts/rabbitmq-cluster.sh await-quorum [I]  wait until stopping node I (default: any one) leaves every quorum
#                                              queue a majority: the check before each step of a rolling restart
#
# Settings (environment):
#   CARAVAN_CLUSTER_DIR        data, logs, cookie, config          default target/rabbitmq-cluster
#   CARAVAN_CLUSTER_NAME       node I is NAME-I@localhost          default caravan
#   CARAVAN_CLUSTER_AMQP_PORT  node I listens for AMQP on PORT+I-1 default 5681
#   CARAVAN_CLUSTER_MGMT_PORT  management UI on PORT+I-1           default 15681
#   CARAVAN_CLUSTER_DIST_PORT  Erlang distribution on PORT+I-1     default 25681
#   CARAVAN_CLUSTER_BIND       listener address                    default 127.0.0.1; 0.0.0.0 lets other
#                              network namespaces (or machines) in, and then guest may log in from anywhere
#   CARAVAN_CLUSTER_MANAGEMENT yes|no: the management plugin       default yes
set -euo pipefail

DIR=${CARAVAN_CLUSTER_DIR:-target/rabbitmq-cluster}
NAME=${CARAVAN_CLUSTER_NAME:-caravan}
AMQP_PORT=${CARAVAN_CLUSTER_AMQP_PORT:-5681}
MGMT_PORT=${CARAVAN_CLUSTER_MGMT_PORT:-15681}
DIST_PORT=${CARAVAN_CLUSTER_DIST_PORT:-25681}
BIND=${CARAVAN_CLUSTER_BIND:-127.0.0.1}
MANAGEMENT=${CARAVAN_CLUSTER_MANAGEMENT:-yes}
BIN=/usr/lib/rabbitmq/bin
# A node waits this long for rabbitmqctl to see it up; Debian's node starts in 8-10 s on 2 idle cores.
START_TIMEOUT=${CARAVAN_CLUSTER_START_TIMEOUT:-120}

[ -x "$BIN/rabbitmq-server" ] || { echo "rabbitmq-server is missing: scripts/install-prerequisites.sh broker" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
# The cookie lives in the cluster's folder, used as HOME by the nodes and by the CLI: the machine's own broker has
# another, so no command here can reach it.
export HOME=$DIR
# The machine's rabbitmq-env.conf names the main node; the nodes here read an empty one instead.
export RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf

node_name() { echo "$NAME-$1@localhost"; }
node_dir() { echo "$DIR/node$1"; }
count() { ls -d "$DIR"/node* 2>/dev/null | wc -l; }
ctl() { local i=$1; shift; "$BIN/rabbitmqctl" -q -n "$(node_name "$i")" "$@"; }

node_env() {
  local i=$1 d
  d=$(node_dir "$i")
  export RABBITMQ_NODENAME=$(node_name "$i")
  export RABBITMQ_NODE_PORT=$((AMQP_PORT + i - 1))
  export RABBITMQ_DIST_PORT=$((DIST_PORT + i - 1))
  export RABBITMQ_MNESIA_BASE=$d/mnesia
  export RABBITMQ_LOG_BASE=$d/log
  export RABBITMQ_PID_FILE=$d/pid
  export RABBITMQ_CONFIG_FILE=$d/rabbitmq.conf
  export RABBITMQ_ADVANCED_CONFIG_FILE=$d/advanced.config
  export RABBITMQ_ENABLED_PLUGINS_FILE=$d/enabled_plugins
  export RABBITMQ_PLUGINS_EXPAND_DIR=$d/plugins-expand
  # Distribution on loopback only: the cluster is one machine's, whatever BIND says about AMQP.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

write_config() {
  local i=$1 d
  d=$(node_dir "$i")
  mkdir -p "$d/mnesia" "$d/log"
  {
    echo "listeners.tcp.1 = $BIND:$((AMQP_PORT + i - 1))"
    echo "cluster_name = $NAME"
    if [ "$MANAGEMENT" = yes ]; then
      echo "management.tcp.port = $((MGMT_PORT + i - 1))"
      echo "management.tcp.ip = $BIND"
    fi
    # guest may log in from other namespaces only when the listener faces them.
    case $BIND in 127.*|localhost) ;; *) echo "loopback_users = none" ;; esac
  } > "$d/rabbitmq.conf"
  if [ "$MANAGEMENT" = yes ]; then echo '[rabbitmq_management].' > "$d/enabled_plugins"; else echo '[].' > "$d/enabled_plugins"; fi
}

start_node() {
  local i=$1
  (node_env "$i"; "$BIN/rabbitmq-server" -detached >> "$(node_dir "$i")/log/startup.log" 2>&1)
}

await_node() {
  local i=$1
  local deadline=$((SECONDS + START_TIMEOUT))
  # await_startup fails at once while the Erlang node is not registered yet, so it is asked again.
  until ctl "$i" await_startup --timeout 10 >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "node $(node_name "$i") did not start within ${START_TIMEOUT}s; its log: $(node_dir "$i")/log" >&2
      exit 1
    fi
    sleep 1
  done
}

node_pid() { cat "$(node_dir "$1")/pid" 2>/dev/null || true; }

is_running() {
  local pid
  pid=$(node_pid "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

check_index() {
  [[ ${1:-} =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ -d "$(node_dir "$1")" ] \
    || { echo "no node '${1:-}': use 1..$(count)" >&2; exit 2; }
}

cmd_start() {
  local n=${1:-3} i
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "N must be a positive number" >&2; exit 2; }
  if [ "$(count)" -gt 0 ]; then echo "a cluster already exists in $DIR: stop it first" >&2; exit 1; fi
  : > "$RABBITMQ_CONF_ENV_FILE"
  head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DIR/.erlang.cookie"
  chmod 400 "$DIR/.erlang.cookie"
  for i in $(seq 1 "$n"); do write_config "$i"; start_node "$i"; done
  for i in $(seq 1 "$n"); do await_node "$i"; done
  for i in $(seq 2 "$n"); do
    ctl "$i" stop_app
    ctl "$i" join_cluster "$(node_name 1)"
    ctl "$i" start_app
  done
  echo "cluster '$NAME' of $n nodes; caravan.broker.addresses=$(cmd_addresses)"
}

cmd_stop() {
  local i pid
  for i in $(seq 1 "$(count)"); do
    if is_running "$i"; then
      ctl "$i" stop >/dev/null 2>&1 || true
      pid=$(node_pid "$i")
      # A node that does not stop in 30 s is killed: the folder is deleted next anyway.
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
  done
  rm -rf "$DIR"
}

cmd_addresses() {
  local i host=$BIND list=()
  [ "$host" = 0.0.0.0 ] && host=localhost
  for i in $(seq 1 "$(count)"); do list+=("$host:$((AMQP_PORT + i - 1))"); done
  (IFS=,; echo "${list[*]}")
}

cmd_status() {
  local i
  for i in $(seq 1 "$(count)"); do
    if is_running "$i"; then state=running; else state=stopped; fi
    echo "$(node_name "$i") $state amqp=$((AMQP_PORT + i - 1)) pid=$(node_pid "$i")"
  done
  for i in $(seq 1 "$(count)"); do
    if is_running "$i"; then ctl "$i" cluster_status; return; fi
  done
}

cmd_leader() {
  local queue=$1 i leader
  for i in $(seq 1 "$(count)"); do
    is_running "$i" || continue
    leader=$(ctl "$i" list_queues name leader --no-table-headers 2>/dev/null | awk -v q="$queue" '$1 == q {print $2}') || continue
    [ -n "$leader" ] || continue
    echo "${leader%%@*}" | sed "s/^$NAME-//"
    return
  done
  echo "no running node knows a leader of '$queue'" >&2
  exit 1
}

cmd_await_quorum() {
  local i
  for i in ${1:-$(seq 1 "$(count)")}; do
    is_running "$i" || continue
    timeout "$START_TIMEOUT" bash -c "until '$BIN/rabbitmq-diagnostics' -q -n '$(node_name "$i")' check_if_node_is_quorum_critical >/dev/null 2>&1; do sleep 0.5; done" \
      || { echo "node $(node_name "$i") still holds the last majority of a quorum queue" >&2; exit 1; }
  done
}

case ${1:-} in
  start) cmd_start "${2:-3}" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  addresses) cmd_addresses ;;
  kill) check_index "${2:-}"; pid=$(node_pid "$2"); [ -n "$pid" ] && kill -9 "$pid" ;;
  stop-node) check_index "${2:-}"; ctl "$2" stop ;;
  start-node) check_index "${2:-}"; start_node "$2"; await_node "$2" ;;
  ctl) check_index "${2:-}"; i=$2; shift 2; ctl "$i" "$@" ;;
  leader) [ -n "${2:-}" ] || { echo "usage: $0 leader QUEUE" >&2; exit 2; }; cmd_leader "$2" ;;
  await-quorum) [ -z "${2:-}" ] || check_index "$2"; cmd_await_quorum "${2:-}" ;;
  *) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
