#!/bin/sh
# Runs once, when the primary's data folder is first made (the postgres
# image's /docker-entrypoint-initdb.d): the role the replicas stream with,
# and the line of pg_hba.conf that lets it in.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
