import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventFeed } from '../../src/cluster/event-feed.js';
import type { ClusterEvent } from '../../src/cluster/types.js';
import { fakeLab, T0, type FakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

async function open(lab: FakeLab, limit = 200) {
  const feed = new EventFeed(lab.endpoints.monitor, 'default', limit, Date.now, lab.connect);
  const pushed: ClusterEvent[] = [];
  feed.on('event', (ev: ClusterEvent) => pushed.push(ev));
  await Promise.all([feed.ensure(), lab.advance(10)]);
  return { feed, pushed };
}

describe('EventFeed on a fake monitor', () => {
  it('is seeded with the last events, then fed by state and log notifications as they arrive', async () => {
    const lab = fakeLab();
    await lab.advance(1000);
    lab.cluster.set('node2', { assignedState: 'report_lsn' });
    await lab.advance(1000);
    const { feed, pushed } = await open(lab);
    expect(feed.connected).toBe(true);
    expect(lab.pg.open('monitor')[0]!.listening).toEqual(new Set(['state', 'log']));
    expect(feed.events.map((e) => [e.at - T0, e.text])).toEqual([[1000, 'node2 secondary -> report_lsn']]);
    await lab.advance(500);
    lab.cluster.set('node2', { reportedState: 'report_lsn' });
    lab.cluster.log('Setting goal state of node 2 "node2" to prepare_promotion');
    expect(feed.events.slice(1).map((e) => [e.at - T0, e.kind, e.nodeName, e.reportedState, e.goalState])).toEqual([
      [2510, 'state', 'node2', 'report_lsn', 'report_lsn'],
      [2510, 'log', null, null, null],
    ]);
    expect(pushed).toHaveLength(3);
    feed.close();
    expect(feed.connected).toBe(false);
    expect(lab.pg.open('monitor')).toEqual([]);
  });

  it('reconnects after the monitor comes back, without repeating the events it already has', async () => {
    const lab = fakeLab();
    lab.cluster.log('one');
    const { feed } = await open(lab);
    lab.cluster.setMonitor(false);
    expect(feed.connected).toBe(false);
    await Promise.all([feed.ensure(), lab.advance(10)]);
    expect(feed.connected).toBe(false);
    lab.cluster.setMonitor(true);
    lab.cluster.log('two');
    await Promise.all([feed.ensure(), lab.advance(10)]);
    expect(feed.connected).toBe(true);
    expect(feed.events.map((e) => e.text)).toEqual(['one', 'two']);
    lab.cluster.log('three');
    expect(feed.events.map((e) => e.text)).toEqual(['one', 'two', 'three']);
    feed.close();
  });

  it("keeps both nodes' rows of one sentence (one instant, two goals), and still drops a row seen twice", async () => {
    const lab = fakeLab();
    await lab.advance(1000);
    const text = 'Setting goal state of node 3 "node2" (h:2) to demote_timeout and node 1 "node1" (h:1) to stop_replication after …';
    const at = Date.now();
    lab.cluster.events.push(
      { at, nodeId: 3, nodeName: 'node2', reportedState: 'primary', goalState: 'demote_timeout', text },
      { at, nodeId: 1, nodeName: 'node1', reportedState: 'prepare_promotion', goalState: 'stop_replication', text },
    );
    const { feed } = await open(lab);
    expect(feed.events.map((e) => [e.nodeName, e.goalState])).toEqual([
      ['node2', 'demote_timeout'],
      ['node1', 'stop_replication'],
    ]);
    // A reconnect seeds the same rows again: nothing doubles.
    lab.cluster.setMonitor(false);
    lab.cluster.setMonitor(true);
    await Promise.all([feed.ensure(), lab.advance(10)]);
    expect(feed.events).toHaveLength(2);
    feed.close();
  });

  it('keeps only the newest `limit` events', async () => {
    const lab = fakeLab();
    const { feed } = await open(lab, 3);
    for (const t of ['a', 'b', 'c', 'd', 'e']) {
      lab.cluster.log(t);
      await lab.advance(1);
    }
    expect(feed.events.map((e) => e.text)).toEqual(['c', 'd', 'e']);
    feed.close();
  });
});
