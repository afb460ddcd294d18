// The shape `pgha-tui status --json` prints: stable field names for scripts and CI.
import { nodeAccess, type Access } from './access.js';
import { uriOf } from './conn-uri.js';
import type { ClusterSnapshot, Endpoints } from './types.js';

export interface StatusJson {
  /** Where the lab lives (lab dir, compose project) and whether it runs. */
  lab?: string;
  labState?: string;
  backend?: string;
  /** The monitor's URI without a password: what `--monitor` takes. */
  monitorUri: string;
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
    /** readWrite with the reason a node refuses writes: a standby, or promoted but held. */
    access: Access;
    lsn: string | null;
    lagBytes: number | null;
    lagSeconds: number | null;
    candidatePriority: number;
  }>;
}

export function statusJson(snap: ClusterSnapshot, endpoints: Endpoints, lab?: { where: string; state: string }): StatusJson {
  return {
    ...(lab ? { lab: lab.where, labState: lab.state } : {}),
    backend: snap.backend,
    monitorUri: uriOf(endpoints.monitor),
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
      access: nodeAccess(n.probe),
      lsn: n.probe.lsn ?? n.reportedLsn,
      lagBytes: n.lagBytes,
      lagSeconds: n.lagSeconds,
      candidatePriority: n.candidatePriority,
    })),
  };
}
