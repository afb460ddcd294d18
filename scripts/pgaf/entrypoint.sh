#!/bin/bash
# Entrypoint of the pgaf image (compose/Dockerfile), for the monitor and for the data nodes.
# PGAF_ROLE=monitor|node selects the part; everything else comes from the environment that
# compose/docker-compose.yml sets. Runs as root (PID 1), prepares the container, then runs
# pg_autoctl as the postgres user and stays its parent: it forwards stop signals and exits with
# pg_autoctl's status.
#
# Node start order does not matter: every node runs the same `pg_autoctl create postgres`; the
# monitor makes the first one to register the primary (single -> wait_primary -> primary) and the
# others its standbys. bootstrap-db.sh (background) loads the dataset on whichever node becomes
# writable first, once, decided inside the database under an advisory lock.
#
# Container restart trap (docker kill + docker start): pg_autoctl's pid file lives in
# XDG_RUNTIME_DIR=/run/pgaf, a tmpfs (empty on every start); it is also removed here, together with
# PostgreSQL's postmaster.pid and socket lock files, which a killed container leaves behind and
# whose recorded pids may belong to an unrelated process of the new container.
set -Eeuo pipefail
. /opt/pgaf/lib.sh

# `docker run IMAGE bash` and the like: run the command as given.
if [ $# -gt 0 ] && [ "$1" != monitor ] && [ "$1" != node ]; then exec "$@"; fi
PGAF_ROLE=${1:-${PGAF_ROLE:-}}
export PGAF_ROLE
case "$PGAF_ROLE" in monitor | node) ;; *) die "PGAF_ROLE must be monitor or node (got '${PGAF_ROLE}')" ;; esac
: "${PGDATA:?PGDATA must be set}" "${PGPORT:?PGPORT must be set}"
: "${XDG_CONFIG_HOME:?}" "${XDG_DATA_HOME:?}" "${XDG_RUNTIME_DIR:?}"

prepare_runtime() {
  local d
  for d in "$XDG_RUNTIME_DIR" "$PGAF_SOCKET_DIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$(dirname "$PGDATA")"; do
    mkdir -p "$d"
    chown "$PGAF_USER:$PGAF_USER" "$d"
  done
  chmod 0700 "$XDG_RUNTIME_DIR"
  chmod 2775 "$PGAF_SOCKET_DIR"
  # Nothing of ours runs yet in this fresh container start, so every pid file is stale.
  if [ -d "$XDG_RUNTIME_DIR/pg_autoctl" ]; then
    log "removing stale pg_autoctl runtime files: $(find "$XDG_RUNTIME_DIR/pg_autoctl" -type f | tr '\n' ' ')"
    rm -rf "$XDG_RUNTIME_DIR/pg_autoctl"
  fi
  if [ -f "$PGDATA/postmaster.pid" ]; then
    log "removing stale $PGDATA/postmaster.pid (container was not stopped cleanly)"
    rm -f "$PGDATA/postmaster.pid"
  fi
  rm -f "$PGAF_SOCKET_DIR"/.s.PGSQL.*
}

# The node's pg_autoctl runs with PGOPTIONS='-c log_statement=none' (see main), also for its
# connections to the monitor as autoctl_node, which therefore needs SET on log_statement
# (granted by the monitor's maintain loop). Wait for that, not just for the monitor to answer.
wait_for_monitor() {
  local t0=$SECONDS next=0
  until [ "$(PGCONNECT_TIMEOUT=3 psql -X -q -At "$PGAF_MONITOR_URI" \
    -c "SELECT has_parameter_privilege('log_statement', 'SET') FROM pgautofailover.formation LIMIT 1" 2>/dev/null)" = t ]; do
    if [ $((SECONDS - t0)) -ge "$next" ]; then
      log "waiting for the monitor ($PGAF_MONITOR_URI) ... $((SECONDS - t0)) s"
      next=$((next + 15))
    fi
    sleep 1
  done
  log "monitor answers after $((SECONDS - t0)) s"
}

# Background: keep pg_hba.conf / lab.conf installed in PGDATA (PGDATA appears only after
# pg_autoctl's initdb or pg_basebackup), reload on change; on a node, hurry the checkpoint a
# standby's pg_basebackup waits for; on the monitor, set the superuser's password once the
# server answers.
maintain() {
  local pw_done=0 i=0
  while :; do
    if install_config; then reload_postgres; fi
    if [ "$PGAF_ROLE" = node ] && pg_ready; then hurry_basebackup_checkpoint; fi
    if [ "$PGAF_ROLE" = monitor ] && [ $pw_done = 0 ] && pg_ready &&
      [ "$(local_psql -d pg_auto_failover -Atc "SELECT count(*) FROM pg_extension WHERE extname = 'pgautofailover'" 2>/dev/null)" = 1 ]; then
      if set_superuser_password pg_auto_failover &&
        local_psql -d pg_auto_failover -c 'GRANT SET ON PARAMETER log_statement TO autoctl_node' >/dev/null; then
        pw_done=1
        log "monitor: postgres superuser password set; autoctl_node may SET log_statement"
      fi
    fi
    i=$((i + 1))
    if [ $i -lt 300 ]; then sleep 0.5; else sleep 3; fi
  done
}

# Fills the global array ARGS with pg_autoctl's arguments.
pgautoctl_args() {
  local init_file="$XDG_DATA_HOME/pg_autoctl$PGDATA/pg_autoctl.init"
  if pgautoctl_configured && [ ! -f "$init_file" ]; then
    ARGS=(run --pgdata "$PGDATA")
    return
  fi
  # First start, or a `create` that was interrupted (its .init file remains): create (again),
  # which continues where it stopped, then run.
  if [ "$PGAF_ROLE" = monitor ]; then
    ARGS=(create monitor --pgdata "$PGDATA" --pgport "$PGPORT" --hostname "${PGAF_HOSTNAME:?}"
      --no-ssl --skip-pg-hba --run)
  else
    ARGS=(create postgres --pgdata "$PGDATA" --pgport "$PGPORT" --listen '*'
      --hostname "${PGAF_HOSTNAME:?}" --name "${PGAF_NAME:?}" --formation "${PGAF_FORMATION:-default}"
      --monitor "${PGAF_MONITOR_URI:?}" --dbname "${PGAF_DBNAME:-healthcare_db}"
      --candidate-priority "${PGAF_CANDIDATE_PRIORITY:-50}" --replication-quorum "${PGAF_REPLICATION_QUORUM:-true}"
      --no-ssl --skip-pg-hba --run)
  fi
}

child=
bg_pids=()
on_signal() {
  if [ -z "$child" ]; then
    log "received $1 before pg_autoctl started: exiting"
    kill "${bg_pids[@]}" 2>/dev/null || true
    exit 143
  fi
  log "received $1: stopping pg_autoctl (fast shutdown)"
  kill -INT "$child" 2>/dev/null || true
}

main() {
  log "starting ($(pg_autoctl --version 2>/dev/null | head -1); PGDATA=$PGDATA port $PGPORT)"
  # PID 1 ignores signals it has no handler for: install ours first.
  trap 'on_signal SIGTERM' TERM
  trap 'on_signal SIGINT' INT
  prepare_runtime
  render_config
  install_config || true
  maintain &
  bg_pids+=($!)
  if [ "$PGAF_ROLE" = node ]; then
    wait_for_monitor
    /opt/pgaf/bootstrap-db.sh &
    bg_pids+=($!)
  fi
  local ARGS=()
  pgautoctl_args
  log "running: pg_autoctl ${ARGS[*]}"
  # A plain background command (no function, no subshell): $! is setpriv's pid, which execs
  # pg_autoctl, so the stop signal forwarded to $child reaches pg_autoctl itself.
  local pgopts=${PGOPTIONS:-}
  if [ "$PGAF_ROLE" = node ]; then
    # Keep pg_autoctl's own statements (about 2 per second) out of the log when LOG_LEVEL=all:
    # they would bury everything else. Only the node's keeper gets this; the monitor must not
    # (its postgres would inherit it for the health checks it runs as a non-superuser).
    pgopts='-c log_statement=none'
  fi
  HOME=/var/lib/postgresql USER=$PGAF_USER LOGNAME=$PGAF_USER PGOPTIONS=$pgopts \
    setpriv --reuid="$PGAF_USER" --regid="$PGAF_USER" --init-groups -- pg_autoctl "${ARGS[@]}" &
  child=$!
  local rc=0
  while :; do
    set +e
    wait "$child"
    rc=$?
    set -e
    kill -0 "$child" 2>/dev/null || break # still alive: wait was interrupted by a signal
  done
  log "pg_autoctl exited with status $rc"
  kill "${bg_pids[@]}" 2>/dev/null || true
  exit "$rc"
}

main "$@"
