#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers where Caravan looks for it: CARAVAN_BROKER_HOST:CARAVAN_BROKER_PORT
# (localhost:5672). A local broker that is down is started (and installed first if missing) when run as root;
# otherwise one line says what to run, and it exits 1. It says nothing when the broker already answers.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

host=${CARAVAN_BROKER_HOST:-localhost}
port=${CARAVAN_BROKER_PORT:-5672}

answers() {
  timeout 2 bash -c "exec 3<>'/dev/tcp/$host/$port'" 2>/dev/null
}

answers && exit 0
case $host in
  localhost | 127.0.0.1 | ::1) ;;
  *) echo "No RabbitMQ answers at $host:$port (CARAVAN_BROKER_HOST, CARAVAN_BROKER_PORT); start that broker first" >&2
     exit 1 ;;
esac
# Under systemd the package's service is the broker (it also starts at boot); elsewhere a detached node.
if [ "$port" = 5672 ] && [ -d /run/systemd/system ]; then
  start=(systemctl start rabbitmq-server)
else
  start=(env "RABBITMQ_NODE_PORT=$port" rabbitmq-server -detached)
fi
scripts/install-prerequisites.sh broker
if [ "$(id -u)" -ne 0 ]; then
  echo "RabbitMQ is not running on $host:$port. Start it with: sudo ${start[*]}" >&2
  exit 1
fi

# Installing the package may itself have started the broker, which may still be booting: then starting another
# node of the same name fails, and the wait below is what decides.
if ! answers; then
  echo "Starting RabbitMQ on port $port"
  "${start[@]}" || true
fi
for _ in $(seq 120); do
  answers && { echo "RabbitMQ is up"; exit 0; }
  sleep 1
done
echo "RabbitMQ did not open port $port within 120 s; see /var/log/rabbitmq/" >&2
exit 1
