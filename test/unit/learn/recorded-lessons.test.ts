// The lessons that break the cluster, replayed against a run recorded on a real local lab with
// scripts/learn/record-fixture.mjs: a controlled failover (node1 -> node2), maintenance on node1
// (a standby) and back, on node2 (the primary, node1 promoted) and back, then a hard kill of node1
// and its start (node2 promoted, timeline 5 -> 6). Each lesson must complete on its own part and
// stay put on the parts that only look like it.
import { describe, expect, test } from 'vitest';
import { readLines, replay, snapshots } from './replay.js';

const all = snapshots(readLines('learn-local-run.jsonl'));
/** 1-based line ranges of the recording, inclusive. */
const part = (from: number, to: number) => all.slice(from - 1, to);
const failover = part(1, 116);
const standbyMaintenance = part(111, 135);
const primaryMaintenance = part(136, 199);
const kill = part(200, 289);
const rowOf = (name: string) => String(Number(name.replace('node', '')));
const L = { planned: 2, unplanned: 3, rejoin: 4, maintenance: 7 } as const;

describe('lesson 3, planned switchover, on the recorded failover', () => {
  test('a wrong prediction, then f: every step completes and the verdict names the node really promoted', () => {
    const { w, shown } = replay(failover, {
      start: { lesson: L.planned, step: 0 },
      each: (walk, v) => {
        if (v.predict && v.lessonNo === 3) walk.answer('node3');
      },
    });
    expect(w.position()).toEqual({ lesson: L.planned + 1, step: 0 });
    expect(shown.map((s) => `${s.lessonNo}.${s.stepNo}`)).toEqual(['3.1', '3.2', '3.3', '3.4', '4.1']);
    const verdict = shown.find((s) => s.lessonNo === 3 && s.stepNo === 4)!.lines.join('\n');
    expect(verdict).toContain('You said node3; the monitor promoted node2.');
    expect(verdict).toContain('node2 had the highest candidate priority (90) of the healthy standbys');
  });

  test('no answer never blocks: the failover itself ends the prediction step', () => {
    const { w, shown } = replay(failover, { start: { lesson: L.planned, step: 0 } });
    expect(w.position()).toEqual({ lesson: L.planned + 1, step: 0 });
    expect(shown.find((s) => s.stepNo === 4)!.lines[0]).toBe('The monitor promoted node2 (no guess given).');
  });

  test('a hard kill is not a switchover: "press f" stays put although draining is assigned', () => {
    const { w } = replay(kill, { start: { lesson: L.planned, step: 1 } });
    expect(w.position()).toEqual({ lesson: L.planned, step: 1 });
  });

  test('maintenance on a standby moves no primary: "press f" stays put', () => {
    const { w } = replay(standbyMaintenance, { start: { lesson: L.planned, step: 1 } });
    expect(w.position()).toEqual({ lesson: L.planned, step: 1 });
  });
});

describe('lesson 8, rolling maintenance, on the recorded maintenance runs', () => {
  test('standby in and out, then the primary (fails over first) in and out; the prediction is checked', () => {
    const { w, shown } = replay([...standbyMaintenance, ...primaryMaintenance], {
      start: { lesson: L.maintenance, step: 0 },
      each: (walk, v, snap) => {
        if (v.predict && v.lessonNo === 8) walk.answer(snap.nodes[Number(rowOf('node1')) - 1]!.name);
      },
    });
    expect(w.position()).toEqual({ lesson: L.maintenance + 1, step: 0 });
    expect(shown.map((s) => `${s.lessonNo}.${s.stepNo}`)).toEqual(['8.1', '8.2', '8.3', '8.4', '8.5', '9.1']);
    expect(shown.find((s) => s.stepNo === 2)!.lines[0]).toBe('Bring node1 back: press m again on it.');
    expect(shown.find((s) => s.stepNo === 5)!.lines.join('\n')).toContain('You said node1: right, node1 was promoted.');
  });

  test('a controlled failover is not maintenance: step 1 stays put', () => {
    expect(replay(failover, { start: { lesson: L.maintenance, step: 0 } }).w.position()).toEqual({ lesson: L.maintenance, step: 0 });
  });

  test('the primary going into maintenance does not pass for "a standby into maintenance"', () => {
    expect(replay(primaryMaintenance, { start: { lesson: L.maintenance, step: 0 } }).w.position()).toEqual({ lesson: L.maintenance, step: 0 });
  });
});

describe('lesson 5, rejoin, on the recorded kill', () => {
  // The console's process view: node1 is down from the kill until pgha-tui start.
  const startAt = kill.find((s) => s.nodes[0]!.reportedState === 'demoted')!.at;
  const consoleFor = (snap: (typeof kill)[number]) => ({
    profile: 'default',
    processes: { node1: snap.at >= kill[1]!.at && snap.at < startAt ? ('stopped' as const) : ('running' as const), node2: 'running' as const, node3: 'running' as const },
  });

  test('kill, promotion, start: the old primary rejoins on the new timeline', () => {
    const { w, shown } = replay(kill, { start: { lesson: L.rejoin, step: 0 }, console: consoleFor });
    expect(shown.map((s) => `${s.lessonNo}.${s.stepNo}`)).toEqual(['5.1', '5.2', '6.1']);
    expect(w.position()).toEqual({ lesson: L.rejoin + 1, step: 0 });
  });

  test('without the kill (node1 never stopped) the first step waits', () => {
    const { w } = replay(kill, { start: { lesson: L.rejoin, step: 0 } });
    expect(w.position()).toEqual({ lesson: L.rejoin, step: 0 });
  });
});
