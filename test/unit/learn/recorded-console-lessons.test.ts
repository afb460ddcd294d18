// The lessons that wait on the console's own state, replayed against a run recorded on a real
// local lab with scripts/learn/record-console.mjs (the console's LiveController, no screen): the
// load started, run and stopped (ledger), the profile switched to fast and a `t` run (node1 killed,
// node2 promoted), back to default and a second run (node2 killed, node1 promoted), the load
// stopped again. Each lesson completes on its part and stays put on the parts that only look like it.
import { describe, expect, test } from 'vitest';
import { formatBytes } from '../../../src/lib/bytes.js';
import { consoles, readLines, replay, snapshots, type Line } from './replay.js';
import type { StepView } from '../../../src/learn/engine.js';

const lines = readLines('learn-local-console.jsonl');
const snaps = snapshots(lines);
const cons = consoles(lines);
const first = (pred: (i: number) => boolean, from = 0) => {
  for (let i = from; i < lines.length; i++) if (pred(i)) return i;
  throw new Error('not in the recording');
};
const loadOn = first((i) => cons[i]!.load?.running === true);
const firstVerdict = first((i) => cons[i]!.verdict !== null);
const fastOn = first((i) => cons[i]!.profile === 'fast');
const run1Done = first((i) => cons[i]!.rto!.history.length === 1);
const defaultOn = first((i) => cons[i]!.profile === 'default', fastOn);
const run2Done = first((i) => cons[i]!.rto!.history.length === 2);
const lastVerdict = first((i) => cons[i]!.verdict !== null && cons[i]!.verdict!.checkedAt !== cons[firstVerdict]!.verdict!.checkedAt);

/** Replays lines [from, to) with the recorded console state; notes the line each step appeared at. */
function run(from: number, to: number, o: { lesson: number; step?: number; selected?: (i: number) => string | null; each?: Parameters<typeof replay>[1]['each']; console?: (i: number) => object }) {
  const at: Record<string, number> = {};
  const { w, shown } = replay(snaps.slice(from, to), {
    start: { lesson: o.lesson, step: o.step ?? 0 },
    console: (_s, k) => ({ ...cons[from + k], ...o.console?.(from + k) }),
    selected: (_s, k) => o.selected?.(from + k) ?? null,
    each: (walk, v, snap) => {
      at[`${v.lessonNo}.${v.stepNo}`] ??= snaps.indexOf(snap);
      o.each?.(walk, v, snap);
    },
  });
  return { w, shown, at, steps: shown.map((s) => `${s.lessonNo}.${s.stepNo}`) };
}
const type = (w: { type: (c: string) => boolean }, text: string) => [...text].forEach((c) => w.type(c));
const settled = (l: Line) => l.nodes.every((n) => n.reportedState === n.assignedState && ['primary', 'secondary'].includes(n.reportedState));

describe('the recording', () => {
  test('holds what the lessons need, in order', () => {
    expect(loadOn).toBeLessThan(firstVerdict);
    expect(firstVerdict).toBeLessThan(fastOn);
    expect(fastOn).toBeLessThan(run1Done);
    expect(run1Done).toBeLessThan(defaultOn);
    expect(defaultOn).toBeLessThan(run2Done);
    expect(run2Done).toBeLessThan(lastVerdict);
    expect(cons[run1Done]!.rto!.current).toMatchObject({ fault: 'kill', victim: 'node1', newPrimary: 'node2', status: 'done' });
    expect(cons[run2Done]!.rto!.current).toMatchObject({ fault: 'kill', victim: 'node2', newPrimary: 'node1', status: 'done' });
  });
});

describe('lesson 1, meet the cluster, on the recorded healthy cluster', () => {
  test('a standby first, then the primary; a lower-priority standby, then the first candidate', () => {
    // From the first settled line s: s..s+2 node2 (not the primary), then node1 (the primary),
    // then node3 (a standby, but priority 80 < node2's 90), then node2.
    const s = first((i) => lines[i]!.primary === 'node1' && settled(lines[i]!));
    const pick = (i: number) => (i < s + 3 ? 'node2' : i < s + 6 ? 'node1' : i < s + 9 ? 'node3' : 'node2');
    const r = run(s, s + 10, { lesson: 0, selected: pick });
    expect(r.steps).toEqual(['1.1', '1.2', '1.3', '2.1']);
    expect(r.at).toMatchObject({ '1.2': s + 3, '1.3': s + 6, '2.1': s + 9 });
  });

  test('the primary selected while a killed node is still rejoining: step 1 waits for the cluster to settle', () => {
    const promoted = first((i) => lines[i]!.primary === 'node2', fastOn);
    const r = run(promoted, run1Done + 3, { lesson: 0, selected: () => 'node2' });
    const healthyAgain = first((i) => lines[i]!.primary === 'node2' && settled(lines[i]!), promoted);
    expect(healthyAgain).toBeGreaterThan(promoted);
    expect(r.at['1.2']).toBe(healthyAgain);
  });
});

describe('lesson 2, replication and lag, on the recorded load', () => {
  /** Answers the lag question one line after it shows, with what the table showed a line before. */
  function answering(answer: (shown: number) => string) {
    let asked = -1;
    return (walk: Parameters<NonNullable<Parameters<typeof replay>[1]['each']>>[0], v: StepView, snap: (typeof snaps)[number]) => {
      if (!v.number || v.lessonNo !== 2) return;
      const i = snaps.indexOf(snap);
      if (asked < 0) asked = i;
      if (i < asked + 2) return;
      const bytes = snaps[i - 1]!.nodes.find((n) => n.name === 'node2')!.lagBytes;
      type(walk, answer(Number.parseFloat(formatBytes(bytes))));
      walk.submit();
    };
  }

  test('load on, 1000 writes, the lag read off the table (a second old) is right, the ledger', () => {
    const r = run(0, firstVerdict + 3, { lesson: 1, each: answering((n) => String(n)) });
    expect(r.steps).toEqual(['2.1', '2.2', '2.3', '2.4', '3.1']);
    expect(r.at['2.2']).toBe(loadOn);
    expect(r.at['3.1']).toBe(firstVerdict);
    const verdict = r.shown.find((s) => s.stepNo === 4)!.lines;
    expect(verdict[0]).toMatch(/^You read [\d.]+ (B|kB); node2's Lag column showed [\d.]+ (B|kB): right \(within [\d.]+ (B|kB)\)\.$/);
    // The lag did move while the question was up: a reading is not just a constant.
    const shownLag = new Set(lines.slice(r.at['2.3']!, firstVerdict).map((l) => l.nodes.find((n) => n.name === 'node2')!.lagBytes));
    expect(shownLag.size).toBeGreaterThan(1);
  });

  test('a far-off number is wrong, and the lesson goes on', () => {
    const r = run(0, firstVerdict + 3, { lesson: 1, each: answering((n) => String(n + 500)) });
    expect(r.steps).toEqual(['2.1', '2.2', '2.3', '2.4', '3.1']);
    expect(r.shown.find((s) => s.stepNo === 4)!.lines[0]).toContain(': wrong (right is within');
  });

  test('"stop the load and check the ledger" does not take the verdict from before the step', () => {
    // Begun while the first verdict exists and the RTO runs' load writes: only the last stop counts.
    const r = run(fastOn, lines.length, { lesson: 1, step: 3 });
    expect(r.steps).toEqual(['2.4', '3.1']);
    expect(r.at['3.1']).toBe(lastVerdict);
  });
});

describe('lesson 4, unplanned failure, on the recorded fast run', () => {
  const detected = () => {
    const p = cons[run1Done]!.rto!.current!.phases;
    return (p.find((x) => x.name === 'detected')!.at! - p.find((x) => x.name === 'fault')!.at!) / 1000;
  };
  const answering = (text: string) => (walk: Parameters<NonNullable<Parameters<typeof replay>[1]['each']>>[0], v: StepView) => {
    if (v.predict && v.lessonNo === 4) walk.answer('node2');
    if (v.number && v.lessonNo === 4) {
      type(walk, text);
      walk.submit();
    }
  };

  test('prediction, t, the phases, the verdict, then the detection read off the RTO pane is right', () => {
    const figure = detected().toFixed(2);
    const r = run(fastOn, run1Done + 3, { lesson: 3, each: answering(figure) });
    expect(r.steps).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5', '5.1']);
    expect(r.shown.find((s) => s.stepNo === 4)!.lines[0]).toBe('You said node2: right, node2 was promoted.');
    const next = r.shown.find((s) => s.lessonNo === 5)!.lines;
    expect(next[0]).toBe(`You read ${Number(figure)} s; the run's detection took ${figure} s: right (within 0.5 s).`);
    // Explained with the fast profile's live health-check settings.
    const period = Number(cons[run1Done]!.gucs!.find((g) => g.name === 'health_check_period')!.value) / 1000;
    expect(next[1]).toContain(`Detection is bounded by the monitor's health checks: health checks every ${period} s`);
  });

  test('a detection figure 3 s off is wrong', () => {
    const r = run(fastOn, run1Done + 3, { lesson: 3, each: answering((detected() + 3).toFixed(1)) });
    expect(r.shown.find((s) => s.lessonNo === 5)!.lines[0]).toContain(': wrong (right is within 0.5 s).');
  });

  test('the same run relabelled a controlled failover is not the unplanned one: "press t" stays', () => {
    const asFailover = (i: number) => {
      const cur = cons[i]!.rto!.current;
      return cur ? { rto: { ...cons[i]!.rto!, current: { ...cur, fault: 'failover' as const } } } : {};
    };
    const r = run(fastOn, run1Done + 3, { lesson: 3, step: 1, console: asFailover });
    expect(r.steps).toEqual(['4.2']);
  });
});

describe('lesson 6, speed vs safety, on the recorded profiles and runs', () => {
  const rtos = () => [run1Done, run2Done].map((i) => cons[i]!.rto!.current!.clientRtoS!.toFixed(1));
  const answering = (text: string) => (walk: Parameters<NonNullable<Parameters<typeof replay>[1]['each']>>[0], v: StepView) => {
    if (v.number && v.lessonNo === 6) {
      type(walk, text);
      walk.submit();
    }
  };

  test('P to fast, a finished fast run, P back to default, a finished default run; the difference read off the history', () => {
    // Read off the history line ("8.6 s  55.0 s") and subtracted, rounded to whole seconds.
    const [fast, slow] = rtos().map(Number) as [number, number];
    const read = String(Math.round(slow - fast));
    const r = run(firstVerdict, lines.length, { lesson: 5, each: answering(read) });
    expect(r.steps).toEqual(['6.1', '6.2', '6.3', '6.4', '6.5']);
    expect(r.at).toMatchObject({ '6.2': fastOn, '6.3': run1Done, '6.4': run2Done });
    const last = r.shown.at(-1)!.lines;
    expect(last[0]).toBe(`You read ${read} s; the default run took longer by ${(slow - fast).toFixed(1)} s: right (within 1 s).`);
    // Explained with the default profile's live settings, as recorded.
    expect(last[1]).toBe('With default the monitor waits 20 s of keeper silence before the election, and the promotion waits out primary_demote_timeout (30 s).');
    expect(last[2]).toBe(`Your last two runs: ${rtos()[0]} s and ${rtos()[1]} s.`);
  });

  test('the fast run alone read as the difference is wrong', () => {
    const r = run(firstVerdict, lines.length, { lesson: 5, each: answering(rtos()[0]!) });
    expect(r.shown.at(-1)!.lines[0]).toContain(': wrong (right is within 1 s).');
  });

  test('a second finished run with the same profile is no comparison: step 3 stays', () => {
    // Begun with fast still on, before its run: the finished run is fast, not default.
    const r = run(fastOn, defaultOn, { lesson: 5, step: 2 });
    expect(r.steps).toEqual(['6.3']);
  });

  test('the fast run that finished before the default one was asked for does not count', () => {
    const run2Start = first((i) => cons[i]!.rto!.current?.status === 'running', defaultOn);
    const r = run(defaultOn, run2Start + 1, { lesson: 5, step: 2 });
    expect(r.steps).toEqual(['6.3']);
  });
});

describe('lesson 7, data safety, on the whole recording', () => {
  test('load on; the first stop (no kill yet) does not pass; the kill under load; the last ledger', () => {
    const r = run(0, lines.length, { lesson: 6 });
    expect(r.steps).toEqual(['7.1', '7.2', '7.3', '7.4']);
    expect(r.at['7.2']).toBe(loadOn);
    // The load stopped with a ledger before any kill: "kill the primary while it writes" waits for the run's kill.
    expect(r.at['7.3']).toBeGreaterThan(fastOn);
    expect(lines[r.at['7.3']!]!.primary).toBe('node2');
    expect(r.at['7.4']).toBe(lastVerdict);
    const v = cons[lastVerdict]!.verdict!;
    expect(r.shown.at(-1)!.lines[0]).toBe(`${v.acknowledged} acknowledged, ${v.lost} lost, ${v.unknown} unknown outcome (${v.unknownCommitted} of them committed).`);
    expect(v.lost).toBe(0);
  });
});
