import { describe, expect, test } from 'vitest';
import { STUCK_AFTER_MS, stuckRejoins, trackRejoins } from '../../src/cluster/stuck-rejoin.js';
import type { ClusterSnapshot } from '../../src/cluster/types.js';
import { healthySnapshot, NOW, secondaryNode } from '../ui/fixtures.js';

/** node2 reporting `state` in a snapshot taken at `at`. */
function snapAt(at: number, state: string, patch: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const s = healthySnapshot();
  return { ...s, at, nodes: s.nodes.map((n) => (n.name === 'node2' ? secondaryNode(2, { reportedState: state, assignedState: state }) : n)), ...patch };
}

describe('a rejoin that never ends', () => {
  test('named once it has lasted STUCK_AFTER_MS, with the time it began', () => {
    let since = new Map<string, number>();
    since = trackRejoins(since, snapAt(NOW, 'demoted'));
    since = trackRejoins(since, snapAt(NOW + 30_000, 'catchingup'));
    const last = snapAt(NOW + STUCK_AFTER_MS - 1, 'catchingup');
    since = trackRejoins(since, last);
    expect(stuckRejoins(since, last, NOW + STUCK_AFTER_MS - 1)).toEqual([]);
    expect(stuckRejoins(since, last, NOW + STUCK_AFTER_MS)).toEqual([{ node: 'node2', state: 'catchingup', sinceMs: NOW }]);
  });

  test('a node that reached secondary starts from zero next time', () => {
    let since = trackRejoins(new Map(), snapAt(NOW, 'catchingup'));
    since = trackRejoins(since, snapAt(NOW + 10_000, 'secondary'));
    const again = snapAt(NOW + 200_000, 'catchingup');
    since = trackRejoins(since, again);
    expect(stuckRejoins(since, again, NOW + 200_000)).toEqual([]);
  });

  test('nothing is said while the monitor is unreachable or no node is the primary', () => {
    const since = new Map([['node2', NOW]]);
    const late = NOW + 10 * STUCK_AFTER_MS;
    expect(stuckRejoins(since, snapAt(late, 'catchingup', { primary: null }), late)).toEqual([]);
    const down = snapAt(late, 'catchingup');
    expect(stuckRejoins(since, { ...down, monitor: { ...down.monitor, reachable: false } }, late)).toEqual([]);
    expect(stuckRejoins(since, down, late)).toHaveLength(1);
  });
});
