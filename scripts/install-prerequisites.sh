#!/usr/bin/env bash
# Makes sure this Debian/Ubuntu machine has what Caravan needs, from Debian's packages. As root it installs what
# is missing; otherwise it installs nothing, prints one line with the exact apt-get command, and exits 1. It says
# nothing when everything is there.
#
#   scripts/install-prerequisites.sh [run] [broker] [test] [bench] [container]   (no argument: the first four)
#     run     build and run Caravan: JDK 17, Maven, bubblewrap, setpriv, the language runtimes, the C headers
#     broker  a local RabbitMQ server
#     test    the test suite: run, broker, supervisor, iproute2 (hosts in network namespaces), headless Chromium (the
#             operator's page test), npm, and the npm clients the tests drive (src/test/clients)
#     bench   the benchmarks: run, broker and wrk
#     container  the container smoke test (scripts/container-smoke.sh): podman, runc, podman-compose, debootstrap
set -euo pipefail
# Debian keeps rabbitmq-server in /usr/sbin, which is not on an ordinary user's PATH.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# purpose, then a command (or an absolute path) that must exist, then the package that provides it.
REQUIREMENTS='
run     java                  openjdk-17-jdk-headless
run     javac                 openjdk-17-jdk-headless
run     mvn                   maven
run     bwrap                 bubblewrap
run     setpriv               util-linux
run     /usr/bin/python3      python3
run     gcc                   gcc
run     g++                   g++
run     node                  nodejs
run     /usr/include/stdio.h  libc6-dev
broker  rabbitmq-server       rabbitmq-server
broker  rabbitmqctl           rabbitmq-server
test    supervisord           supervisor
test    ip                    iproute2
test    npm                   npm
test    chromium              chromium
test    chromedriver          chromium-driver
bench   wrk                   wrk
container podman              podman
container runc                runc
container podman-compose      podman-compose
container debootstrap         debootstrap
'

purposes=" ${*:-run broker test bench} "
case $purposes in *" test "* | *" bench "*) purposes+=" run broker " ;; esac
for purpose in $purposes; do
  case $purpose in run | broker | test | bench | container) ;; *) echo "unknown purpose '$purpose'; use run, broker, test, bench or container" >&2; exit 2 ;; esac
done

present() {
  if [[ $1 == /* ]]; then [ -e "$1" ]; else command -v "$1" >/dev/null 2>&1; fi
}

missing=()
while read -r purpose thing package; do
  [ -n "$purpose" ] || continue
  [[ $purposes == *" $purpose "* ]] || continue
  present "$thing" || missing+=("$package")
done <<< "$REQUIREMENTS"
if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  packages=${packages% }
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: $packages. Install them with: sudo apt-get update && sudo apt-get install -y $packages" >&2
    exit 1
  fi
  echo "Installing $packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $packages >/dev/null
fi

# The real clients of the imitated APIs (piston-client...), at the versions of src/test/clients/package-lock.json,
# into that folder only (no root needed); again whenever the lock file is newer than what npm last installed.
if [[ $purposes == *" test "* ]]; then
  clients="$(dirname "$0")/../src/test/clients"
  if [ ! "$clients/node_modules/.package-lock.json" -nt "$clients/package-lock.json" ]; then
    echo "Installing the test clients of src/test/clients (npm ci)"
    npm ci --prefix "$clients" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
