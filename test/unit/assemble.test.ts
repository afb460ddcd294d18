import { describe, expect, test } from 'vitest';
import { assembleSnapshot, pickPrimary, type AssembleInput } from '../../src/cluster/assemble.js';
import { statusJson } from '../../src/cluster/status.js';
import { probe, rep, row } from './fixtures.js';

function input(over: Partial<AssembleInput> = {}): AssembleInput {
  return {
    at: 5_000,
    formation: 'default',
    backend: 'local',
    profile: 'default',
    monitor: { reachable: true, unreachableSince: null, error: null },
    rows: [
      row('node1', 1, { reportedState: 'primary', assignedState: 'primary' }),
      row('node2', 2),
      row('node3', 3),
    ],
    probes: {
      node1: probe({
        inRecovery: false,
        readWrite: true,
        lsn: '0/3000100',
        replication: [rep(2, { replayLagBytes: 256, replayLagSeconds: 0.004 }), rep(3)],
      }),
      node2: probe({ lsn: '0/3000000' }),
      node3: probe({ lsn: '0/3000100' }),
    },
    events: [],
    ...over,
  };
}

describe('snapshot assembly', () => {
  test('primary is the node that reports read-write, with lag 0', () => {
    const s = assembleSnapshot(input());
    expect(s.primary).toBe('node1');
    expect(s.writableNodes).toEqual(['node1']);
    const n1 = s.nodes.find((n) => n.name === 'node1')!;
    expect([n1.lagBytes, n1.lagSeconds]).toEqual([0, 0]);
  });

  test('standby lag comes from the primary’s pg_stat_replication, matched by node id', () => {
    const s = assembleSnapshot(input());
    const n2 = s.nodes.find((n) => n.name === 'node2')!;
    expect(n2.lagBytes).toBe(256);
    expect(n2.lagSeconds).toBeCloseTo(0.004);
  });

  test('an idle caught-up standby has lag 0 s, not unknown', () => {
    const n3 = assembleSnapshot(input()).nodes.find((n) => n.name === 'node3')!;
    expect(n3.lagBytes).toBe(0);
    expect(n3.lagSeconds).toBe(0);
  });

  test('a reachable standby that is not streaming gets the LSN distance as lag', () => {
    const base = input();
    base.probes.node1!.replication = [rep(3)];
    const n2 = assembleSnapshot(base).nodes.find((n) => n.name === 'node2')!;
    expect(n2.lagBytes).toBe(0x100);
    expect(n2.lagSeconds).toBeNull();
  });

  test('no writable node: no primary, lag unknown', () => {
    const base = input();
    base.probes.node1 = probe({ reachable: false, readWrite: null, inRecovery: null, lsn: null, unreachableSince: 1, error: 'refused' });
    const s = assembleSnapshot(base);
    expect(s.primary).toBeNull();
    expect(s.nodes.find((n) => n.name === 'node2')!.lagBytes).toBeNull();
  });

  test('two writable nodes are reported; the monitor’s assigned primary wins', () => {
    const base = input();
    base.probes.node2 = probe({ inRecovery: false, readWrite: true });
    const s = assembleSnapshot(base);
    expect(s.writableNodes).toEqual(['node1', 'node2']);
    expect(s.primary).toBe('node1');
    expect(pickPrimary(base.rows, ['node2', 'node3'])).toBeNull();
  });

  test('a node without a probe yet is shown as not probed, never throws', () => {
    const base = input({ probes: {} });
    const s = assembleSnapshot(base);
    expect(s.nodes).toHaveLength(3);
    expect(s.nodes.every((n) => n.probe.reachable === false)).toBe(true);
    expect(s.primary).toBeNull();
  });

  test('monitor status is carried through', () => {
    const s = assembleSnapshot(input({ monitor: { reachable: false, unreachableSince: 3, error: 'refused' } }));
    expect(s.monitor).toEqual({ reachable: false, unreachableSince: 3, error: 'refused' });
  });

  test('status --json shape uses endpoint ports and the node-reported role', () => {
    const s = assembleSnapshot(input());
    const ep = { monitor: { host: 'h', port: 1, user: 'u', database: 'd' }, monitorAdmin: { host: 'h', port: 1, user: 'u', database: 'd' }, nodes: { node1: { host: 'h', port: 6001, user: 'u', database: 'd' } } };
    const j = statusJson(s, ep);
    expect(j).toMatchObject({ formation: 'default', primary: 'node1', monitorReachable: true });
    expect(j.nodes[0]).toEqual({
      name: 'node1', port: 6001, reportedState: 'primary', assignedState: 'primary', health: 'good',
      readWrite: true, access: 'read-write', lsn: '0/3000100', lagBytes: 0, lagSeconds: 0, candidatePriority: 100,
    });
    expect(j.nodes[1]!.port).toBe(5433);
    expect(j.nodes[1]!.access).toBe('read-only');
    expect(j).not.toHaveProperty('lab');
    expect(statusJson(s, ep, { where: '/l', state: 'stopped' })).toMatchObject({ lab: '/l', labState: 'stopped' });
  });

  test('a promoted node that still refuses writes is no primary, and says why in access', () => {
    const base = input();
    // node1 killed; node2 promoted in stop_replication: out of recovery, default_transaction_read_only on
    base.probes.node1 = probe({ reachable: false, readWrite: null, inRecovery: null, lsn: null, unreachableSince: 1, error: 'refused' });
    base.probes.node2 = probe({ inRecovery: false, readWrite: false });
    const s = assembleSnapshot(base);
    expect(s.primary).toBeNull();
    const ep = { monitor: { host: 'h', port: 1, user: 'u', database: 'd' }, monitorAdmin: { host: 'h', port: 1, user: 'u', database: 'd' }, nodes: {} };
    expect(statusJson(s, ep).nodes.map((n) => n.access)).toEqual(['down', 'promoted-read-only', 'read-only']);
  });
});
