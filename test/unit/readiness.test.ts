import { describe, expect, test } from 'vitest';
import { isReady, stateLine, waitUntil, type ReadinessRow } from '../../src/cluster/readiness.js';

const row = (name: string, reportedState: string, assignedState = reportedState, health = 'good'): ReadinessRow => ({ name, reportedState, assignedState, health });
const triple = () => [row('node1', 'primary'), row('node2', 'secondary'), row('node3', 'secondary')];

describe('isReady', () => {
  test('1 primary + 2 secondaries, each in its assigned state', () => {
    expect(isReady(triple())).toBe(true);
    expect(isReady(triple(), { healthGood: true })).toBe(true);
  });

  test('a node on its way to its assigned state does not count', () => {
    const rows = triple();
    rows[2] = row('node3', 'catchingup', 'secondary');
    expect(isReady(rows)).toBe(false);
    rows[2] = row('node3', 'secondary', 'catchingup');
    expect(isReady(rows)).toBe(false);
    const rows2 = triple();
    rows2[0] = row('node1', 'wait_primary', 'primary');
    expect(isReady(rows2)).toBe(false);
  });

  test('exactly the expected number of nodes', () => {
    expect(isReady(triple().slice(0, 2))).toBe(false);
    expect(isReady(triple().slice(0, 2), { expected: 2 })).toBe(true);
    expect(isReady([...triple(), row('node4', 'secondary')])).toBe(false);
    expect(isReady([row('node1', 'primary'), row('node2', 'primary'), row('node3', 'secondary')])).toBe(false);
    expect(isReady([])).toBe(false);
  });

  test('healthGood also needs the monitor to mark every node good', () => {
    const rows = triple();
    rows[1] = row('node2', 'secondary', 'secondary', 'unknown');
    expect(isReady(rows)).toBe(true);
    expect(isReady(rows, { healthGood: true })).toBe(false);
  });

  test('stateLine names every node with its reported state', () => {
    const rows = triple();
    rows[2] = row('node3', 'catchingup', 'secondary');
    expect(stateLine(rows)).toBe('node1=primary node2=secondary node3=catchingup');
  });
});

describe('waitUntil', () => {
  test('returns the first value the check gives', async () => {
    let n = 0;
    const v = await waitUntil(async () => (++n === 3 ? 'ready' : null), { timeoutMs: 5000, intervalMs: 1, timedOut: () => new Error('late') });
    expect(v).toBe('ready');
    expect(n).toBe(3);
  });

  test('times out with the caller\'s error, after at least one check', async () => {
    let n = 0;
    await expect(waitUntil(async () => (n++, null), { timeoutMs: 30, intervalMs: 5, timedOut: () => new Error(`late after ${n} checks`) })).rejects.toThrow(/^late after \d+ checks$/);
    expect(n).toBeGreaterThan(1);
  });

  test('a check that throws ends the wait at once', async () => {
    let n = 0;
    const t0 = Date.now();
    await expect(
      waitUntil(async () => {
        n++;
        throw new Error('node2 exited');
      }, { timeoutMs: 10_000, intervalMs: 1000, timedOut: () => new Error('late') }),
    ).rejects.toThrow('node2 exited');
    expect(n).toBe(1);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  test('an aborted signal stops it before the next check, with the signal\'s reason or the caller\'s error', async () => {
    const ac = new AbortController();
    let n = 0;
    const check = async () => {
      if (++n === 2) ac.abort(new Error('interrupted by SIGINT'));
      return null;
    };
    await expect(waitUntil(check, { timeoutMs: 10_000, intervalMs: 1, signal: ac.signal, timedOut: () => new Error('late') })).rejects.toThrow('interrupted by SIGINT');
    expect(n).toBe(2);
    await expect(waitUntil(check, { timeoutMs: 10_000, intervalMs: 1, signal: ac.signal, aborted: () => new Error('mine'), timedOut: () => new Error('late') })).rejects.toThrow('mine');
    expect(n).toBe(2);
  });
});
