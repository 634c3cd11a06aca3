#!/usr/bin/env bash
# Backs up one Fashen installation into <dir> as one consistent set: the database, then the stored files.
#   set -a; . /etc/fashen/fashen.env; set +a; deploy/backup.sh /srv/backup/fashen-$(date +%F)
# Runs while the service runs. Order matters: the database snapshot is taken first, the files after it.
# Stored evidence files are content-addressed (attachments/<2 hex>/<SM3>) and written under a temporary
# name, then renamed into place before their row is committed; they are never rewritten. So every file the
# snapshot refers to exists when the copy starts, and a file added later is merely unused by the snapshot.
# Generated documents (bytes and SM3) live in the database itself.
set -euo pipefail

die() { echo "backup: $*" >&2; exit 1; }
dest=${1:-}
[ -n "$dest" ] || die "usage: backup.sh <empty or new directory>"
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (source /etc/fashen/fashen.env)"
data=${DATA_DIR:-./data}
mkdir -p "$dest"
[ -z "$(ls -A "$dest")" ] || die "$dest is not empty"

# 1. The database, in one snapshot (pg_dump reads in one repeatable-read transaction).
pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"

# 2. The files of DATA_DIR that outlive a request: evidence (attachments) and keys. uploads/ and
#    attachments/tmp/ hold only files in flight; archives/ are exports that can be made again.
mkdir -p "$dest/data"
if [ "${ATTACHMENT_STORAGE:-fs}" = "s3" ]; then
  echo "backup: ATTACHMENT_STORAGE=s3: evidence files are in bucket ${S3_BUCKET:-?}; back it up with the" \
       "bucket's own versioning or replication (its objects are never rewritten either)" >&2
elif [ -d "$data/attachments" ]; then
  tar -C "$data" --exclude=attachments/tmp -cf - attachments | tar -C "$dest/data" -xf -
fi
# keys/ holds keystore.secret when KEYSTORE_SECRET is not configured: without it the sealed keys in the
# database cannot be opened. Treat the backup as secret.
[ -d "$data/keys" ] && cp -a "$data/keys" "$dest/data/keys"
chmod -R go-rwx "$dest"

echo "backup written to $dest ($(du -sh "$dest" | cut -f1))"
