// Old primaries that do not come back. A rejoin normally takes seconds (rewind, catch up), but
// pg_auto_failover 2.0 can leave a node in catchingup or demoted for good after a fast_forward
// failover (README Troubleshooting). The console names such a node once it has been rejoining for
// longer than any healthy rejoin here, so nobody waits on it in silence.
import type { ClusterSnapshot } from './types.js';

const REJOINING = new Set(['demote_timeout', 'demoted', 'catchingup']);

/** Longer than any rejoin measured on these labs (seconds), short enough to be worth saying. */
export const STUCK_AFTER_MS = 120_000;

/** When each node began its current rejoin; carried from snapshot to snapshot. */
export function trackRejoins(prev: ReadonlyMap<string, number>, snap: ClusterSnapshot): Map<string, number> {
  const next = new Map<string, number>();
  for (const n of snap.nodes) {
    if (REJOINING.has(n.reportedState)) next.set(n.name, prev.get(n.name) ?? snap.at);
  }
  return next;
}

export interface StuckRejoin {
  node: string;
  state: string;
  sinceMs: number;
}

/** Nodes rejoining for longer than `afterMs` while another node is the primary and the monitor answers. */
export function stuckRejoins(since: ReadonlyMap<string, number>, snap: ClusterSnapshot, nowMs: number, afterMs = STUCK_AFTER_MS): StuckRejoin[] {
  if (!snap.monitor.reachable || !snap.primary) return [];
  return snap.nodes
    .filter((n) => n.name !== snap.primary && since.has(n.name) && nowMs - since.get(n.name)! >= afterMs)
    .map((n) => ({ node: n.name, state: n.reportedState, sinceMs: since.get(n.name)! }));
}
