#!/usr/bin/env bash
# Builds the image from Dockerfile and runs docker-compose.yml (RabbitMQ, an API node, two workers) with podman and
# podman-compose, as a Docker user would, then checks it end to end and removes everything it started:
#
#   scripts/container-smoke.sh          (as root; .ci/run calls it after the test suite)
#
# 1. Installs what is missing (scripts/install-prerequisites.sh container: podman, runc, podman-compose, debootstrap).
# 2. Makes the base images the Dockerfile and the compose file name, when podman does not hold them yet: no image
#    registry is reachable from CI machines, so debian:bookworm-slim is a debootstrap (minbase) of the Debian mirror
#    this host's apt uses, and maven:3.9-eclipse-temurin-17 and rabbitmq:3-management are thin stand-ins built on
#    it from Debian's packages. They stay in podman's store: later runs reuse them (and the build's layers).
# 3. podman build --pull=never of the real Dockerfile; podman-compose up of the real docker-compose.yml under the
#    project name caravan-smoke, the API published on 127.0.0.1:$CARAVAN_SMOKE_PORT (18080).
# 4. Checks: an A+B job in every language; both workers take jobs while fork bombs run (each worker has sandbox
#    uids of its own); the hostile memory programs of every language get their verdicts inside a container; a
#    worker container killed with SIGKILL is restarted by its restart policy and takes jobs again.
# 5. podman-compose down -v, and a check that no container, network or volume of the project is left.
#
# Prints the time of each phase. Exit 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

PROJECT=caravan-smoke
PORT=${CARAVAN_SMOKE_PORT:-18080}
STATE=${CARAVAN_SMOKE_STATE:-target/container-smoke}
started=$SECONDS

phase() { printf '[smoke %4ds] %s\n' $((SECONDS - started)) "$*"; }
fail() { echo "container-smoke: FAILED: $*" >&2; exit 1; }

scripts/install-prerequisites.sh container
mkdir -p "$STATE"

# podman's defaults fail on these hosts: a container may not raise RLIMIT_NOFILE/RLIMIT_NPROC above the hard limits
# of podman itself (it asks for more: set them to exactly those; podman's own RLIMIT_NPROC was 32768, the kernel's
# pid_max, below the shell's 96365, hence the smaller of the two), and crun refuses the hybrid cgroup layout (runc
# accepts it). podman build takes the limits as flags.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
pid_max=$(cat /proc/sys/kernel/pid_max)
[[ $nproc == unlimited || $nproc -gt $pid_max ]] && nproc=$pid_max
[[ $nofile == unlimited ]] && nofile=1048576
cat > "$STATE/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF=$PWD/$STATE/containers.conf
BUILD_LIMITS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")

# ---- base images -------------------------------------------------------------------------------------------------
debian_mirror() {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list \
    | grep -v security | head -1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*//')
  echo "${uri:-http://deb.debian.org/debian}"
}

# A thin image FROM debian:bookworm-slim, built from the Containerfile on stdin, with this host's extra certificate
# authorities (a TLS-inspecting proxy's, for instance) so that downloads inside it are trusted as on the host.
stand_in() {
  local name=$1 context="$STATE/images/${1//[:\/]/-}"
  rm -rf "$context" && mkdir -p "$context/ca"
  cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true
  cat > "$context/Containerfile"
  podman build --pull=never "${BUILD_LIMITS[@]}" -q -t "docker.io/library/$name" "$context" >/dev/null
}

ensure_base_images() {
  if ! podman image exists docker.io/library/debian:bookworm-slim; then
    phase "making debian:bookworm-slim (debootstrap --variant=minbase bookworm from $(debian_mirror))"
    local root="$STATE/rootfs"
    rm -rf "$root"
    debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$STATE/debootstrap.log" 2>&1 \
      || { tail -20 "$STATE/debootstrap.log" >&2; fail "debootstrap"; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -c . | podman import -q --change 'CMD ["bash"]' - docker.io/library/debian:bookworm-slim >/dev/null
    rm -rf "$root"
  fi
  if ! podman image exists docker.io/library/maven:3.9-eclipse-temurin-17; then
    phase "making maven:3.9-eclipse-temurin-17 (Debian's maven and openjdk-17)"
    stand_in maven:3.9-eclipse-temurin-17 <<'FILE'
FROM docker.io/library/debian:bookworm-slim
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update && apt-get install -y --no-install-recommends maven openjdk-17-jdk-headless ca-certificates \
 && update-ca-certificates && rm -rf /var/lib/apt/lists/*
FILE
  fi
  if ! podman image exists docker.io/library/rabbitmq:3-management; then
    phase "making rabbitmq:3-management (Debian's rabbitmq-server with the management plugin)"
    stand_in rabbitmq:3-management <<'FILE'
FROM docker.io/library/debian:bookworm-slim
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update && apt-get install -y --no-install-recommends rabbitmq-server && rm -rf /var/lib/apt/lists/* \
 && rabbitmq-plugins enable --offline rabbitmq_management \
 && echo 'loopback_users.guest = false' > /etc/rabbitmq/rabbitmq.conf
EXPOSE 5672 15672
CMD ["rabbitmq-server"]
FILE
  fi
}

ensure_base_images
phase "base images ready"

# ---- the image and the stack ---------------------------------------------------------------------------------------
phase "building caravan:local from Dockerfile"
podman build --pull=never "${BUILD_LIMITS[@]}" -t caravan:local . >"$STATE/build.log" 2>&1 \
  || { tail -30 "$STATE/build.log" >&2; fail "podman build"; }

# The API on 127.0.0.1:$PORT, the broker's ports beside it (never the host's own 8080, 5672, 15672).
export CARAVAN_PUBLISH_HTTP=127.0.0.1:$PORT RABBITMQ_PUBLISH_AMQP=127.0.0.1:$((PORT + 1)) RABBITMQ_PUBLISH_UI=127.0.0.1:$((PORT + 2))
compose() { podman-compose -p "$PROJECT" "$@" >>"$STATE/compose.log" 2>&1; }
containers_of_project() { podman ps -a --format '{{.Names}}' | grep "^${PROJECT}_" || true; }
leftovers() {
  { containers_of_project | sed 's/^/container /'
    podman network ls --format '{{.Name}}' | grep "^${PROJECT}_" | sed 's/^/network /'
    podman volume ls --format '{{.Name}}' | grep "^${PROJECT}_" | sed 's/^/volume /'; } || true
}
remove_leftovers() {
  local kind name
  leftovers | while read -r kind name; do
    case $kind in container) podman rm -f -t 0 "$name" ;; network) podman network rm -f "$name" ;; volume) podman volume rm -f "$name" ;; esac >/dev/null
  done
}
teardown() {
  local status=$?
  if [ $status -ne 0 ]; then
    for c in $(containers_of_project); do
      podman inspect -f '{{.Name}}: {{.State.Status}}, exit code {{.State.ExitCode}}, restarted {{.RestartCount}} times' "$c" >&2 || true
    done
    for c in $(containers_of_project); do echo "--- last log lines of $c" >&2; podman logs --tail 15 "$c" >&2 2>&1 || true; done
  fi
  phase "tearing down (podman-compose down -v)"
  compose down -v -t 10 || true
  remove_leftovers       # podman-compose 1.0.3 leaves the project's network behind
  left=$(leftovers)
  if [ -n "$left" ]; then echo "container-smoke: FAILED: left behind: $left" >&2; status=1; fi
  phase "done, exit $status"
  exit $status
}
remove_leftovers         # of an earlier run that was killed
: >"$STATE/compose.log"
trap teardown EXIT
phase "starting the stack (podman-compose -p $PROJECT up -d: rabbitmq, api, worker x2)"
compose up -d || { tail -30 "$STATE/compose.log" >&2; fail "podman-compose up"; }

workers() { podman ps --format '{{.Names}}' | grep "^${PROJECT}_worker_" | sort; }
healthy() { podman exec "$1" curl -fsS -o /dev/null http://localhost:8080/observe/health 2>/dev/null; }
await() { # seconds, description, command...: until the command succeeds
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do [ $SECONDS -lt $deadline ] || fail "$what: not within the time allowed"; sleep 2; done
}
all_up() {
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/observe/health" || return 1
  [ "$(workers | wc -l)" -eq 2 ] || return 1
  for w in $(workers); do healthy "$w" || return 1; done
}
# podman-compose does not wait for the broker's health (condition: service_healthy): workers that start before the
# broker answers exit, and their restart policy brings them back.
await 300 "API and two healthy workers" all_up
phase "stack up: API on 127.0.0.1:$PORT, workers $(workers | tr '\n' ' ')"
for w in $(workers); do
  echo "  $w (restarted $(podman inspect -f '{{.RestartCount}}' "$w") times while the broker came up):"
  podman logs "$w" 2>&1 | grep -oE '(sandbox: [A-Z]+;.*|memory limits without a cgroup:.*|sandbox users: slots run as uids [0-9-]+)' \
    | awk '!seen[$0]++ { print "    " $0 }'
done

# ---- checks ---------------------------------------------------------------------------------------------------------
jobs() { scripts/container-smoke-jobs.py "$PORT" "$@"; }
phase "A+B in every language"
jobs languages
phase "two workers under fork bombs: 6 fork bombs among 24 A+B jobs, one batch"
jobs fork-bombs
phase "hostile memory programs (memory_mb 64) in every language"
jobs memory

victim=$(workers | head -1)
phase "kill -9 of $victim's processes: its restart policy must bring it back"
started_at=$(podman inspect -f '{{.State.StartedAt}}' "$victim")
kill -9 "$(podman inspect -f '{{.State.Pid}}' "$victim")"
restarted() { [ "$(podman inspect -f '{{.State.Running}} {{.State.StartedAt}}' "$victim")" != "true $started_at" ] \
  && podman inspect -f '{{.State.Running}}' "$victim" | grep -q true && healthy "$victim"; }
await 180 "$victim restarted and healthy" restarted
echo "  $victim: restarted $(podman inspect -f '{{.RestartCount}}' "$victim") time(s), healthy again"
victim_host=$(podman inspect -f '{{.Config.Hostname}}' "$victim")
ran_on_victim() { jobs a-plus-b 8 | grep -qw "$victim_host"; }
await 120 "a job taken by the restarted $victim" ran_on_victim
echo "  the restarted $victim takes jobs again"
phase "all checks passed"
