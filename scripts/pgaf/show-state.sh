#!/bin/bash
# Prints the cluster state as JSON: `pg_autoctl show state --json` against the monitor.
# Run inside pgaf-monitor (installed as /opt/pgaf/show-state.sh), as root or postgres:
#   docker compose --env-file .env.test exec pgaf-monitor bash /opt/pgaf/show-state.sh | jq
# Extra arguments go to pg_autoctl (e.g. --formation default --group 0).
#
# Output shape (pg_auto_failover 2.0): a top-level JSON ARRAY, one object per node:
#   [ { "node_id": 1, "group_id": 0, "nodehost": "postgres-primary", "nodename": "postgres-primary",
#       "nodeport": 5432, "current_group_state": "primary", "assigned_group_state": "primary",
#       "health": 1, "reported_tli": 1, "reported_lsn": "0/5000148",
#       "candidate_priority": 100, "replication_quorum": true, "formation_kind": "pgsql", ... } ]
#   current_group_state   the state the node's keeper last reported (the seed's "reportedstate")
#   assigned_group_state  the goal state the monitor assigned to it
#   health                -1 unknown, 0 bad, 1 good (the monitor's health checks)
# There is no .nodes[] wrapper and no "reportedstate" key. The primary's name:
#   ... show-state.sh | jq -r '.[] | select(.current_group_state == "primary") | .nodename'
# pg_autoctl's log lines go to stderr and only on failure, so stdout stays valid JSON even through
# the TTY that `docker compose exec` allocates (which merges stdout and stderr).
set -euo pipefail
. /opt/pgaf/lib.sh

# The redirection is opened by this (root) shell before as_postgres drops privileges, so the
# file stays private (0600) and the postgres user never needs to open it.
err=$(mktemp)
trap 'rm -f "$err"' EXIT
if ! as_postgres pg_autoctl show state --pgdata "$PGAF_MONITOR_PGDATA" --json "$@" 2>"$err"; then
  cat "$err" >&2
  exit 1
fi
