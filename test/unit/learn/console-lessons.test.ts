// Lessons whose steps wait on the console's own state (load test, ledger, RTO runs, profile,
// partition watch) or on the selection, replayed on hand-made sequences around a healthy cluster.
import { describe, expect, test } from 'vitest';
import type { ConsoleState, RtoRun } from '../../../src/actions/types.js';
import { Walkthrough, type Position } from '../../../src/learn/engine.js';
import { LESSONS } from '../../../src/learn/lessons/index.js';
import { consoleState } from '../../ui/fake-controller.js';
import { healthySnapshot, NOW } from '../../ui/fixtures.js';

/** A walkthrough on a fixed healthy snapshot; feed() sets the console state and the selection. */
function walk(start: Position, backend = 'local') {
  let now = NOW;
  const w = new Walkthrough(LESSONS, backend, start, () => now);
  const snap = healthySnapshot();
  return {
    w,
    feed(c: Partial<ConsoleState> = {}, selected: string | null = null, dt = 1000) {
      now += dt;
      w.observe({ snap: { ...snap, at: now }, console: consoleState(c), selected });
      return w.position();
    },
    at: () => now,
  };
}

const load = (running: boolean, acknowledged: number) => ({
  running, clients: 4, startedAt: NOW, tps: 100, perSecond: [], acknowledged, errors: 0, reconnects: 0, unknown: 0, lastError: null, target: 'node1', lastAckAt: NOW,
});
const verdict = (checkedAt: number) => ({ checkedAt, readFrom: 'node2', acknowledged: 5000, present: 5000, lost: 0, lostSample: [], unknown: 2, unknownCommitted: 1, ok: true });
const run = (startedAt: number, over: Partial<RtoRun> = {}): RtoRun => ({
  id: 1, fault: 'kill', victim: 'node1', newPrimary: null, startedAt, clientRtoS: null, phases: [], status: 'running', error: null, ...over,
});
const rto = (current: RtoRun | null, history: RtoRun[] = []) => ({ current, history, summary: { runs: history.length, minS: null, medianS: null, maxS: null } });

describe('lesson 1, meet the cluster: selection steps', () => {
  test('select the primary, then a standby, then the one the monitor would promote (highest priority)', () => {
    const t = walk({ lesson: 0, step: 0 });
    expect(t.feed({}, 'node2')).toEqual({ lesson: 0, step: 0 }); // a standby is not the primary
    expect(t.feed({}, 'node1')).toEqual({ lesson: 0, step: 1 });
    expect(t.feed({}, 'node1')).toEqual({ lesson: 0, step: 1 }); // the primary is not a standby
    expect(t.feed({}, 'node3')).toEqual({ lesson: 0, step: 2 });
    expect(t.feed({}, 'node3')).toEqual({ lesson: 0, step: 2 }); // priority 80 < node2's 90
    expect(t.feed({}, 'node2')).toEqual({ lesson: 1, step: 0 });
  });
});

describe('lesson 2, replication and lag', () => {
  test('load on, 1000 writes since the step began, then a ledger checked after it', () => {
    const t = walk({ lesson: 1, step: 0 });
    expect(t.feed({ load: load(false, 0) })).toEqual({ lesson: 1, step: 0 });
    expect(t.feed({ load: load(true, 10) })).toEqual({ lesson: 1, step: 1 });
    expect(t.feed({ load: load(true, 900) })).toEqual({ lesson: 1, step: 1 });
    expect(t.feed({ load: load(true, 1010) })).toEqual({ lesson: 1, step: 2 });
    // The lag question: node2's Lag column shows 1.5 kB (1536 bytes); the answer is what it shows.
    expect(t.w.current().lines.join('\n')).toContain('How many bytes behind is node2 right now?');
    for (const ch of '1.5') t.w.type(ch);
    expect(t.w.current().lines.at(-1)).toBe('your answer: 1.5_');
    expect(t.w.submit()).toBe(true);
    expect(t.w.position()).toEqual({ lesson: 1, step: 3 });
    expect(t.w.current().lines[0]).toBe("You read 1.5 kB; node2's Lag column showed 1.5 kB: right (within 0.15 kB).");
    // An old verdict (checked before the step) is a look-alike.
    expect(t.feed({ load: load(true, 1200), verdict: verdict(NOW) })).toEqual({ lesson: 1, step: 3 });
    expect(t.feed({ load: load(false, 1200), verdict: verdict(t.at() + 500) })).toEqual({ lesson: 2, step: 0 });
  });
});

describe('lesson 4, unplanned failure (t)', () => {
  test('prediction, the run starts, first write, victim back; the verdict uses the run\'s new primary', () => {
    const t = walk({ lesson: 3, step: 0 });
    t.w.answer('node3');
    expect(t.feed()).toEqual({ lesson: 3, step: 1 });
    // A run from before the lesson is not this lesson's.
    expect(t.feed({ rto: rto(run(NOW - 60_000)) })).toEqual({ lesson: 3, step: 1 });
    const started = t.at() + 100;
    expect(t.feed({ rto: rto(run(started)) })).toEqual({ lesson: 3, step: 2 });
    expect(t.feed({ rto: rto(run(started, { newPrimary: 'node2' })) })).toEqual({ lesson: 3, step: 2 });
    expect(t.feed({ rto: rto(run(started, { newPrimary: 'node2', clientRtoS: 6.2 })) })).toEqual({ lesson: 3, step: 3 });
    const lines = t.w.current().lines.join('\n');
    expect(lines).toContain('You said node3; the monitor promoted node2.');
    expect(lines).toContain('Client RTO 6.2 s');
    const phases = [{ name: 'fault' as const, at: started, detail: null }, { name: 'detected' as const, at: started + 1234, detail: null }];
    const done = run(started, { newPrimary: 'node2', clientRtoS: 6.2, status: 'done', phases });
    expect(t.feed({ rto: rto(done, [done]) })).toEqual({ lesson: 3, step: 4 });
    // How long detection took, as the RTO pane prints it (+1.23 s): 1.7 is 0.47 off, still right.
    for (const ch of '1.7') t.w.type(ch);
    expect(t.w.submit()).toBe(true);
    expect(t.w.position()).toEqual({ lesson: 4, step: 0 });
    expect(t.w.current().lines[0]).toBe("You read 1.7 s; the run's detection took 1.23 s: right (within 0.5 s).");
  });
});

describe('lesson 6, speed vs safety', () => {
  test('fast, a finished run with fast, default, a finished run with default; an aborted run does not count', () => {
    const t = walk({ lesson: 5, step: 0 });
    expect(t.feed({ profile: 'default' })).toEqual({ lesson: 5, step: 0 });
    expect(t.feed({ profile: 'fast' })).toEqual({ lesson: 5, step: 1 });
    const aborted = run(t.at() + 10, { status: 'aborted' });
    expect(t.feed({ profile: 'fast', rto: rto(null, [aborted]) })).toEqual({ lesson: 5, step: 1 });
    const fast = run(t.at() + 10, { status: 'done', clientRtoS: 5.9 });
    expect(t.feed({ profile: 'fast', rto: rto(null, [aborted, fast]) })).toEqual({ lesson: 5, step: 2 });
    // The fast run is older than this step: switching back alone is not enough.
    expect(t.feed({ profile: 'default', rto: rto(null, [aborted, fast]) })).toEqual({ lesson: 5, step: 2 });
    const slow = run(t.at() + 10, { status: 'done', clientRtoS: 52.4 });
    expect(t.feed({ profile: 'default', rto: rto(null, [aborted, fast, slow]) })).toEqual({ lesson: 5, step: 3 });
    // The difference read off the history line (5.9 s and 52.4 s): 46 is within a second of 46.5.
    for (const ch of '46') t.w.type(ch);
    expect(t.w.submit()).toBe(true);
    expect(t.w.position()).toEqual({ lesson: 5, step: 4 });
    expect(t.w.current().lines[0]).toBe('You read 46 s; the default run took longer by 46.5 s: right (within 1 s).');
    expect(t.w.current().lines[2]).toBe('Your last two runs: 5.9 s and 52.4 s.');
    t.w.skip();
    expect(t.w.position()).toEqual({ lesson: 6, step: 0 });
  });
});

describe('lesson 7, data safety', () => {
  test('load on, a new primary while it writes, then the ledger: its numbers on screen', () => {
    const t = walk({ lesson: 6, step: 0 });
    expect(t.feed({ load: load(true, 5) })).toEqual({ lesson: 6, step: 1 });
    // Same primary as when the step began: no failover yet.
    expect(t.feed({ load: load(true, 50) })).toEqual({ lesson: 6, step: 1 });
  });
});

describe('lesson 9, partition', () => {
  test('on local it says what it needs and waits for Tab', () => {
    const t = walk({ lesson: 8, step: 0 }, 'local');
    expect(t.w.current().lines.join('\n')).toContain('pgha-tui up --backend compose');
    expect(t.feed({ splitBrain: { node: 'node1', promotedAt: null, promoted: null, acknowledged: 1, afterPromotion: 0, pending: 0, pendingSince: null, ended: null, running: true } })).toEqual({ lesson: 8, step: 0 });
  });
  test('on compose: the watch starts, a promotion is seen, the node is reconnected', () => {
    const t = walk({ lesson: 8, step: 0 }, 'compose');
    const watch = { node: 'node1', promotedAt: null as number | null, promoted: null as string | null, acknowledged: 1, afterPromotion: 0, pending: 1, pendingSince: NOW, ended: null, running: true };
    expect(t.feed({ canPartition: true, partitioned: ['node1'], splitBrain: watch })).toEqual({ lesson: 8, step: 1 });
    expect(t.feed({ canPartition: true, partitioned: ['node1'], splitBrain: { ...watch, promotedAt: NOW, promoted: 'node2' } })).toEqual({ lesson: 8, step: 2 });
    expect(t.feed({ canPartition: true, partitioned: ['node1'], splitBrain: { ...watch, promotedAt: NOW, promoted: 'node2' } })).toEqual({ lesson: 8, step: 2 });
    expect(t.feed({ canPartition: true, partitioned: [], splitBrain: { ...watch, running: false } })).toEqual({ lesson: 9, step: 0 });
    expect(t.w.current().finished).toBe(true);
  });
});
