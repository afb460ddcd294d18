// Fake snapshots for UI tests: a healthy 1 primary + 2 secondaries cluster, and small
// transformations for the failure cases. Plain data, like the real poller produces.
import type { ClusterEvent, ClusterSnapshot, NodeProbe, NodeSnapshot } from '../../src/cluster/types.js';

/** A fixed local time (12:00:30) so clocks and ages are deterministic. */
export const NOW = new Date(2024, 0, 15, 12, 0, 30).getTime();

function probe(overrides: Partial<NodeProbe> = {}): NodeProbe {
  return {
    reachable: true,
    unreachableSince: null,
    error: null,
    inRecovery: true,
    readWrite: false,
    lsn: null,
    replayTimestamp: null,
    replication: [],
    ...overrides,
  };
}

export function primaryNode(overrides: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    nodeId: 1,
    groupId: 0,
    name: 'node1',
    host: '127.0.0.1',
    port: 5501,
    reportedState: 'primary',
    assignedState: 'primary',
    health: 'good',
    candidatePriority: 50,
    replicationQuorum: true,
    reportedTli: 1,
    reportedLsn: '0/3000148',
    reportTime: NOW - 1_000,
    healthCheckTime: NOW - 2_000,
    reportedPgIsRunning: true,
    probe: probe({ inRecovery: false, readWrite: true, lsn: '0/30001F0' }),
    lagBytes: 0,
    lagSeconds: 0,
    ...overrides,
  };
}

export function secondaryNode(id: number, overrides: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    ...primaryNode(),
    nodeId: id,
    name: `node${id}`,
    port: 5500 + id,
    reportedState: 'secondary',
    assignedState: 'secondary',
    reportedLsn: '0/3000100',
    reportTime: NOW - 3_000,
    probe: probe({ lsn: '0/3000100' }),
    lagBytes: 1536,
    lagSeconds: 0.0123,
    ...overrides,
  };
}

export function stateEvent(at: number, nodeName: string, reportedState: string, text: string): ClusterEvent {
  return { at, kind: 'state', nodeName, nodeId: Number(nodeName.replace(/\D/g, '')) || null, reportedState, goalState: reportedState, text };
}

/** A row of pgautofailover.last_events: the node, its states and the monitor's sentence. */
export function eventRow(at: number, nodeName: string, reportedState: string, goalState: string, text: string): ClusterEvent {
  return { at, kind: 'log', nodeName, nodeId: Number(nodeName.replace(/\D/g, '')) || null, reportedState, goalState, text };
}

export function healthySnapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    at: NOW,
    formation: 'default',
    backend: 'local',
    profile: 'default',
    monitor: { reachable: true, unreachableSince: null, error: null },
    nodes: [primaryNode(), secondaryNode(2), secondaryNode(3)],
    primary: 'node1',
    writableNodes: ['node1'],
    events: [
      eventRow(NOW - 20_000, 'node1', 'wait_primary', 'primary', 'Setting goal state of node 1 "node1" (127.0.0.1:5432) to primary now that we have 2 healthy  secondary nodes in the quorum.'),
      eventRow(NOW - 10_000, 'node2', 'secondary', 'secondary', 'New state is reported by node 2 "node2" (127.0.0.1:5433): "secondary"'),
    ],
    ...overrides,
  };
}

export function monitorDown(snap: ClusterSnapshot, error: string, since: number): ClusterSnapshot {
  return { ...snap, monitor: { reachable: false, unreachableSince: since, error } };
}

/** The node stops answering; the monitor still shows its last report. */
export function nodeDown(snap: ClusterSnapshot, name: string, since: number): ClusterSnapshot {
  const nodes = snap.nodes.map((n) =>
    n.name === name
      ? { ...n, probe: probe({ reachable: false, unreachableSince: since, error: 'connection refused', inRecovery: null, readWrite: null }), lagBytes: null, lagSeconds: null }
      : n,
  );
  const writableNodes = snap.writableNodes.filter((w) => w !== name);
  return { ...snap, nodes, writableNodes, primary: writableNodes.length === 1 ? (writableNodes[0] ?? null) : null };
}

/** A second node also says it is read-write. */
export function splitBrain(snap: ClusterSnapshot, name: string): ClusterSnapshot {
  const nodes = snap.nodes.map((n) => (n.name === name ? { ...n, probe: { ...n.probe, inRecovery: false, readWrite: true } } : n));
  return { ...snap, nodes, writableNodes: [...snap.writableNodes, name] };
}
