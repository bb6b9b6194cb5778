#!/usr/bin/env bash
# Installs (from Debian's packages) and starts a PostgreSQL server on 127.0.0.1:5432 with a
# database and user for the store tests, then prints the environment the tests read.
# Usage: eval "$(.ci/postgres.sh)"
set -euo pipefail
{
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  su postgres -c "psql -qAtc \"SELECT 1 FROM pg_roles WHERE rolname='tongyou'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE tongyou LOGIN PASSWORD 'tongyou-test'\""
  su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname='tongyou_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O tongyou tongyou_test"
} >&2
echo "export TONGYOU_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/tongyou_test"
echo "export TONGYOU_TEST_POSTGRES_USER=tongyou"
echo "export TONGYOU_TEST_POSTGRES_PASSWORD=tongyou-test"
