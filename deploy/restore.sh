#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh into a NEW database and compare row counts with the
# database it came from (the restore drill). Usage:
#   deploy/restore.sh DUMP_FILE NEW_DATABASE_URL [SOURCE_DATABASE_URL]
# The new database is created (it must not exist). With a source, every table's row count must
# match, or the script fails listing the tables that differ.
set -euo pipefail
DUMP="${1:?dump file}" TARGET_URL="${2:?new database URL}" SOURCE_URL="${3:-}"
TARGET_DB="${TARGET_URL##*/}"
TARGET_DB="${TARGET_DB%%\?*}"
SERVER_URL="${TARGET_URL%/*}/postgres"
psql "$SERVER_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$TARGET_DB\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$TARGET_URL" "$DUMP"

counts() {
  # Exact counts of every table in the public schema, one "table count" per line.
  psql "$1" -At -v ON_ERROR_STOP=1 <<'SQL' | sort
SELECT table_name || ' ' || (xpath('/row/c/text()',
    query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')))[1]::text
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE';
SQL
}

if [ -n "$SOURCE_URL" ]; then
  if ! diff <(counts "$SOURCE_URL") <(counts "$TARGET_URL"); then
    echo "restore drill FAILED: row counts differ (< source, > restored)" >&2
    exit 1
  fi
  echo "restore drill ok: $(counts "$TARGET_URL" | wc -l) tables, same row counts"
fi
