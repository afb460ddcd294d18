// What a node says about itself. One query per node per tick; on a primary it also carries
// pg_stat_replication so lag needs no second round trip.
import { standbyNodeId } from './lsn.js';
import type { PgClient } from './pg.js';
import type { NodeProbe, ReplicationRow } from './types.js';

export const PROBE_SQL = `
SELECT pg_is_in_recovery() AS in_recovery,
       current_setting('transaction_read_only') AS read_only,
       (CASE WHEN pg_is_in_recovery()
             THEN coalesce(pg_last_wal_replay_lsn(), pg_last_wal_receive_lsn())
             ELSE pg_current_wal_lsn() END)::text AS lsn,
       (extract(epoch FROM pg_last_xact_replay_timestamp()) * 1000)::float8 AS replay_ms,
       (SELECT coalesce(json_agg(json_build_object(
                 'app', application_name, 'state', state,
                 'rb', pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn),
                 'rs', extract(epoch FROM replay_lag))), '[]'::json)
          FROM pg_stat_replication WHERE NOT pg_is_in_recovery()) AS replication`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function mapReplication(raw: unknown): ReplicationRow[] {
  const list = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (!Array.isArray(list)) return [];
  return list.map((r: Record<string, unknown>) => ({
    applicationName: String(r.app ?? ''),
    nodeId: standbyNodeId(String(r.app ?? '')),
    state: String(r.state ?? ''),
    replayLagBytes: num(r.rb),
    replayLagSeconds: num(r.rs),
  }));
}

export function mapProbe(r: Record<string, unknown>): NodeProbe {
  const inRecovery = Boolean(r.in_recovery);
  return {
    reachable: true,
    unreachableSince: null,
    error: null,
    inRecovery,
    readWrite: !inRecovery && r.read_only !== 'on',
    lsn: r.lsn == null ? null : String(r.lsn),
    replayTimestamp: num(r.replay_ms),
    replication: mapReplication(r.replication),
  };
}

export function unreachableProbe(since: number, error: string): NodeProbe {
  return {
    reachable: false,
    unreachableSince: since,
    error,
    inRecovery: null,
    readWrite: null,
    lsn: null,
    replayTimestamp: null,
    replication: [],
  };
}

export async function probeNode(client: PgClient): Promise<NodeProbe> {
  const res = await client.query(PROBE_SQL);
  const row = res.rows[0];
  if (!row) throw new Error('probe returned no row');
  return mapProbe(row);
}
