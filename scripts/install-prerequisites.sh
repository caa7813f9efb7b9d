#!/usr/bin/env bash
# Installs, from Debian's packages, what building, testing and running Caravan needs and the machine lacks.
set -euo pipefail

declare -A provides=(
  [java]=openjdk-17-jdk-headless [javac]=openjdk-17-jdk-headless [mvn]=maven
  [rabbitmq-server]=rabbitmq-server [bwrap]=bubblewrap [setpriv]=util-linux
  [python3]=python3 [gcc]=gcc [g++]=g++ [node]=nodejs [wrk]=wrk [supervisord]=supervisor
)
missing=()
for command in "${!provides[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${provides[$command]}")
done
[ -x /usr/bin/python3 ] || missing+=(python3)
# The C language and the sandbox's native launcher compile against the C library's headers.
[ -f /usr/include/stdio.h ] || missing+=(libc6-dev)

if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  echo "Installing: $packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $packages
fi
