#!/usr/bin/env bash
# `make bench`: the benchmark at three scales. Seeds PostgreSQL (incubator_bench_small at 1/10 of the
# county, incubator_bench at the county's three-year target, incubator_bench_province at ten counties'
# worth), serves each with gunicorn under production settings, drives the key pages with wrk at 8
# and 32 connections against a constant floor, and writes docs/benchmarks.md. Reports targets;
# never fails on them.
#   BENCH_DURATION=20 (seconds per page and concurrency)  BENCH_SCALES="small full province"
#   BENCH_SKIP_SEED=1  BENCH_DB_PREFIX= (database names)  BENCH_REDIS_DB=12  BENCH_PORT=8765
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..."
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
  else sudo apt-get install -y -q wrk; fi
fi
command -v psql >/dev/null || { echo "psql is needed (postgresql-client)" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-cli is needed (redis-tools)" >&2; exit 1; }

.venv/bin/python manage.py compilemessages -v 0 -i .venv -i node_modules >/dev/null 2>&1 || true

# What each cache family kept or removed costs, in queries per page (docs/benchmarks.md "Cache
# families"), on a database of its own; written to bench/results/cache_queries.txt.
mkdir -p bench/results
CACHES_DB="${BENCH_DB_PREFIX:-}incubator_bench_caches"
createdb -h 127.0.0.1 -U postgres "$CACHES_DB" 2>/dev/null || true
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$CACHES_DB" \
  .venv/bin/pytest bench/cache_queries.py -s -q -p no:cacheprovider | grep MEASURE | tee bench/results/cache_queries.txt

exec .venv/bin/python -m bench.run
