#!/bin/bash
# Controlled failover through the monitor's SQL API. Run inside pgaf-monitor (installed as
# /opt/pgaf/perform-failover.sh), as root (docker compose exec default) or postgres:
#   docker compose --env-file .env.test exec pgaf-monitor bash /opt/pgaf/perform-failover.sh
# Options: --formation NAME (default "default"), --group N (default 0), --wait SECONDS (default 60).
# The monitor picks the standby with the highest candidate priority (then the most advanced LSN).
#
# Not `pg_autoctl perform failover`: run against the monitor's own PGDATA, pg_autoctl 2.0 prints
# "ERROR Monitor ERROR: invalid input syntax for type integer" and "WARN Failed to get_nodes()"
# while it waits, even when all goes well. Here a healthy lab prints only what happened, and a
# failover the monitor refuses or that does not finish in time exits non-zero with the reason.
set -euo pipefail
. /opt/pgaf/lib.sh

formation=default group=0 wait=60
while [ $# -gt 0 ]; do
  case "$1" in
    --formation) formation=${2:?--formation needs a name}; shift 2 ;;
    --group) group=${2:?--group needs a number}; shift 2 ;;
    --wait) wait=${2:?--wait needs seconds}; shift 2 ;;
    *) die "unknown option $1 (options: --formation NAME, --group N, --wait SECONDS)" ;;
  esac
done
[[ "$group" =~ ^[0-9]+$ ]] || die "--group $group: expected a number"
[[ "$wait" =~ ^[0-9]+$ ]] || die "--wait $wait: expected seconds"

monitor_sql() {
  as_postgres psql -X -q -At -h "$PGAF_SOCKET_DIR" -p "$PGPORT" -U postgres \
    -d pg_auto_failover -v ON_ERROR_STOP=1 -v formation="$formation" -v group="$group" "$@"
}

# The node that is primary now, reported and assigned.
primary() {
  monitor_sql <<'SQL'
SELECT nodename FROM pgautofailover.current_state(:'formation', :'group')
 WHERE current_group_state = 'primary' AND assigned_group_state = 'primary'
SQL
}

old=$(primary) || die "the monitor does not answer"
[ -n "$old" ] || die "no node of formation $formation group $group is primary right now: nothing to fail over"
if ! out=$(monitor_sql 2>&1 <<'SQL'
SELECT pgautofailover.perform_failover(:'formation', :'group')
SQL
); then
  die "the monitor refused the failover: $(printf '%s\n' "$out" | sed -n 's/^.*ERROR: *//p' | head -1)"
fi
log "failover of $old requested; waiting up to $wait s for a new primary"
t0=$SECONDS
while :; do
  new=$(primary 2>/dev/null || true)
  if [ -n "$new" ] && [ "$new" != "$old" ]; then
    log "$new is the new primary after $((SECONDS - t0)) s"
    exit 0
  fi
  [ $((SECONDS - t0)) -lt "$wait" ] || die "no new primary after $wait s (see show-state.sh)"
  sleep 1
done
