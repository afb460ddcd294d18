import { describe, expect, test } from 'vitest';
import { healthFromCode, mapLastEvent, mapNodeRow, parseNotification } from '../../src/cluster/monitor.js';
import { mapProbe, mapReplication } from '../../src/cluster/probe.js';

describe('monitor row mapping', () => {
  test('health codes', () => {
    expect([healthFromCode(1), healthFromCode(0), healthFromCode(-1), healthFromCode(null)]).toEqual(['good', 'bad', 'unknown', 'unknown']);
  });

  test('current_state + node row', () => {
    const r = mapNodeRow({
      node_id: '2', group_id: 0, nodename: 'node2', nodehost: '127.0.0.1', nodeport: 5433,
      reported_state: 'secondary', assigned_state: 'secondary', candidate_priority: 90, replication_quorum: true,
      reported_tli: 1, reported_lsn: '0/4082578', health: 1, report_ms: 1700000000000, healthcheck_ms: null, reportedpgisrunning: true,
    });
    expect(r).toMatchObject({ nodeId: 2, name: 'node2', port: 5433, health: 'good', candidatePriority: 90, reportedLsn: '0/4082578', reportTime: 1700000000000, healthCheckTime: null });
  });

  test('state notification payload as the monitor sends it', () => {
    const payload = '{"type": "state", "formation": "default", "groupId": 0, "nodeId": 1, "name": "node1", "host": "127.0.0.1", "port": 15432, "reportedState": "primary", "goalState": "draining", "health":"good"}';
    const ev = parseNotification('state', payload, 42)!;
    expect(ev).toMatchObject({ at: 42, kind: 'state', nodeName: 'node1', nodeId: 1, reportedState: 'primary', goalState: 'draining' });
    expect(ev.text).toContain('draining');
  });

  test('log notifications are text; junk and other channels are ignored', () => {
    expect(parseNotification('log', 'Setting goal state', 1)).toMatchObject({ kind: 'log', text: 'Setting goal state' });
    expect(parseNotification('state', '{not json', 1)).toBeNull();
    expect(parseNotification('other', 'x', 1)).toBeNull();
    expect(parseNotification('log', undefined, 1)).toBeNull();
  });

  test('last_events rows', () => {
    const ev = mapLastEvent({ at: 5, nodeid: '3', nodename: 'node3', reportedstate: 'secondary', goalstate: 'secondary', description: 'New state' });
    expect(ev).toEqual({ at: 5, kind: 'log', nodeName: 'node3', nodeId: 3, reportedState: 'secondary', goalState: 'secondary', text: 'New state' });
  });
});

describe('node probe mapping', () => {
  test('primary: read-write with replication rows', () => {
    const p = mapProbe({
      in_recovery: false, read_only: 'off', lsn: '0/5000000', replay_ms: null,
      replication: [{ app: 'pgautofailover_standby_2', state: 'streaming', rb: '20', rs: 0.002 }],
    });
    expect(p.readWrite).toBe(true);
    expect(p.replication[0]).toEqual({ applicationName: 'pgautofailover_standby_2', nodeId: 2, state: 'streaming', replayLagBytes: 20, replayLagSeconds: 0.002 });
  });

  test('standby and read-only primary are not read-write', () => {
    expect(mapProbe({ in_recovery: true, read_only: 'on', lsn: '0/1', replication: [] }).readWrite).toBe(false);
    expect(mapProbe({ in_recovery: false, read_only: 'on', lsn: '0/1', replication: [] }).readWrite).toBe(false);
  });

  test('replication json may arrive as text', () => {
    expect(mapReplication('[{"app":"x","rb":1}]')[0]).toMatchObject({ nodeId: null, replayLagBytes: 1 });
    expect(mapReplication(null)).toEqual([]);
  });
});
