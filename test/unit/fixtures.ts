import type { MonitorNodeRow, NodeProbe, ReplicationRow } from '../../src/cluster/types.js';

export function row(name: string, nodeId: number, over: Partial<MonitorNodeRow> = {}): MonitorNodeRow {
  return {
    nodeId,
    groupId: 0,
    name,
    host: '127.0.0.1',
    port: 5431 + nodeId,
    reportedState: 'secondary',
    assignedState: 'secondary',
    health: 'good',
    candidatePriority: 110 - nodeId * 10,
    replicationQuorum: true,
    reportedTli: 1,
    reportedLsn: '0/3000000',
    reportTime: 1_000,
    healthCheckTime: 1_000,
    reportedPgIsRunning: true,
    ...over,
  };
}

export function rep(nodeId: number, over: Partial<ReplicationRow> = {}): ReplicationRow {
  return {
    applicationName: `pgautofailover_standby_${nodeId}`,
    nodeId,
    state: 'streaming',
    replayLagBytes: 0,
    replayLagSeconds: null,
    ...over,
  };
}

export function probe(over: Partial<NodeProbe> = {}): NodeProbe {
  return {
    reachable: true,
    unreachableSince: null,
    error: null,
    inRecovery: true,
    readWrite: false,
    lsn: '0/3000000',
    replayTimestamp: null,
    replication: [],
    ...over,
  };
}
