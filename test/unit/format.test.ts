import { describe, expect, it } from 'vitest';
import { nodeAccess } from '../../src/cluster/access.js';
import type { NodeSnapshot } from '../../src/cluster/types.js';
import {
  accessLabel,
  cellColor,
  columnsForWidth,
  columnWidths,
  formatAge,
  formatBytes,
  formatClock,
  formatSeconds,
  healthColor,
  NODE_COLUMNS,
  nodeRow,
  nodeRows,
  padCell,
  roleColor,
  stateColor,
  UNKNOWN,
} from '../../src/ui/format.js';

describe('formatBytes', () => {
  it.each([
    [null, '–'],
    [Number.NaN, '–'],
    [Number.POSITIVE_INFINITY, '–'],
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1 kB'],
    [1536, '1.5 kB'],
    [10 * 1024, '10 kB'],
    [15_872, '16 kB'],
    [16 * 1024 * 1024, '16 MB'],
    [1.25 * 1024 ** 3, '1.3 GB'],
    [3 * 1024 ** 4, '3 TB'],
    [-2048, '-2 kB'],
  ])('%s -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatSeconds', () => {
  it.each([
    [null, '–'],
    [Number.NaN, '–'],
    [0, '0 s'],
    [0.0123, '0.01 s'],
    [0.5, '0.50 s'],
    [9.994, '9.99 s'],
    [9.999, '10.0 s'],
    [12.34, '12.3 s'],
    [59.9, '59.9 s'],
    [59.96, '1m00s'],
    [60, '1m00s'],
    [75, '1m15s'],
    [605, '10m05s'],
    [3725, '1h02m'],
    [-0.25, '-0.25 s'],
  ])('%s -> %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('formatAge', () => {
  const now = 1_700_000_000_000;
  it.each([
    [null, '–'],
    [now, '0s'],
    [now - 999, '0s'],
    [now - 3_000, '3s'],
    [now - 59_999, '59s'],
    [now - 60_000, '1m00s'],
    [now - 125_000, '2m05s'],
    [now - 2 * 3_600_000 - 7 * 60_000, '2h07m'],
    [now + 5_000, '0s'], // clock skew: never negative
  ])('then=%s -> %s', (then, text) => {
    expect(formatAge(now, then)).toBe(text);
  });
});

describe('formatClock', () => {
  it('prints local HH:MM:SS, zero-padded', () => {
    expect(formatClock(new Date(2024, 0, 15, 9, 5, 7).getTime())).toBe('09:05:07');
    expect(formatClock(new Date(2024, 0, 15, 23, 59, 59, 999).getTime())).toBe('23:59:59');
    expect(formatClock(new Date(2024, 0, 15, 0, 0, 0).getTime())).toBe('00:00:00');
  });
});

describe('stateColor', () => {
  it.each([
    ['primary', 'green'],
    ['single', 'green'],
    ['wait_primary', 'green'],
    ['secondary', 'cyan'],
    ['catchingup', 'yellow'],
    ['wait_standby', 'yellow'],
    ['join_secondary', 'yellow'],
    ['report_lsn', 'yellow'],
    ['fast_forward', 'yellow'],
    ['draining', 'magenta'],
    ['demoted', 'magenta'],
    ['demote_timeout', 'magenta'],
    ['stop_replication', 'magenta'],
    ['prepare_promotion', 'magenta'],
    ['maintenance', 'blue'],
    ['unknown', 'red'],
    ['dropped', 'red'],
    [null, 'red'],
    ['some_future_state', 'white'],
  ])('%s -> %s', (state, color) => {
    expect(stateColor(state)).toBe(color);
  });
});

describe('labels and colours', () => {
  it('role: what the node says, and promoted-but-read-only apart from a standby', () => {
    const role = (reachable: boolean, inRecovery: boolean | null, readWrite: boolean | null) =>
      accessLabel(nodeAccess({ reachable, inRecovery, readWrite }));
    expect(role(true, false, true)).toBe('read-write');
    expect(role(true, true, false)).toBe('read-only');
    // stop_replication: promoted, default_transaction_read_only still on
    expect(role(true, false, false)).toBe('promoted r/o');
    expect(role(false, null, null)).toBe('down');
    expect(role(true, null, null)).toBe('?');
  });

  it('healthColor', () => {
    expect(healthColor('good')).toBe('green');
    expect(healthColor('bad')).toBe('red');
    expect(healthColor('unknown')).toBe('gray');
  });

  it('roleColor', () => {
    expect(roleColor('read-write')).toBe('green');
    expect(roleColor('read-only')).toBe('cyan');
    expect(roleColor('down')).toBe('red');
    expect(roleColor('promoted r/o')).toBe('yellow');
    expect(roleColor('?')).toBe('gray');
  });

  it('cellColor colours state, health and role cells only', () => {
    expect(cellColor('reported', 'primary')).toBe('green');
    expect(cellColor('assigned', 'draining')).toBe('magenta');
    expect(cellColor('health', 'bad')).toBe('red');
    expect(cellColor('role', 'down')).toBe('red');
    expect(cellColor('lsn', '0/3000148')).toBeUndefined();
    expect(cellColor('node', 'node1')).toBeUndefined();
  });
});

const NOW = 1_700_000_000_000;

function node(overrides: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    nodeId: 2,
    groupId: 0,
    name: 'node2',
    host: '10.0.0.12',
    port: 5432,
    reportedState: 'secondary',
    assignedState: 'secondary',
    health: 'good',
    candidatePriority: 50,
    replicationQuorum: true,
    reportedTli: 3,
    reportedLsn: '0/5000060',
    reportTime: NOW - 2_000,
    healthCheckTime: NOW - 4_000,
    reportedPgIsRunning: true,
    probe: {
      reachable: true,
      unreachableSince: null,
      error: null,
      inRecovery: true,
      readWrite: false,
      lsn: '0/50000D8',
      replayTimestamp: NOW - 1_000,
      replication: [],
    },
    lagBytes: 120,
    lagSeconds: 0.004,
    ...overrides,
  };
}

describe('nodeRow', () => {
  it('maps a healthy standby to display strings', () => {
    expect(nodeRow(node(), NOW)).toEqual({
      node: 'node2',
      reported: 'secondary',
      assigned: 'secondary',
      health: 'good',
      role: 'read-only',
      tli: '3',
      lsn: '0/50000D8',
      lag: '120 B',
      lagSeconds: '0.00 s',
      priority: '50',
      hostPort: '10.0.0.12:5432',
      reportAge: '2s',
    });
  });

  it('role comes from the node itself, not from the monitor', () => {
    const r = nodeRow(node({ reportedState: 'primary', probe: { ...node().probe, readWrite: true, inRecovery: false } }), NOW);
    expect(r.role).toBe('read-write');
    const demoted = nodeRow(node({ reportedState: 'primary', probe: { ...node().probe, readWrite: false } }), NOW);
    expect(demoted.role).toBe('read-only');
  });

  it('an unreachable node is "down" and falls back to the monitor LSN', () => {
    const r = nodeRow(
      node({
        probe: { ...node().probe, reachable: false, unreachableSince: NOW - 9_000, error: 'refused', readWrite: null, lsn: null },
        lagBytes: null,
        lagSeconds: null,
      }),
      NOW,
    );
    expect(r.role).toBe('down');
    expect(r.lsn).toBe('0/5000060');
    expect(r.lag).toBe(UNKNOWN);
    expect(r.lagSeconds).toBe(UNKNOWN);
  });

  it('reachable but undecided role is "?"', () => {
    expect(nodeRow(node({ probe: { ...node().probe, readWrite: null } }), NOW).role).toBe('?');
  });

  it('nulls everywhere become the unknown mark', () => {
    const r = nodeRow(
      node({ reportedTli: null, reportedLsn: null, reportTime: null, probe: { ...node().probe, lsn: null }, lagBytes: null, lagSeconds: null }),
      NOW,
    );
    expect([r.tli, r.lsn, r.lag, r.lagSeconds, r.reportAge]).toEqual([UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]);
  });

  it('nodeRows keeps snapshot order', () => {
    const rows = nodeRows({ nodes: [node({ name: 'node3' }), node({ name: 'node1' })] }, NOW);
    expect(rows.map((r) => r.node)).toEqual(['node3', 'node1']);
  });
});

describe('columns', () => {
  it('the table has the documented columns in order', () => {
    expect(NODE_COLUMNS.map((c) => c.header)).toEqual([
      'Node', 'Reported', 'Assigned', 'Health', 'Role', 'TL', 'LSN', 'Lag', 'Lag s', 'Prio', 'Host:Port', 'Report age',
    ]);
  });

  it('narrow terminals drop Host:Port and Report age', () => {
    expect(columnsForWidth(99).map((c) => c.header)).not.toContain('Host:Port');
    expect(columnsForWidth(99).map((c) => c.header)).not.toContain('Report age');
    expect(columnsForWidth(100)).toHaveLength(NODE_COLUMNS.length);
  });

  it('columnWidths takes the longest of header and cells', () => {
    const cols = NODE_COLUMNS.filter((c) => c.key === 'node' || c.key === 'reported' || c.key === 'tli');
    const rows = nodeRows({ nodes: [node({ name: 'a', reportedState: 'stop_replication' })] }, NOW);
    expect(columnWidths(rows, cols)).toEqual([4, 16, 2]);
    expect(columnWidths([], cols)).toEqual([4, 8, 2]);
  });

  it('padCell aligns left or right', () => {
    expect(padCell('ab', 4, 'left')).toBe('ab  ');
    expect(padCell('ab', 4, 'right')).toBe('  ab');
    expect(padCell('abcdef', 4, 'left')).toBe('abcdef');
  });
});
