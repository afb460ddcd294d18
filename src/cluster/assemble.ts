// Pure snapshot assembly: monitor rows + node probes + events -> one ClusterSnapshot.
import { lsnDiff } from './lsn.js';
import type {
  BackendKind,
  ClusterEvent,
  ClusterSnapshot,
  MonitorNodeRow,
  MonitorStatus,
  NodeProbe,
  NodeSnapshot,
} from './types.js';

export interface AssembleInput {
  at: number;
  formation: string;
  backend: BackendKind;
  profile: string;
  monitor: MonitorStatus;
  /** Last rows the monitor gave (stale while it is unreachable). */
  rows: MonitorNodeRow[];
  /** Node name -> its latest probe. A node without a probe yet counts as not yet known. */
  probes: Record<string, NodeProbe>;
  events: ClusterEvent[];
}

const NOT_PROBED: NodeProbe = {
  reachable: false,
  unreachableSince: null,
  error: 'not probed yet',
  inRecovery: null,
  readWrite: null,
  lsn: null,
  replayTimestamp: null,
  replication: [],
};

/**
 * The primary is the node that itself reports read-write. The monitor's view is not enough: after
 * a kill it still says "primary" for a dead node until it notices, and a frozen old primary may
 * still think it is writable. When several nodes claim it, prefer the one the monitor assigns.
 */
export function pickPrimary(rows: MonitorNodeRow[], writable: string[]): string | null {
  if (writable.length === 0) return null;
  if (writable.length === 1) return writable[0] ?? null;
  const assigned = rows.find((r) => writable.includes(r.name) && r.assignedState === 'primary');
  return assigned?.name ?? null;
}

/**
 * Each group of a formation (several with Citus: the coordinator and each worker) has its own
 * primary, and its standbys lag behind that one. Split brain is two writable nodes in one group.
 */
export function assembleSnapshot(input: AssembleInput): ClusterSnapshot {
  const probeOf = (name: string): NodeProbe => input.probes[name] ?? NOT_PROBED;
  const groupIds = [...new Set(input.rows.map((r) => r.groupId))].sort((a, b) => a - b);
  const groups = groupIds.map((id) => {
    const members = input.rows.filter((r) => r.groupId === id);
    const writable = members.filter((r) => probeOf(r.name).readWrite === true).map((r) => r.name);
    return { id, writable, primary: pickPrimary(members, writable) };
  });
  const groupOf = (id: number) => groups.find((g) => g.id === id)!;

  // By group, then by name, not node id: ids follow registration order, which races when nodes start together.
  const rows = [...input.rows].sort((a, b) => a.groupId - b.groupId || a.name.localeCompare(b.name));
  const nodes: NodeSnapshot[] = rows.map((row) => {
    const probe = probeOf(row.name);
    const primaryName = groupOf(row.groupId).primary;
    const primaryProbe = primaryName ? probeOf(primaryName) : null;
    let lagBytes: number | null = null;
    let lagSeconds: number | null = null;
    if (row.name === primaryName) {
      lagBytes = 0;
      lagSeconds = 0;
    } else if (primaryProbe) {
      const rep = primaryProbe.replication.find((r) => r.nodeId === row.nodeId);
      if (rep) {
        lagBytes = rep.replayLagBytes;
        // Postgres clears replay_lag once an idle standby has caught up: no lag, not unknown.
        lagSeconds = rep.replayLagSeconds ?? (rep.replayLagBytes === 0 ? 0 : null);
      } else if (probe.reachable) {
        // Not streaming (restarting, rewinding): the LSN distance is still a fair lag figure.
        lagBytes = lsnDiff(primaryProbe.lsn, probe.lsn);
      }
    }
    return { ...row, probe, lagBytes, lagSeconds };
  });

  return {
    at: input.at,
    formation: input.formation,
    backend: input.backend,
    profile: input.profile,
    monitor: input.monitor,
    nodes,
    primary: groups[0]?.primary ?? null,
    // One group: every writable node. Several: only those of a group with more than one, since
    // each group's own primary is writable by design.
    writableNodes: groups.length <= 1 ? (groups[0]?.writable ?? []) : groups.flatMap((g) => (g.writable.length > 1 ? g.writable : [])),
    ...(groups.length > 1 ? { groupPrimaries: Object.fromEntries(groups.map((g) => [g.id, g.primary])) } : {}),
    events: input.events,
  };
}
