// What a node lets a client do, from what the node itself says. "Out of recovery" is not
// "writable": pg_auto_failover promotes a standby in stop_replication with
// default_transaction_read_only on, and lifts it only in wait_primary, once the old primary has
// had primary_demote_timeout to shut itself down. Until then the new primary refuses writes.
import type { NodeProbe } from './types.js';

export type Access = 'read-write' | 'read-only' | 'promoted-read-only' | 'down' | 'unknown';

export function nodeAccess(probe: Pick<NodeProbe, 'reachable' | 'inRecovery' | 'readWrite'>): Access {
  if (!probe.reachable) return 'down';
  if (probe.readWrite === null) return 'unknown';
  if (probe.readWrite) return 'read-write';
  return probe.inRecovery === false ? 'promoted-read-only' : 'read-only';
}

/** Nodes promoted but still holding writes back, by name. */
export function writesHeld(nodes: ReadonlyArray<{ name: string; probe: NodeProbe }>): string[] {
  return nodes.filter((n) => nodeAccess(n.probe) === 'promoted-read-only').map((n) => n.name);
}
