#!/bin/bash
# Controlled failover: `pg_autoctl perform failover` against the monitor. Run inside pgaf-monitor
# (installed as /opt/pgaf/perform-failover.sh), as root (docker compose exec default) or postgres:
#   docker compose --env-file .env.test exec pgaf-monitor bash /opt/pgaf/perform-failover.sh
# Extra arguments go to pg_autoctl: --formation NAME (default "default"), --group N (default 0),
# --wait SECONDS (default 60; pg_autoctl waits until a new primary is in place, then returns).
# The monitor picks the standby with the highest candidate priority (then the most advanced LSN).
set -euo pipefail
. /opt/pgaf/lib.sh

as_postgres pg_autoctl perform failover --pgdata "$PGAF_MONITOR_PGDATA" "$@"
