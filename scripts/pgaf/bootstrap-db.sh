#!/bin/bash
# Runs inside a data node (postgres-primary / -replica1 / -replica2), started in the background by
# entrypoint.sh. Nodes are symmetric: whichever registers first with the monitor becomes the
# primary, so every node runs this and the database decides who does the work.
#
# Once per container start, as soon as the LOCAL server is writable (pg_is_in_recovery() = false,
# i.e. pg_autoctl made it single / wait_primary / primary):
#   1. ALTER ROLE postgres PASSWORD from $POSTGRES_PASSWORD (replicates to the standbys);
#   2. make sure $PGAF_DBNAME (healthcare_db) exists;
#   3. under pg_advisory_lock(4242001) in healthcare_db (the key the TypeScript loader uses),
#      if to_regclass('public.lab_meta') is NULL: 01-schema.sql when LOAD_SCHEMA=true, then
#      02-test-data.sql when LOAD_TEST_DATA=true, with pgha.scale=$PGHA_SCALE;
#   4. create/alter $APP_USER (LOGIN, PASSWORD $APP_PASSWORD) with read/write on the tables.
# A standby that sees the finished result (app role and, with LOAD_SCHEMA=true, lab_meta) through
# replication stops waiting. A node that is promoted later runs the same idempotent steps.
set -Eeuo pipefail
. /opt/pgaf/lib.sh

DB=${PGAF_DBNAME:-healthcare_db}
SQL_DIR=/opt/pgaf/sql
LOCK_KEY=4242001

bool() { case "${1:-}" in true | TRUE | True | 1 | yes | on) echo true ;; *) echo false ;; esac; }
LOAD_SCHEMA=$(bool "${LOAD_SCHEMA:-true}")
LOAD_TEST_DATA=$(bool "${LOAD_TEST_DATA:-true}")
PGHA_SCALE=${PGHA_SCALE:-0.2}
# entrypoint.sh has checked these already (check_env); again here, as this script builds SQL.
check_env

writable() { [ "$(local_psql -d postgres -Atc 'SELECT NOT pg_is_in_recovery()' 2>/dev/null)" = t ]; }

# On a standby: is everything the primary does already visible here?
already_done_here() {
  local db_ok role_ok meta_ok=t
  db_ok=$(local_psql -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'" 2>/dev/null) || return 1
  [ "$db_ok" = 1 ] || return 1
  role_ok=$(local_psql -d postgres -Atc "SELECT count(*) FROM pg_roles WHERE rolname = '$APP_USER'" 2>/dev/null) || return 1
  [ "$role_ok" = 1 ] || return 1
  if [ "$LOAD_SCHEMA" = true ]; then
    meta_ok=$(local_psql -d "$DB" -Atc "SELECT to_regclass('public.lab_meta') IS NOT NULL" 2>/dev/null) || return 1
  fi
  [ "$meta_ok" = t ]
}

db_exists() { [ "$(local_psql -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 1 ]; }

# pg_autoctl creates --dbname itself while it takes the node from init to single; give it time
# before creating the database here (that only matters when it was dropped by hand).
ensure_database() {
  local i
  for i in $(seq 1 60); do
    db_exists && return 0
    sleep 1
  done
  log "database $DB still missing after 60 s: creating it"
  local_psql -d postgres -c "CREATE DATABASE \"$DB\"" || db_exists
}

# One psql session: the advisory lock covers the check and the load.
load_dataset_and_grants() {
  local t0=$SECONDS out
  out=$(PGOPTIONS="$PGAF_QUIET_PGOPTIONS -c pgha.scale=$PGHA_SCALE" \
    psql -X -q -h "$PGAF_SOCKET_DIR" -p "$PGPORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 \
      -v load_schema="$LOAD_SCHEMA" -v load_data="$LOAD_TEST_DATA" -v lock_key="$LOCK_KEY" \
      -v sql_dir="$SQL_DIR" -v app_user="$APP_USER" -v db="$DB" 2>&1 <<'SQL'
\set QUIET on
SELECT pg_advisory_lock(:lock_key);
SELECT to_regclass('public.lab_meta') IS NOT NULL AS present \gset
\if :present
  \echo 'pgaf-dataset: already present (public.lab_meta exists), nothing loaded'
\elif :load_schema
  \echo 'pgaf-dataset: loading 01-schema.sql'
  \i /opt/pgaf/sql/01-schema.sql
  \if :load_data
    SELECT current_setting('pgha.scale', true) AS scale \gset
    \echo 'pgaf-dataset: loading 02-test-data.sql at pgha.scale =' :scale
    \i /opt/pgaf/sql/02-test-data.sql
  \endif
  \echo 'pgaf-dataset: loaded'
\else
  \echo 'pgaf-dataset: LOAD_SCHEMA=false, nothing loaded'
\endif
-- Application role: LOGIN with a password, read/write on the tables. The password comes from
-- the environment (\getenv), never from a command line; this session does not log statements.
\getenv app_pw APP_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
SET password_encryption = 'scram-sha-256';
ALTER ROLE :"app_user" WITH LOGIN PASSWORD :'app_pw';
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app_user";
GRANT USAGE ON SCHEMA public TO :"app_user";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_user";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app_user";
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_user";
SELECT pg_advisory_unlock(:lock_key);
SQL
  ) || { printf '%s\n' "$out" | sed 's/^/  psql: /' >&2; return 1; }
  printf '%s\n' "$out" | grep -E '^pgaf-dataset:' | sed 's/^pgaf-dataset: //' | while read -r l; do log "$l"; done
  log "bootstrap of $DB done on this node in $((SECONDS - t0)) s"
}

main() {
  local delay=1 waited=0
  while :; do
    if pg_ready; then
      if writable; then
        if set_superuser_password postgres && ensure_database && load_dataset_and_grants; then
          log "node bootstrap complete (this node was writable)"
          return 0
        fi
        log "bootstrap attempt failed; retrying in 5 s"
        sleep 5
        continue
      elif already_done_here; then
        log "standby: dataset and roles already replicated here; nothing to do"
        return 0
      fi
    fi
    sleep "$delay"
    waited=$((waited + delay))
    # Fast while bootstrapping, then a slow poll on standbys (in case of a later promotion).
    [ "$waited" -lt 300 ] || delay=5
  done
}

main "$@"
