import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadTest } from '../../src/actions/loadtest.js';
import { phaseAt } from '../../src/actions/rto-phases.js';
import { RtoTimer } from '../../src/actions/rto-timer.js';
import type { Fault, RtoRun } from '../../src/actions/types.js';
import { EventFeed } from '../../src/cluster/event-feed.js';
import { failoverSteps } from '../fakes/fake-cluster.js';
import { fakeLab, type FakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

async function rig(lab: FakeLab) {
  const feed = new EventFeed(lab.endpoints.monitor, 'default', 200, Date.now, lab.connect);
  await Promise.all([feed.ensure(), lab.advance(10)]);
  expect(feed.connected).toBe(true);
  const load = new LoadTest({ endpoints: lab.endpoints, clients: 2, connect: lab.connect });
  load.start();
  const timer = new RtoTimer({
    backend: lab.backend,
    load,
    onEvent: (l) => (feed.on('event', l), () => feed.off('event', l)),
    currentPrimary: () => lab.cluster.nodes.find((n) => lab.cluster.writable(n))?.name ?? null,
    failover: async () => undefined,
  });
  // Clients in back-off wake within 0.5 s: the clock must move for halt() to return.
  const halt = () => (feed.close(), Promise.all([load.halt(), lab.advance(1000)]));
  return { feed, load, timer, halt };
}

/** Seconds from the run's fault to a phase. */
const after = (run: RtoRun, phase: Parameters<typeof phaseAt>[1]) => {
  const at = phaseAt(run, phase);
  return at === null ? null : (at - run.startedAt) / 1000;
};

describe('RtoTimer on a fake cluster', () => {
  it('times a kill: phases from the monitor, client RTO at the first write on the new primary, victim restarted and rejoined', async () => {
    const lab = fakeLab({ rejoinMs: 2000 });
    const { timer, halt } = await rig(lab);
    lab.backend.when('kill node1', () => lab.cluster.script(failoverSteps('node1', 'node2', 'node3')));
    const measuring = timer.measure('kill');
    await lab.advance(20_000);
    const run = await measuring;
    expect(run.status).toBe('done');
    expect(run.error).toBeNull();
    expect(run.victim).toBe('node1');
    expect(run.newPrimary).toBe('node2');
    expect(lab.backend.calls).toEqual(['kill node1', 'start node1']);
    expect(after(run, 'detected')).toBe(1);
    expect(run.phases.find((p) => p.name === 'detected')?.detail).toBe('node1 marked unhealthy');
    expect(after(run, 'election')).toBe(2);
    expect(after(run, 'promotion')).toBe(6);
    // node2 takes writes from 6 s on; the clients' back-off (at most 0.5 s) decides how soon after.
    expect(run.clientRtoS).toBeGreaterThanOrEqual(6);
    expect(run.clientRtoS).toBeLessThan(6.6);
    expect(after(run, 'first-write')).toBe(run.clientRtoS);
    // Restarted at the first write (found within one 25 ms poll), secondary 2 s later.
    expect(after(run, 'rejoined')! - run.clientRtoS!).toBeGreaterThanOrEqual(2);
    expect(after(run, 'rejoined')! - run.clientRtoS!).toBeLessThan(2.1);
    expect(timer.summary()).toMatchObject({ runs: 1, medianS: run.clientRtoS });
    await halt();
  });

  for (const [fault, calls] of [
    ['stop', ['stop node1', 'start node1']],
    ['freeze', ['freeze node1', 'thaw node1']],
  ] as [Fault, string[]][]) {
    it(`undoes a ${fault} once the new primary took a write`, async () => {
      const lab = fakeLab({ rejoinMs: null });
      const { timer, halt } = await rig(lab);
      lab.backend.when(calls[0]!, () => lab.cluster.script(failoverSteps('node1', 'node2', 'node3')));
      lab.backend.when(calls[1]!, () => lab.cluster.set('node1', { reportedState: 'secondary', assignedState: 'secondary', promoted: false }));
      const measuring = timer.measure(fault);
      await lab.advance(20_000);
      const run = await measuring;
      expect(lab.backend.calls).toEqual(calls);
      expect(run).toMatchObject({ status: 'done', fault, newPrimary: 'node2' });
      expect(lab.cluster.node('node1').process).toBe('running');
      await halt();
    });
  }

  it('refuses, injecting nothing, when the confirmed victim is no longer the primary', async () => {
    const lab = fakeLab();
    const { timer, halt } = await rig(lab);
    await expect(timer.measure('kill', { victim: 'node2' })).rejects.toThrow('the primary moved from node2 to node1: nothing injected');
    expect(lab.backend.calls).toEqual([]);
    expect(timer.history).toEqual([]);
    await halt();
  });

  it('abort restores the victim and marks the run aborted', async () => {
    const lab = fakeLab({ rejoinMs: null });
    const { timer, halt } = await rig(lab);
    lab.backend.when('kill node1', () => lab.cluster.script(failoverSteps('node1', 'node2', 'node3')));
    const measuring = timer.measure('kill');
    await lab.advance(3000);
    expect(timer.running).toBe(true);
    expect(after(timer.current!, 'detected')).toBe(1);
    timer.abort();
    await lab.advance(100);
    const run = await measuring;
    expect(run).toMatchObject({ status: 'aborted', error: null, clientRtoS: null });
    expect(lab.backend.calls).toEqual(['kill node1', 'start node1']);
    expect(timer.summary().runs).toBe(0);
    await halt();
  });

  it('fails after the RTO timeout when no node takes over, and still restores the victim', async () => {
    const lab = fakeLab({ rejoinMs: null });
    const { timer, halt } = await rig(lab);
    const measuring = timer.measure('kill', { rtoTimeoutMs: 5000 });
    await lab.advance(6000);
    const run = await measuring;
    expect(run.status).toBe('failed');
    expect(run.error).toBe('a write on a new primary did not happen within 5 s');
    expect(lab.backend.calls).toEqual(['kill node1', 'start node1']);
    await halt();
  });
});
