import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadTest } from '../../src/actions/loadtest.js';
import { failoverSteps } from '../fakes/fake-cluster.js';
import { fakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LoadTest on a fake cluster', () => {
  it('writes to the primary the monitor assigns and finds every acknowledged id on stop', async () => {
    const lab = fakeLab();
    const load = new LoadTest({ endpoints: lab.endpoints, clients: 2, connect: lab.connect });
    load.start();
    await lab.advance(1000);
    const stats = load.snapshot();
    expect(stats.running).toBe(true);
    expect(stats.target).toBe('node1');
    expect(stats.acknowledged).toBeGreaterThan(100);
    // Each transaction takes one fake round trip (1 ms) per client: the last second's count.
    expect(stats.tps).toBeGreaterThan(900);
    expect(stats.errors + stats.unknown).toBe(0);
    const stopping = load.stop();
    await lab.advance(100);
    const v = await stopping;
    expect(v.readFrom).toBe('node1');
    expect(v.acknowledged).toBe(load.ledger.acknowledged.length);
    expect(v.acknowledged).toBe(lab.cluster.committed.size);
    expect(v).toMatchObject({ present: v.acknowledged, lost: 0, ok: true, unknown: 0 });
    expect(lab.pg.clients.size).toBe(0);
  });

  it('reports acknowledged ids the cluster lost, with a sample', async () => {
    const lab = fakeLab();
    const load = new LoadTest({ endpoints: lab.endpoints, clients: 1, connect: lab.connect });
    load.start();
    await lab.advance(200);
    const [a, b] = load.ledger.acknowledged;
    lab.cluster.lost.add(a!).add(b!);
    const stopping = load.stop();
    await lab.advance(100);
    const v = await stopping;
    expect(v.lost).toBe(2);
    expect(v.present).toBe(v.acknowledged - 2);
    expect(v.lostSample).toEqual([a, b]);
    expect(v.ok).toBe(false);
  });

  it('survives a failover: in-flight commits are unknown, read-only refusals are errors, writes resume on the new primary', async () => {
    const lab = fakeLab();
    lab.pg.latencyMs = 5;
    const load = new LoadTest({ endpoints: lab.endpoints, clients: 4, connect: lab.connect });
    load.start();
    await lab.advance(1000);
    const before = load.snapshot().acknowledged;
    expect(before).toBeGreaterThan(0);
    lab.cluster.kill('node1');
    // The monitor still assigns node1 until it notices: clients retry with back-off meanwhile.
    lab.cluster.script(failoverSteps('node1', 'node2', 'node3'));
    await lab.advance(10_000);
    const s = load.snapshot();
    expect(s.target).toBe('node2');
    // Each client has its COMMIT in flight nearly all the time: the kill leaves their outcome unknown.
    expect(s.unknown).toBeGreaterThanOrEqual(1);
    expect(s.unknown).toBeLessThanOrEqual(4);
    // Assigned wait_primary but still read-only for half a second: the clients are refused there.
    expect(s.errors).toBeGreaterThan(0);
    expect(s.lastError).toMatch(/read-only/);
    expect(s.reconnects).toBeGreaterThanOrEqual(4);
    expect(lab.cluster.commits.node2).toBeGreaterThan(0);
    expect(s.acknowledged).toBe(lab.cluster.commits.node1! + lab.cluster.commits.node2!);
    const stopping = load.stop();
    await lab.advance(100);
    const v = await stopping;
    expect(v.readFrom).toBe('node2');
    expect(v.lost).toBe(0);
    expect(v.unknown).toBe(s.unknown);
  });

  it('counts acknowledged writes per second: the failover is a run of zero seconds between full ones', async () => {
    const lab = fakeLab();
    lab.pg.latencyMs = 5;
    const load = new LoadTest({ endpoints: lab.endpoints, clients: 4, connect: lab.connect });
    load.start();
    await lab.advance(2500);
    lab.cluster.kill('node1');
    lab.cluster.script(failoverSteps('node1', 'node2', 'node3'));
    await lab.advance(11_500);
    const s = load.snapshot();
    expect(s.perSecond).toHaveLength(60);
    const since = s.perSecond.findIndex((v) => v !== null);
    const seconds = s.perSecond.slice(since);
    // Started at T0, now T0+14 s: 14 whole seconds, the one in progress not yet.
    expect(seconds).toHaveLength(14);
    expect(seconds.every((v) => v !== null)).toBe(true);
    const shape = seconds.map((v) => (v! > 0 ? '#' : '0')).join('');
    // Killed half-way through second 2; writable again ~6 s later (wait_primary reported).
    expect(shape).toMatch(/^###0{5}#{6}$/);
    // Every acknowledged write is in exactly one second (the current one holds the rest).
    const counted = seconds.reduce((a, v) => a! + v!, 0)!;
    expect(counted).toBeLessThanOrEqual(s.acknowledged);
    expect(s.acknowledged - counted).toBeLessThanOrEqual(s.tps);
    load.halt();
    await lab.advance(100);
  });

  it('keeps looking for a primary to verify against, then gives up after 60 s', async () => {
    const lab = fakeLab();
    const load = new LoadTest({ endpoints: lab.endpoints, clients: 1, connect: lab.connect });
    load.start();
    await lab.advance(100);
    lab.cluster.setMonitor(false);
    const stopping = load.stop();
    const outcome = stopping.then(() => 'verified', (e: Error) => e.message);
    await lab.advance(59_000);
    lab.cluster.setMonitor(true);
    await lab.advance(1000);
    expect(await outcome).toBe('verified');

    const again = new LoadTest({ endpoints: lab.endpoints, clients: 1, connect: lab.connect });
    lab.cluster.setMonitor(false);
    const failed = again.stop().then(() => 'verified', (e: Error) => e.message);
    await lab.advance(61_000);
    expect(await failed).toBe('no primary to verify the ledger against');
  });
});
