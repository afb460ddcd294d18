#!/bin/bash
# Docker HEALTHCHECK of the pgaf containers (compose/docker-compose.yml).
#   monitor: PostgreSQL accepts connections, the pgautofailover API answers, pg_autoctl runs.
#   node:    PostgreSQL accepts connections (primary or hot standby) and pg_autoctl runs.
# pg_autoctl is checked through its pid file (XDG_RUNTIME_DIR) and kill -0, no procps needed.
set -uo pipefail
. /opt/pgaf/lib.sh

pg_ready || { echo "postgres not accepting connections on port $PGPORT"; exit 1; }
pgautoctl_running || { echo "pg_autoctl not running (no live pid in $(pgautoctl_pidfile))"; exit 1; }
if [ "${PGAF_ROLE:-}" = monitor ]; then
  n=$(local_psql -d pg_auto_failover -Atc 'SELECT count(*) FROM pgautofailover.formation' 2>&1) ||
    { echo "pgautofailover does not answer: $n"; exit 1; }
  echo "monitor ok ($n formation(s))"
else
  echo "node ok (recovery=$(local_psql -d postgres -Atc 'SELECT pg_is_in_recovery()' 2>/dev/null))"
fi
