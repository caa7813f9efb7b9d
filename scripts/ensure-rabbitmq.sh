#!/usr/bin/env bash
# Starts the local RabbitMQ broker unless it already runs, and waits until it accepts work.
set -euo pipefail

if ! rabbitmqctl -q status >/dev/null 2>&1; then
  echo "Starting RabbitMQ"
  rabbitmq-server -detached
fi
timeout 120 rabbitmqctl -q await_startup
echo "RabbitMQ is up"
