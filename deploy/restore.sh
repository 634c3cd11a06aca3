#!/usr/bin/env bash
# Restores a set made by deploy/backup.sh into an EMPTY database and an empty (or new) DATA_DIR, then
# checks it with `fashen verify --files` (records, Merkle tree, signatures, and every stored file's SM3).
#   set -a; . /etc/fashen/fashen.env; set +a; deploy/restore.sh /srv/backup/fashen-2026-12-05
# Stop every fashen unit of the installation first; start them after the verification passed.
# FASHEN_BIN: the fashen entry (default: this installation's server/fashen.mjs).
set -euo pipefail

die() { echo "restore: $*" >&2; exit 1; }
src=${1:-}
[ -n "$src" ] && [ -f "$src/database.dump" ] || die "usage: restore.sh <directory written by backup.sh>"
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (source /etc/fashen/fashen.env)"
data=${DATA_DIR:-./data}
bin=${FASHEN_BIN:-$(cd "$(dirname "$0")/.." && pwd)/server/fashen.mjs}

tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$tables" = 0 ] || die "the database of DATABASE_URL is not empty ($tables tables): create a new one"
if [ -d "$data" ] && [ -n "$(ls -A "$data")" ]; then die "DATA_DIR $data is not empty"; fi

# 1. The database, all or nothing.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" \
  "$src/database.dump"

# 2. The files.
mkdir -p "$data"
[ -d "$src/data" ] && cp -a "$src/data/." "$data/"

# 3. Every record, signature and stored file checked against the restored database.
node "$bin" verify --files
echo "restored from $src and verified"
