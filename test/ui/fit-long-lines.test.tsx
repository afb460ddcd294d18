// Nothing important is cut off: long pane lines and help lines wrap at the width given, and a node
// promoted but still read-only is shown as such, with the wait named in the RTO pane.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConsoleState } from '../../src/actions/types.js';
import { GUC_NAMES, PROFILES, TRADEOFFS } from '../../src/cluster/profiles.js';
import { healthySnapshot, nodeDown, NOW } from './fixtures.js';
import { delay, renderApp, rowOf } from './harness.js';
import { FakeController, loadStats } from './fake-controller.js';

afterEach(() => cleanup());

/** The frame as running text: border characters and line breaks become single spaces. */
const flat = (frame: string) => frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

/** Everything below the header (which truncates its settings on purpose). */
const body = (frame: string) => frame.split('\n').slice(1).join('\n');

const defaultGucs = GUC_NAMES.map((g) => ({ name: g, value: String(PROFILES.default!.gucs[g]), tradeoff: TRADEOFFS[g] }));

const partitioned: Partial<ConsoleState> = {
  profile: 'default',
  gucs: defaultGucs,
  canPartition: true,
  load: loadStats(),
  splitBrain: {
    node: 'postgres-primary',
    promotedAt: NOW - 12_000,
    promoted: 'postgres-replica1',
    acknowledged: 4242,
    afterPromotion: 0,
    pending: 1,
    pendingSince: NOW - 31_000,
    ended: 'Connection terminated unexpectedly',
    running: false,
  },
};

/** node1 killed, node2 promoted in stop_replication: out of recovery, still read-only. */
function heldSnapshot() {
  const snap = nodeDown(healthySnapshot(), 'node1', NOW - 25_000);
  const nodes = snap.nodes.map((n) =>
    n.name === 'node2' ? { ...n, reportedState: 'stop_replication', assignedState: 'stop_replication', probe: { ...n.probe, inRecovery: false, readWrite: false } } : n,
  );
  return { ...snap, nodes, primary: null, writableNodes: [] };
}

describe.each([
  [80, 40],
  [140, 40],
])('%i columns', (columns, rows) => {
  async function render(snapshot: ReturnType<typeof healthySnapshot>, state: Partial<ConsoleState>) {
    const app = renderApp(snapshot, () => NOW, new FakeController(state));
    app.resize(columns, rows);
    await delay(50);
    return app;
  }

  it('the split-brain line keeps when the promotion happened and how the link ended', async () => {
    const app = await render(healthySnapshot(), partitioned);
    const f = await app.waitFor((fr) => fr.includes('split-brain watch'));
    for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
    const text = flat(f);
    expect(text).toContain('0 writes acknowledged after the promotion (4242 in all, 1 waiting for a standby for 31 s)');
    expect(text).toContain('postgres-replica1 promoted 12 s ago');
    expect(text).toContain('link closed: Connection terminated unexpectedly');
    expect(body(f)).not.toContain('…');
  });

  it('the help overlay shows every setting and its whole trade-off', async () => {
    const app = await render(healthySnapshot(), { ...partitioned, splitBrain: null, load: null });
    await app.waitFor((fr) => fr.includes('node3'));
    await app.press('?');
    const f = await app.waitFor((fr) => fr.includes('Profile default'));
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows - 1);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
    const text = flat(f);
    for (const g of defaultGucs) expect(text).toContain(`${g.name} = ${g.value} — ${g.tradeoff.replace(/\s+/g, ' ')}`);
    expect(text).toContain('Cut the selected node off the lab network (asks first), or reconnect it (compose only)');
    expect(f).not.toContain('more (a taller terminal');
  });

  it('a promoted node that refuses writes reads "promoted r/o", and the RTO pane names the wait', async () => {
    const app = await render(heldSnapshot(), { profile: 'default', gucs: defaultGucs });
    const f = await app.waitFor((fr) => fr.includes('node3') && fr.includes('RTO'));
    expect(rowOf(f, 'node2')).toContain('promoted r/o');
    expect(rowOf(f, 'node2')).not.toContain('read-write');
    expect(rowOf(f, 'node1')).toContain('down');
    expect(flat(f)).toContain("node2 promoted but read-only: writes wait for primary_demote_timeout (30 s, profile default), the old primary's time to demote itself");
  });

  it('a long message keeps its end on a second line, and everything still fits', async () => {
    const text = 'restart node2 failed: pg_autoctl exited with code 1 before the node reported; see the lab\'s logs/node2.log for why';
    const app = await render(healthySnapshot(), { message: { level: 'error', text, at: NOW } });
    const f = await app.waitFor((fr) => fr.includes('restart node2 failed'));
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(rows - 1);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
    expect(flat(f)).toContain(text);
    expect(lines.at(-1)).toContain('? help');
  });

  it('the wait shows the live value, not the profile default', async () => {
    const gucs = defaultGucs.map((g) => (g.name === 'primary_demote_timeout' ? { ...g, value: '1500' } : g));
    const app = await render(heldSnapshot(), { profile: 'custom', gucs });
    const f = await app.waitFor((fr) => fr.includes('RTO'));
    expect(flat(f)).toContain('primary_demote_timeout (1.5 s, profile custom)');
  });
});
