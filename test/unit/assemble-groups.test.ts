// A formation of several groups (Citus: a coordinator group and worker groups), each with its own
// primary: lag is measured against the node's own group's primary, and two writable nodes are
// split brain only within one group.
import { describe, expect, test } from 'vitest';
import { assembleSnapshot, type AssembleInput } from '../../src/cluster/assemble.js';
import { groupTitles } from '../../src/ui/format.js';
import { twoGroups } from './fixtures-groups.js';

describe('a formation of two groups', () => {
  test('each group has its primary; lag is against it; the rows go by group, then by name', () => {
    const s = assembleSnapshot(twoGroups());
    expect(s.nodes.map((n) => `${n.groupId}:${n.name}`)).toEqual(['0:coord-a', '0:coord-b', '1:worker1-a', '1:worker1-b', '1:worker1-c']);
    expect(s.primary).toBe('coord-a');
    expect(s.groupPrimaries).toEqual({ 0: 'coord-a', 1: 'worker1-b' });
    // Two writable nodes in two groups is how Citus runs, not split brain.
    expect(s.writableNodes).toEqual([]);
    const lag = Object.fromEntries(s.nodes.map((n) => [n.name, n.lagBytes]));
    expect(lag).toEqual({ 'coord-a': 0, 'coord-b': 512, 'worker1-a': 4096, 'worker1-b': 0, 'worker1-c': 0 });
  });

  test('two writable nodes in one group are split brain, and only those are named', () => {
    const input: AssembleInput = twoGroups();
    input.probes['worker1-a'] = { ...input.probes['worker1-a']!, inRecovery: false, readWrite: true };
    const s = assembleSnapshot(input);
    expect([...s.writableNodes].sort()).toEqual(['worker1-a', 'worker1-b']);
    expect(s.groupPrimaries![1]).toBe('worker1-b'); // the one the monitor assigns primary
  });

  test('one group: no group titles, no groupPrimaries; several: a title where each group starts', () => {
    const one = assembleSnapshot({ ...twoGroups(), rows: twoGroups().rows.filter((r) => r.groupId === 1) });
    expect(one.groupPrimaries).toBeUndefined();
    expect(one.writableNodes).toEqual(['worker1-b']);
    expect(groupTitles(one.nodes)).toEqual([null, null, null]);
    expect(groupTitles(assembleSnapshot(twoGroups()).nodes)).toEqual(['group 0', null, 'group 1', null, null]);
  });
});
