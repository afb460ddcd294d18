import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterPoller } from '../../src/cluster/poller.js';
import type { ClusterSnapshot } from '../../src/cluster/types.js';
import { fakeLab, T0, type FakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

function poller(lab: FakeLab, events = true) {
  return new ClusterPoller({ endpoints: lab.endpoints, backend: 'local', profile: () => 'default', connect: lab.connect, events });
}

/** Run one tick as the interval would, a second apart; returns the snapshot and how long the tick took. */
async function tick(lab: FakeLab, p: ClusterPoller): Promise<{ snap: ClusterSnapshot; tookMs: number; at: number }> {
  const at = lab.t();
  let doneAt = -1;
  const pending = p.tick().then((s) => ((doneAt = lab.t()), s));
  await lab.advance(1000);
  return { snap: await pending, tookMs: doneAt - at, at };
}

const node = (s: ClusterSnapshot, name: string) => s.nodes.find((n) => n.name === name)!;

describe('ClusterPoller on a fake cluster', () => {
  it('assembles one snapshot a tick from the monitor and each node: 4 queries, primary and lag', async () => {
    const lab = fakeLab();
    const p = poller(lab, false);
    const { snap, tookMs } = await tick(lab, p);
    expect(tookMs).toBeLessThan(10);
    expect(p.queries).toBe(4);
    expect(snap.primary).toBe('node1');
    expect(snap.monitor).toEqual({ reachable: true, unreachableSince: null, error: null });
    expect(snap.nodes.map((n) => [n.name, n.reportedState, n.health, n.probe.readWrite, n.lagBytes])).toEqual([
      ['node1', 'primary', 'good', true, 0],
      ['node2', 'secondary', 'good', false, 0],
      ['node3', 'secondary', 'good', false, 0],
    ]);
    await tick(lab, p);
    expect(p.queries).toBe(8);
    expect(p.ticks).toBe(2);
    // One persistent connection per endpoint, reused.
    expect(lab.pg.connects).toHaveLength(4);
    p.stop();
    expect(lab.pg.clients.size).toBe(0);
  });

  it('a frozen node never holds a tick past its 900 ms budget: last answer, then "no answer", then down; back after the thaw', async () => {
    const lab = fakeLab();
    const p = poller(lab, false);
    await tick(lab, p);
    lab.cluster.freeze('node2', true);
    const frozenAt = lab.t();
    const seen: { at: number; tookMs: number; reachable: boolean; error: string | null; since: number | null }[] = [];
    for (let i = 0; i < 6; i++) {
      const { snap, tookMs, at } = await tick(lab, p);
      const pr = node(snap, 'node2').probe;
      seen.push({ at: at - frozenAt, tookMs, reachable: pr.reachable, error: pr.error, since: pr.unreachableSince === null ? null : pr.unreachableSince - T0 - frozenAt });
      expect(tookMs).toBeLessThanOrEqual(900);
      expect(node(snap, 'node1').probe.reachable).toBe(true);
    }
    expect(seen).toEqual([
      // The probe sent at 0 hangs: the tick waits its budget and shows the last answer.
      { at: 0, tookMs: 900, reachable: true, error: null, since: null },
      { at: 1000, tookMs: 1, reachable: true, error: null, since: null },
      // Silent for more than 2 s: shown as not answering, since the probe was sent.
      { at: 2000, tookMs: 1, reachable: false, error: 'no answer for 2s', since: 0 },
      // The query timed out at 3 s: the link is down; the reconnect waits for its connect timeout.
      { at: 3000, tookMs: 900, reachable: false, error: 'Query read timeout', since: 3000 },
      { at: 4000, tookMs: 1, reachable: false, error: 'Query read timeout', since: 3000 },
      { at: 5000, tookMs: 900, reachable: false, error: 'timeout expired', since: 3000 },
    ]);
    lab.cluster.freeze('node2', false);
    await tick(lab, p);
    const { snap } = await tick(lab, p);
    expect(node(snap, 'node2').probe).toMatchObject({ reachable: true, unreachableSince: null, error: null, inRecovery: true });
    p.stop();
  });

  it('keeps the last monitor rows while the monitor is down, says since when, and reconnects with its event feed', async () => {
    const lab = fakeLab();
    const p = poller(lab);
    await tick(lab, p);
    lab.cluster.setMonitor(false);
    const downAt = lab.t();
    let { snap } = await tick(lab, p);
    expect(snap.monitor).toMatchObject({ reachable: false, unreachableSince: T0 + downAt });
    expect(snap.monitor.error).toMatch(/closed|ECONNREFUSED/);
    expect(node(snap, 'node1').reportedState).toBe('primary');
    expect(snap.primary).toBe('node1');
    ({ snap } = await tick(lab, p));
    expect(snap.monitor).toMatchObject({ reachable: false, unreachableSince: T0 + downAt, error: `connect ECONNREFUSED 127.0.0.1:${lab.endpoints.monitor.port}` });
    lab.cluster.setMonitor(true);
    lab.cluster.set('node3', { health: 'bad' });
    ({ snap } = await tick(lab, p));
    expect(snap.monitor.reachable).toBe(true);
    expect(node(snap, 'node3').health).toBe('bad');
    // The feed reconnected in the same tick, was seeded with what it missed, and redrew at once.
    expect(p.current()!.at).toBeGreaterThan(snap.at);
    expect(p.current()!.events.map((e) => e.text)).toEqual(['node3 secondary -> secondary']);
    p.stop();
  });

  it('follows a scripted failover: node1 dies at t=3 s, node2 reports report_lsn at t=4 s, promoted r/o, then primary', async () => {
    const lab = fakeLab();
    const p = poller(lab);
    lab.cluster.script([
      { at: 3000, do: (c) => c.kill('node1') },
      { at: 3500, do: (c) => c.set('node1', { health: 'bad', assignedState: 'demote_timeout' }) },
      { at: 4000, do: (c) => c.set('node2', { reportedState: 'report_lsn', assignedState: 'report_lsn' }) },
      { at: 5000, do: (c) => c.set('node2', { reportedState: 'stop_replication', assignedState: 'stop_replication', promoted: true, readOnly: true }) },
      { at: 6000, do: (c) => c.set('node2', { reportedState: 'wait_primary', assignedState: 'wait_primary', readOnly: false }) },
    ]);
    const timeline: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { snap, at } = await tick(lab, p);
      const n1 = node(snap, 'node1');
      const n2 = node(snap, 'node2');
      timeline.push(`${at / 1000}s primary=${snap.primary} node1=${n1.reportedState}/${n1.health}/${n1.probe.reachable ? 'up' : 'down'} node2=${n2.reportedState}/${n2.probe.readWrite ? 'rw' : 'ro'}`);
    }
    expect(timeline).toEqual([
      '0s primary=node1 node1=primary/good/up node2=secondary/ro',
      '1s primary=node1 node1=primary/good/up node2=secondary/ro',
      '2s primary=node1 node1=primary/good/up node2=secondary/ro',
      // Dead but not yet noticed by the monitor: the node itself no longer answers.
      '3s primary=null node1=primary/good/down node2=secondary/ro',
      '4s primary=null node1=primary/bad/down node2=report_lsn/ro',
      // Out of recovery yet read-only: no primary until wait_primary lifts it.
      '5s primary=null node1=primary/bad/down node2=stop_replication/ro',
      '6s primary=node2 node1=primary/bad/down node2=wait_primary/rw',
    ]);
    expect((await tick(lab, p)).snap.writableNodes).toEqual(['node2']);
    p.stop();
  });

  it('draws a monitor notification at once, between ticks', async () => {
    const lab = fakeLab();
    const p = poller(lab);
    await tick(lab, p);
    const got: ClusterSnapshot[] = [];
    p.subscribe((s) => got.push(s));
    lab.cluster.set('node2', { assignedState: 'report_lsn' });
    expect(got).toHaveLength(1);
    expect(got[0]!.events.at(-1)).toMatchObject({ kind: 'state', nodeName: 'node2', goalState: 'report_lsn' });
    expect(p.ticks).toBe(1);
    const seen: string[] = [];
    const off = p.onEvent((ev) => seen.push(ev.text));
    lab.cluster.log('hello');
    off();
    lab.cluster.log('not seen');
    expect(seen).toEqual(['hello']);
    p.stop();
  });

  it('start() ticks once at once and then every interval until stop()', async () => {
    const lab = fakeLab();
    const p = poller(lab, false);
    p.start();
    await lab.advance(3500);
    expect(p.ticks).toBe(4);
    p.stop();
    await lab.advance(3000);
    expect(p.ticks).toBe(4);
    expect(lab.pg.clients.size).toBe(0);
  });
});
