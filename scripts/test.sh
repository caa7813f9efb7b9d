#!/usr/bin/env bash
# Runs the whole test suite (mvn -B verify: unit tests, then integration tests against the local RabbitMQ), after
# the same set-up as scripts/run.sh: installs what is missing (as root; otherwise says what to install) and starts
# the local broker and the tests' PostgreSQL if they are down. Extra arguments go to Maven. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prerequisites.sh test
scripts/ensure-rabbitmq.sh
scripts/ensure-postgresql.sh
exec mvn -B verify "$@"
