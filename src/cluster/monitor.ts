// The monitor's SQL API (database pg_auto_failover). Row mapping is pure and unit-tested.
import type { PgClient } from './pg.js';
import type { ClusterEvent, Health, MonitorNodeRow } from './types.js';

export const NODES_SQL = `
SELECT cs.node_id, cs.group_id, cs.nodename, cs.nodehost, cs.nodeport,
       cs.current_group_state::text AS reported_state, cs.assigned_group_state::text AS assigned_state,
       cs.candidate_priority, cs.replication_quorum, cs.reported_tli, cs.reported_lsn::text AS reported_lsn,
       cs.health,
       (extract(epoch FROM n.reporttime) * 1000)::float8 AS report_ms,
       (extract(epoch FROM n.healthchecktime) * 1000)::float8 AS healthcheck_ms,
       n.reportedpgisrunning
  FROM pgautofailover.current_state($1) cs
  JOIN pgautofailover.node n ON n.nodeid = cs.node_id
 ORDER BY cs.node_id`;

export const LAST_EVENTS_SQL = `
SELECT (extract(epoch FROM eventtime) * 1000)::float8 AS at, nodeid, nodename,
       reportedstate::text AS reportedstate, goalstate::text AS goalstate, description
  FROM pgautofailover.last_events($1::text, count => $2::int)
 ORDER BY eventid`;

export function healthFromCode(code: number | null | undefined): Health {
  if (code === 1) return 'good';
  if (code === 0) return 'bad';
  return 'unknown';
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function mapNodeRow(r: Record<string, unknown>): MonitorNodeRow {
  return {
    nodeId: Number(r.node_id),
    groupId: Number(r.group_id),
    name: String(r.nodename),
    host: String(r.nodehost),
    port: Number(r.nodeport),
    reportedState: String(r.reported_state),
    assignedState: String(r.assigned_state),
    health: healthFromCode(num(r.health)),
    candidatePriority: Number(r.candidate_priority),
    replicationQuorum: Boolean(r.replication_quorum),
    reportedTli: num(r.reported_tli),
    reportedLsn: r.reported_lsn == null ? null : String(r.reported_lsn),
    reportTime: num(r.report_ms),
    healthCheckTime: num(r.healthcheck_ms),
    reportedPgIsRunning: r.reportedpgisrunning == null ? null : Boolean(r.reportedpgisrunning),
  };
}

export function mapLastEvent(r: Record<string, unknown>): ClusterEvent {
  return {
    at: Number(r.at),
    kind: 'log',
    nodeName: r.nodename == null ? null : String(r.nodename),
    nodeId: num(r.nodeid),
    reportedState: r.reportedstate == null ? null : String(r.reportedstate),
    goalState: r.goalstate == null ? null : String(r.goalstate),
    text: String(r.description ?? ''),
  };
}

/** Parse a NOTIFY on channel `state` (JSON) or `log` (text) into an event; null if malformed. */
export function parseNotification(channel: string, payload: string | undefined, at: number): ClusterEvent | null {
  if (payload === undefined) return null;
  if (channel === 'log') {
    return { at, kind: 'log', nodeName: null, nodeId: null, reportedState: null, goalState: null, text: payload };
  }
  if (channel !== 'state') return null;
  try {
    const p = JSON.parse(payload) as Record<string, unknown>;
    const name = p.name == null ? null : String(p.name);
    const reported = p.reportedState == null ? null : String(p.reportedState);
    const goal = p.goalState == null ? null : String(p.goalState);
    return {
      at,
      kind: 'state',
      nodeName: name,
      nodeId: num(p.nodeId),
      reportedState: reported,
      goalState: goal,
      health: p.health == null ? null : String(p.health),
      text: `${name ?? '?'} ${reported ?? '?'} -> ${goal ?? '?'} (health ${String(p.health ?? '?')})`,
    };
  } catch {
    return null;
  }
}

export async function fetchNodes(client: PgClient, formation: string): Promise<MonitorNodeRow[]> {
  const res = await client.query(NODES_SQL, [formation]);
  return res.rows.map(mapNodeRow);
}


export async function fetchLastEvents(client: PgClient, formation: string, count: number): Promise<ClusterEvent[]> {
  const res = await client.query(LAST_EVENTS_SQL, [formation, count]);
  return res.rows.map(mapLastEvent);
}

export async function performFailover(client: PgClient, formation: string, group = 0): Promise<void> {
  await client.query('SELECT pgautofailover.perform_failover($1, $2)', [formation, group]);
}

/** perform_promotion: false when the node is already the primary (the monitor says so in a NOTICE). */
export async function performPromotion(client: PgClient, formation: string, node: string): Promise<boolean> {
  const res = await client.query<{ started: boolean }>('SELECT pgautofailover.perform_promotion($1, $2) AS started', [formation, node]);
  return res.rows[0]?.started === true;
}

export interface FormationRow {
  formation: string;
  kind: string;
  /** The database the formation's nodes serve (what `pg_autoctl show uri --formation` names). */
  dbname: string;
}

export async function fetchFormations(client: PgClient): Promise<FormationRow[]> {
  const res = await client.query<FormationRow>('SELECT formationid AS formation, kind::text AS kind, dbname::text AS dbname FROM pgautofailover.formation ORDER BY formationid');
  return res.rows;
}
