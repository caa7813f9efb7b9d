#!/usr/bin/env bash
# Makes sure the PostgreSQL the tests use answers: 127.0.0.1:5432, trust authentication, database `test` (the job
# store's integration tests make and drop a schema of their own in it). As root, installs the Debian package, starts
# the cluster, trusts local connections and creates the database when missing; otherwise one line says what to run,
# and it exits 1. It says nothing when all is already there.
set -euo pipefail
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

ready() {
  command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1
}

ready && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "PostgreSQL with a database 'test' (trust auth) is not answering on 127.0.0.1:5432. As root run: $0" >&2
  exit 1
fi
if ! command -v pg_lsclusters >/dev/null; then
  echo "Installing PostgreSQL"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
cluster=$(pg_lsclusters -h | head -n 1)
version=$(awk '{print $1}' <<<"$cluster")
name=$(awk '{print $2}' <<<"$cluster")
hba="/etc/postgresql/$version/$name/pg_hba.conf"
# Tests connect as postgres without a password, over TCP on loopback only.
if ! grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  sed -i '1i local all all trust' "$hba"
fi
if [ -d /run/systemd/system ]; then
  systemctl restart postgresql
else
  pg_ctlcluster "$version" "$name" restart || pg_ctlcluster "$version" "$name" start
fi
for _ in $(seq 60); do
  psql -h 127.0.0.1 -U postgres -Atqc 'select 1' >/dev/null 2>&1 && break
  sleep 1
done
psql -h 127.0.0.1 -U postgres -Atqc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc 'create database test'
ready || { echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
echo "PostgreSQL is up"
