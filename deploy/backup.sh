#!/usr/bin/env bash
# Nightly dump of the database named by DATABASE_URL into BACKUP_DIR (custom format, compressed),
# keeping BACKUP_KEEP_DAYS days. Run by deploy/systemd/incubator-backup.timer; restore with
# deploy/restore.sh (docs/deploy.md, "Backups").
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}" "${BACKUP_DIR:?set BACKUP_DIR}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-30}"
mkdir -p "$BACKUP_DIR"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TARGET="$BACKUP_DIR/incubator-$STAMP.dump"
# Written under a temporary name and renamed when complete: a half-written dump never looks finished.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$TARGET.partial" "$DATABASE_URL"
mv "$TARGET.partial" "$TARGET"
find "$BACKUP_DIR" -maxdepth 1 -name 'incubator-*.dump' -mtime +"$KEEP_DAYS" -delete
echo "$TARGET"
