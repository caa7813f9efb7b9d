#!/usr/bin/env bash
# Gets Caravan answering on this machine: the API and a worker in one process, on port 8080 (CARAVAN_HTTP_PORT).
# Installs what is missing (as root; otherwise says what to install), starts the local RabbitMQ if it is down,
# rebuilds target/caravan.jar when a source or pom.xml is newer than it, then runs it in the foreground with its
# log on screen. Ctrl-C (or SIGTERM) stops it gracefully: calls already accepted are answered first.
# Arguments and CARAVAN_* variables reach Caravan, e.g. CARAVAN_HTTP_PORT=9090 scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prerequisites.sh run
scripts/ensure-rabbitmq.sh
# A worker (role all or worker, the default all) switches every program to a sandbox user, which only root may do.
if [ "$(id -u)" -ne 0 ] && [ "${CARAVAN_ROLE:-all}" != api ]; then
  echo "Run as root: the worker switches each program to an unprivileged sandbox user itself (CARAVAN_ROLE=api runs an API-only node without root)." >&2
  exit 1
fi

jar=target/caravan.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]; then
  echo "Building $jar"
  mvn -B -q package -DskipTests
fi
# exec: Ctrl-C's SIGINT and a supervisor's SIGTERM reach the JVM itself, whose shutdown hook stops Camel gracefully.
exec java @config/jvm.options -jar "$jar" "$@"
