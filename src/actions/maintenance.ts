// Maintenance on/off through the monitor's SQL API, as `pg_autoctl enable|disable maintenance`
// does: start_maintenance(nodeid) / stop_maintenance(nodeid). On a primary the monitor fails over
// first (prepare_maintenance), so every backend gets the same behaviour.
import { connect, type Connect, type PgClient } from '../cluster/pg.js';
import type { ConnInfo } from '../cluster/types.js';
import { sleep } from '../lib/time.js';

/** States on the way into, in, or out of maintenance: the key's next press turns it off. */
const MAINTENANCE_STATES: ReadonlySet<string> = new Set(['wait_maintenance', 'maintenance', 'prepare_maintenance']);

export function inMaintenance(n: { reportedState: string; assignedState: string }): boolean {
  return MAINTENANCE_STATES.has(n.reportedState) || MAINTENANCE_STATES.has(n.assignedState);
}

async function nodeId(c: PgClient, formation: string, node: string): Promise<number> {
  const r = await c.query('SELECT nodeid FROM pgautofailover.node WHERE formationid = $1 AND nodename = $2', [formation, node]);
  if (r.rows.length === 0) throw new Error(`the monitor knows no node named "${node}"`);
  return Number(r.rows[0].nodeid);
}

/** Ask the monitor to put the node into maintenance (on) or take it out (off). */
export async function setMaintenance(monitor: ConnInfo, formation: string, node: string, on: boolean, connectTo: Connect = connect): Promise<void> {
  const c = await connectTo(monitor, { connectTimeoutMs: 2000, queryTimeoutMs: 10_000 });
  try {
    const id = await nodeId(c, formation, node);
    const fn = on ? 'start_maintenance' : 'stop_maintenance';
    const r = await c.query(`SELECT pgautofailover.${fn}($1::bigint) AS ok`, [id]);
    // false: the node went away between the lookup and the call.
    if (r.rows[0]?.ok !== true) throw new Error(`the monitor refused ${fn} for ${node}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface NodeStates {
  reportedState: string;
  assignedState: string;
}

/** Done when the node sits in maintenance (on), or is a secondary again (off). */
export function maintenanceSettled(n: NodeStates, on: boolean): boolean {
  const want = on ? 'maintenance' : 'secondary';
  return n.reportedState === want && n.assignedState === want;
}

/**
 * Poll the monitor until the node has settled, calling onChange with each new state pair.
 * Rejects after timeoutMs with the state it was stuck in.
 */
export async function waitForMaintenance(
  monitor: ConnInfo,
  formation: string,
  node: string,
  on: boolean,
  opts: { timeoutMs: number; onChange?: (s: NodeStates) => void; connect?: Connect },
): Promise<void> {
  const c = await (opts.connect ?? connect)(monitor, { connectTimeoutMs: 2000, queryTimeoutMs: 5000 });
  const until = Date.now() + opts.timeoutMs;
  let last = '';
  try {
    for (;;) {
      const r = await c.query(
        'SELECT current_group_state::text AS reported, assigned_group_state::text AS assigned FROM pgautofailover.current_state($1) WHERE nodename = $2',
        [formation, node],
      );
      const row = r.rows[0];
      if (row) {
        const s = { reportedState: String(row.reported), assignedState: String(row.assigned) };
        const key = `${s.reportedState}/${s.assignedState}`;
        if (key !== last) opts.onChange?.(s);
        last = key;
        if (maintenanceSettled(s, on)) return;
      }
      if (Date.now() > until) throw new Error(`${node} did not reach ${on ? 'maintenance' : 'secondary'} within ${opts.timeoutMs / 1000} s (now ${last || 'unknown'})`);
      await sleep(250);
    }
  } finally {
    await c.end().catch(() => undefined);
  }
}
