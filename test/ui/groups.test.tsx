// The console on a formation of two groups: the node table is grouped under a title per group,
// selection walks the rows in that order, and two groups' primaries raise no split-brain banner.
import { describe, expect, it } from 'vitest';
import { assembleSnapshot } from '../../src/cluster/assemble.js';
import { twoGroups } from '../unit/fixtures-groups.js';
import { NOW } from './fixtures.js';
import { KEYS, renderApp, rowOf } from './harness.js';

describe('two groups', () => {
  it('draws each group under its title, in group order, without a split-brain banner', async () => {
    const app = renderApp(assembleSnapshot({ ...twoGroups(), at: NOW }));
    const f = await app.waitFor((fr) => fr.includes('worker1-c'));
    const lines = f.split('\n');
    const at = (text: RegExp) => lines.findIndex((l) => text.test(l));
    const order = [/^group 0\s*$/, /^[ ›] coord-a /, /^[ ›] coord-b /, /^group 1\s*$/, /^[ ›] worker1-a /, /^[ ›] worker1-b /, /^[ ›] worker1-c /].map(at);
    expect(order.every((i) => i >= 0), f).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Titles sit right above their group's first row.
    expect(order[1]! - order[0]!).toBe(1);
    expect(order[4]! - order[3]!).toBe(1);
    expect(f).not.toContain('SPLIT BRAIN');
    expect(rowOf(f, 'worker1-b')).toContain('read-write');
    expect(rowOf(f, 'coord-a')).toContain('read-write');
    expect(f).toMatch(/primary coord-a/);
    app.unmount();
  });

  it('↓ walks the rows in the order drawn, across the group title', async () => {
    const app = renderApp(assembleSnapshot({ ...twoGroups(), at: NOW }));
    await app.waitFor((fr) => fr.includes('worker1-c'));
    await app.press(KEYS.down);
    await app.press(KEYS.down);
    const f = await app.waitFor((fr) => rowOf(fr, 'worker1-a').startsWith('›'));
    expect(rowOf(f, 'coord-b').startsWith('›')).toBe(false);
    app.unmount();
  });

  it('one group: no title lines', async () => {
    const input = twoGroups();
    const app = renderApp(assembleSnapshot({ ...input, at: NOW, rows: input.rows.filter((r) => r.groupId === 0) }));
    const f = await app.waitFor((fr) => fr.includes('coord-b'));
    expect(f).not.toMatch(/^group \d/m);
    app.unmount();
  });
});
