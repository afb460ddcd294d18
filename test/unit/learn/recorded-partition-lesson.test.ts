// Lesson 9 replayed against a partition recorded on the real compose lab with
// scripts/learn/record-console.mjs --partition (the console's controller, no screen): the fast
// profile, the primary cut off (split-brain watch and load on), another node promoted, the heal.
import { describe, expect, test } from 'vitest';
import { consoles, readLines, replay, snapshots } from './replay.js';

const lines = readLines('learn-compose-partition.jsonl');
const snaps = snapshots(lines);
const cons = consoles(lines);
const first = (pred: (i: number) => boolean, from = 0) => {
  for (let i = from; i < lines.length; i++) if (pred(i)) return i;
  throw new Error('not in the recording');
};
const cut = first((i) => (cons[i]!.partitioned ?? []).length > 0);
const promoted = first((i) => cons[i]!.splitBrain?.promotedAt != null);
const healed = first((i) => cut < i && (cons[i]!.partitioned ?? []).length === 0);

/** Replays lines [from, to) from a lesson-9 step; `change` edits the recorded console state. */
function run(from: number, o: { step?: number; backend?: string; change?: (c: (typeof cons)[number], i: number) => object } = {}) {
  const at: Record<string, number> = {};
  const { shown } = replay(snaps.slice(from), {
    start: { lesson: 8, step: o.step ?? 0 },
    backend: o.backend ?? 'compose',
    console: (_s, k) => ({ ...cons[from + k], ...o.change?.(cons[from + k]!, from + k) }),
    each: (_w, v, snap) => {
      at[v.finished ? 'done' : `${v.lessonNo}.${v.stepNo}`] ??= snaps.indexOf(snap);
    },
  });
  return { shown, at, steps: shown.map((s) => (s.finished ? 'done' : `${s.lessonNo}.${s.stepNo}`)) };
}

describe('the recording', () => {
  test('the primary was cut off, another node promoted, then the cut healed, with 0 split-brain writes', () => {
    expect(cut).toBeLessThan(promoted);
    expect(promoted).toBeLessThan(healed);
    const victim = cons[cut]!.partitioned![0]!;
    expect(lines[cut - 1]!.primary).toBe(victim);
    expect(cons[promoted]!.splitBrain).toMatchObject({ node: victim, afterPromotion: 0 });
    expect(cons[promoted]!.splitBrain!.promoted).not.toBe(victim);
    expect(cons[healed]!.splitBrain!.running).toBe(false);
  });
});

describe('lesson 9, network partition, on the recorded compose run', () => {
  test('the cut starts step 2, the promotion step 3, the heal ends the walkthrough', () => {
    const r = run(0);
    expect(r.steps).toEqual(['9.1', '9.2', '9.3', 'done']);
    expect(r.at).toMatchObject({ '9.2': cut, '9.3': promoted, done: healed });
    // Step 3 reads the watch's count as the console had it.
    expect(r.shown.find((s) => s.stepNo === 3)!.lines[0]).toMatch(/^Writes after the promotion: 0\./);
  });

  test('on the local backend the same cut does not count: the lesson says what it needs and waits', () => {
    const r = run(0, { backend: 'local' });
    expect(r.steps).toEqual(['9.1']);
    expect(r.shown[0]!.lines.join(' ')).toContain('pgha-tui up --backend compose');
  });

  test('a cut with no promotion (the watch still waiting) stays at step 2', () => {
    const r = run(0, { change: (c) => ({ splitBrain: c.splitBrain && { ...c.splitBrain, promotedAt: null, promoted: null } }) });
    expect(r.steps).toEqual(['9.1', '9.2']);
  });

  test('a lab that was never cut does not pass the heal step', () => {
    const r = run(0, { step: 2, change: () => ({ partitioned: [], splitBrain: null }) });
    expect(r.steps).toEqual(['9.3']);
  });

  test('the heal step waits while the node is still cut off, even once the watch has stopped', () => {
    const victim = cons[cut]!.partitioned![0]!;
    const r = run(promoted, { step: 2, change: (c, i) => (i >= healed ? { partitioned: [victim] } : {}) });
    expect(r.steps).toEqual(['9.3']);
  });
});
