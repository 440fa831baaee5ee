#!/bin/sh
# A streaming replica of postgres-primary. Its first start copies the primary
# (pg_basebackup -R writes standby.signal and primary_conninfo); every later
# start replays from where it stopped. To add a replica: another service like
# postgres-replica with a volume of its own, and its URL in
# DATABASE_REPLICA_URLS (deploy/README.md).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready --host "$PRIMARY_HOST" --username replicator --quiet; do
        sleep 1
    done
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup --host "$PRIMARY_HOST" \
        --username replicator --pgdata "$PGDATA" --write-recovery-conf \
        --wal-method stream --checkpoint fast --progress
    chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
