// The shape `pgha-tui status --json` prints: stable field names for scripts and CI.
import type { ClusterSnapshot, Endpoints } from './types.js';

export interface StatusJson {
  formation: string;
  primary: string | null;
  monitorReachable: boolean;
  nodes: Array<{
    name: string;
    port: number;
    reportedState: string;
    assignedState: string;
    health: string;
    readWrite: boolean | null;
    lsn: string | null;
    lagBytes: number | null;
    lagSeconds: number | null;
    candidatePriority: number;
  }>;
}

export function statusJson(snap: ClusterSnapshot, endpoints: Endpoints): StatusJson {
  return {
    formation: snap.formation,
    primary: snap.primary,
    monitorReachable: snap.monitor.reachable,
    nodes: snap.nodes.map((n) => ({
      name: n.name,
      port: endpoints.nodes[n.name]?.port ?? n.port,
      reportedState: n.reportedState,
      assignedState: n.assignedState,
      health: n.health,
      readWrite: n.probe.readWrite,
      lsn: n.probe.lsn ?? n.reportedLsn,
      lagBytes: n.lagBytes,
      lagSeconds: n.lagSeconds,
      candidatePriority: n.candidatePriority,
    })),
  };
}
