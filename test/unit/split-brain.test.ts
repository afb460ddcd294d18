import { afterEach, describe, expect, it, vi } from 'vitest';
import { SplitBrainWatcher } from '../../src/actions/split-brain.js';
import type { SplitBrainWatch } from '../../src/actions/types.js';
import { EventFeed } from '../../src/cluster/event-feed.js';
import { fakeLab, T0, type FakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Cut node1 off while a watcher writes to it; node2 is promoted at t=2 s. */
async function partitionScenario(lab: FakeLab) {
  const feed = new EventFeed(lab.endpoints.monitor, 'default', 200, Date.now, lab.connect);
  await Promise.all([feed.ensure(), lab.advance(5)]);
  const w = new SplitBrainWatcher('node1', lab.endpoints.nodes.node1!, Date.now, lab.connect);
  const changes: SplitBrainWatch[] = [];
  w.on('change', (s: SplitBrainWatch) => changes.push(s));
  feed.on('event', (ev) => w.onEvent(ev));
  await Promise.all([w.start(), lab.advance(5)]);
  await lab.advance(1000);
  const beforeCut = w.state().acknowledged;
  lab.cluster.partition('node1', true);
  lab.cluster.script([
    { at: 1000, do: (c) => c.set('node2', { reportedState: 'stop_replication', assignedState: 'wait_primary', promoted: true }) },
    { at: 2000, do: (c) => c.set('node2', { reportedState: 'wait_primary' }) },
  ]);
  return { feed, w, changes, beforeCut, cutAt: Date.now() };
}

describe('SplitBrainWatcher on a fake partitioned primary', () => {
  it('with synchronous replication: the cut-off primary acknowledges nothing after the promotion; its commit waits until it shuts down', async () => {
    const lab = fakeLab();
    const { feed, w, beforeCut, cutAt } = await partitionScenario(lab);
    // One row every 20 ms plus the 1 ms round trip: about 47 in the first second.
    expect(beforeCut).toBeGreaterThan(40);
    await lab.advance(5000);
    const s = w.state();
    expect(s).toMatchObject({ promoted: 'node2', promotedAt: cutAt + 2000, afterPromotion: 0, pending: 1, running: true, ended: null });
    // The write that hangs was sent within one write interval of the cut.
    expect(s.pendingSince! - cutAt).toBeLessThanOrEqual(21);
    expect(s.acknowledged).toBeLessThanOrEqual(beforeCut + 1);
    // The keeper shuts the old primary down: the link ends with an error, not an acknowledgement.
    lab.cluster.stop('node1');
    await lab.advance(5);
    expect(w.state()).toMatchObject({ running: false, pending: 0, afterPromotion: 0, ended: 'Connection terminated unexpectedly' });
    const final = await w.stop();
    expect(final.afterPromotion).toBe(0);
    feed.close();
  });

  it('without synchronous replication: writes the old primary acknowledges after the promotion are counted', async () => {
    const lab = fakeLab();
    lab.cluster.synchronous = false;
    const { feed, w, changes, cutAt } = await partitionScenario(lab);
    await lab.advance(3000);
    const s = w.state();
    expect(s.promotedAt).toBe(cutAt + 2000);
    // A write every ~21 ms for the second after the promotion.
    expect(s.afterPromotion).toBeGreaterThan(40);
    expect(s.afterPromotion).toBeLessThan(50);
    expect(changes.at(-1)).toEqual(s);
    // stop() waits for the loop, which may be in its 20 ms pause.
    const [final] = await Promise.all([w.stop(), lab.advance(50)]);
    expect(final.running).toBe(false);
    expect(final.ended).toBeNull();
    expect(lab.pg.open('node1')).toEqual([]);
    feed.close();
  });

  it('ignores events from before a promotion, of the watched node itself, and of non-promoted states', () => {
    vi.useFakeTimers({ now: T0 });
    const w = new SplitBrainWatcher('node1', { host: 'h', port: 1, user: 'u', database: 'd' });
    const ev = (nodeName: string, reportedState: string) => ({ at: T0, kind: 'state' as const, nodeName, nodeId: 1, reportedState, goalState: reportedState, text: '' });
    w.onEvent(ev('node1', 'primary'));
    w.onEvent(ev('node2', 'report_lsn'));
    w.onEvent({ ...ev('node2', 'wait_primary'), kind: 'log' });
    expect(w.state().promotedAt).toBeNull();
    w.onEvent(ev('node3', 'primary'));
    expect(w.state()).toMatchObject({ promoted: 'node3', promotedAt: T0 });
    w.onEvent({ ...ev('node2', 'primary'), at: T0 + 5 });
    expect(w.state().promoted).toBe('node3');
  });
});
