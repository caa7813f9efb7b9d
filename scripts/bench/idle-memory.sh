#!/usr/bin/env bash
# Idle resident memory of one worker process and everything it keeps (warm javac, slot sandboxes), as issue 10 asks:
# starts a worker-only Caravan (target/caravan.jar, config/jvm.options) against the local broker, waits until it has
# started and idled for IDLE seconds (20), prints each process of its tree with its VmRSS and the total, and stops it.
#   scripts/bench/idle-memory.sh [extra java options...]       (root: a worker needs it)
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
CARAVAN_ROLE=worker CARAVAN_HTTP_PORT=${CARAVAN_HTTP_PORT:-18099} java @config/jvm.options "$@" -jar target/caravan.jar >"$log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 120); do grep -q "started in" "$log" && break; sleep 1; done
grep -q "started in" "$log" || { echo "the worker did not start; its log:"; cat "$log"; exit 1; }
sleep "${IDLE:-20}"
tree() { echo "$1"; for child in $(pgrep -P "$1"); do tree "$child"; done; }
total=0
for pid in $(tree $worker); do
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || true)
  [ -n "$rss" ] || continue
  printf '%8s KB  %s\n' "$rss" "$(tr '\0' ' ' </proc/$pid/cmdline | cut -c1-70)"
  total=$((total + rss))
done
printf '%8s KB  total (%d MB)\n' "$total" $((total / 1024))
