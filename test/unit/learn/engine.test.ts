import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clampPosition, STEP_EVENTS_MAX, Walkthrough } from '../../../src/learn/engine.js';
import type { ClusterEvent } from '../../../src/cluster/types.js';
import { GLOSSARY, glossaryLines, statesOnScreen } from '../../../src/learn/glossary.js';
import { LESSONS } from '../../../src/learn/lessons/index.js';
import { progressPath, readProgress, writeProgress } from '../../../src/learn/progress.js';
import { whyPromoted } from '../../../src/learn/prediction.js';
import { consoleState } from '../../ui/fake-controller.js';
import { healthySnapshot } from '../../ui/fixtures.js';

describe('walkthrough engine', () => {
  test('Tab skips a step whatever the cluster does, and runs on into the next lesson', () => {
    const w = new Walkthrough(LESSONS, 'local', { lesson: 0, step: 2 });
    w.skip();
    expect(w.position()).toEqual({ lesson: 1, step: 0 });
    expect(w.current()).toMatchObject({ lessonNo: 2, lessons: 9, stepNo: 1, steps: 4, title: 'Replication and lag', key: 'l' });
  });

  test('an answer counts on a prediction step only', () => {
    const w = new Walkthrough(LESSONS, 'local', { lesson: 0, step: 0 });
    expect(w.answer('node2')).toBe(false);
    const p = new Walkthrough(LESSONS, 'local', { lesson: 2, step: 0 });
    expect(p.current().predict).toBe(true);
    expect(p.answer('node2')).toBe(true);
  });

  test('a step begins at the first snapshot, not before: the prediction remembers the real standbys', () => {
    const w = new Walkthrough(LESSONS, 'local', { lesson: 2, step: 0 });
    w.observe({ snap: null, console: consoleState(), selected: null });
    w.observe({ snap: healthySnapshot(), console: consoleState(), selected: null });
    w.answer('node2');
    const promoted = { ...healthySnapshot(), primary: 'node2' };
    promoted.nodes = promoted.nodes.map((n) => ({ ...n, reportedState: n.name === 'node2' ? 'wait_primary' : 'secondary' }));
    // Skip to the verdict step and look: the explanation names the priorities it saw.
    w.observe({ snap: healthySnapshot(), console: consoleState(), selected: null });
    w.skip();
    w.skip();
    w.observe({ snap: promoted, console: consoleState(), selected: null });
    expect(w.current().lines[1]).toMatch(/^Why: node2 tied on priority 50/); // the fixture's standbys, as remembered
  });

  test('a saved position that no longer fits the lessons starts over', () => {
    expect(clampPosition(LESSONS, { lesson: 42, step: 0 })).toEqual({ lesson: 0, step: 0 });
    expect(clampPosition(LESSONS, { lesson: 2, step: 99 })).toEqual({ lesson: 2, step: 0 });
    expect(clampPosition(LESSONS, { lesson: 2, step: 3 })).toEqual({ lesson: 2, step: 3 });
  });

  test('every step of every lesson says at most 6 lines, each short enough for an 80-column pane', () => {
    for (const backend of ['local', 'compose']) {
      LESSONS.forEach((lesson, li) => {
        lesson.steps.forEach((step, si) => {
          const w = new Walkthrough(LESSONS, backend, { lesson: li, step: si });
          w.observe({ snap: healthySnapshot(), console: consoleState(), selected: 'node1' });
          const text = step.text({ snap: healthySnapshot(), console: consoleState(), events: [], since: 0, mem: { before: 'node1', prediction: 'node2', node: 'node2' }, backend, selected: 'node1' });
          expect(text.length, `${li + 1}.${si + 1}`).toBeLessThanOrEqual(6);
          for (const line of text) expect(line.length, `${li + 1}.${si + 1}: ${line}`).toBeLessThanOrEqual(76);
        });
      });
    }
  });
});

describe('prediction explanations', () => {
  test('priority, ties broken by LSN, and who was out of the running', () => {
    expect(whyPromoted('node2:90:secondary:good:0/5000000 node3:80:secondary:good:0/5000000', 'node2')).toBe(
      'node2 had the highest candidate priority (90) of the healthy standbys.',
    );
    expect(whyPromoted('node2:90:secondary:bad:0/5000000 node3:80:secondary:good:0/5000000', 'node3')).toBe(
      'node3 had the highest candidate priority (80) of the healthy standbys; node2 was unhealthy.',
    );
    expect(whyPromoted('node2:90:secondary:good:0/5000000 node3:90:secondary:good:0/4000000', 'node2')).toBe('node2 tied on priority 90 and had the most advanced LSN.');
  });
});

describe('glossary', () => {
  test('every pg_auto_failover state has one line', () => {
    const states = ['init', 'single', 'wait_primary', 'primary', 'draining', 'demote_timeout', 'demoted', 'catchingup', 'secondary', 'prepare_promotion', 'stop_replication', 'wait_standby', 'maintenance', 'join_primary', 'apply_settings', 'prepare_maintenance', 'wait_maintenance', 'report_lsn', 'fast_forward', 'join_secondary', 'dropped'];
    for (const s of states) expect(GLOSSARY[s], s).toMatch(/^[a-z].{10,110}$/);
  });
  test('the entries for the states on screen, each once', () => {
    const lines = glossaryLines(statesOnScreen(healthySnapshot().nodes));
    expect(lines).toEqual([`primary: ${GLOSSARY.primary}`, `secondary: ${GLOSSARY.secondary}`]);
  });
});

describe('progress file', () => {
  test('local: in the lab directory; compose: under the user state dir', () => {
    expect(progressPath('local', '/x/lab')).toBe('/x/lab/learn.json');
    expect(progressPath('compose', '/x/lab', { XDG_STATE_HOME: '/s' })).toBe('/s/pgha-tui/compose-learn.json');
    expect(progressPath('compose', '/x/lab', { XDG_STATE_HOME: 'relative' })).toMatch(/\/\.local\/state\/pgha-tui\/compose-learn\.json$/);
  });

  test('written atomically, read back; files we did not write safely are ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgha-learn-'));
    try {
      const path = join(dir, 'learn.json');
      expect(readProgress(path)).toBeNull();
      expect(writeProgress(path, { lesson: 3, step: 1 }, { createDir: false })).toBe(true);
      expect(readProgress(path)).toEqual({ lesson: 3, step: 1 });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      chmodSync(path, 0o666);
      expect(readProgress(path)).toBeNull(); // anyone could have written it
      rmSync(path);
      writeFileSync(join(dir, 'elsewhere.json'), '{"lesson":1,"step":0}\n', { mode: 0o600 });
      symlinkSync(join(dir, 'elsewhere.json'), path);
      expect(readProgress(path)).toBeNull(); // a link is not followed
      expect(writeProgress(path, { lesson: 2, step: 0 }, { createDir: false })).toBe(true);
      expect(readFileSync(join(dir, 'elsewhere.json'), 'utf8')).toBe('{"lesson":1,"step":0}\n'); // the link was replaced, its target untouched
      expect(readProgress(path)).toEqual({ lesson: 2, step: 0 });
      chmodSync(dir, 0o777);
      expect(writeProgress(path, { lesson: 4, step: 0 }, { createDir: false })).toBe(false); // a directory others can write
      expect(writeProgress(join(dir, 'missing', 'learn.json'), { lesson: 0, step: 0 }, { createDir: false })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('walkthrough memory', () => {
  // A console left open on one step for hours while the cluster fails over again and again:
  // the monitor's feed keeps its last 200 events; the engine must not keep every one it saw.
  test('a step that waits through thousands of events keeps a bounded number of them', () => {
    let t = Date.now();
    const w = new Walkthrough(LESSONS, 'local', { lesson: 2, step: 0 }, () => t);
    const window: ClusterEvent[] = [];
    for (let i = 0; i < 5000; i++) {
      t += 1000;
      // node2 and node3 going round catchingup and secondary: nothing lesson 3's first step waits for
      window.push({ at: t, kind: 'state', nodeName: `node${2 + (i % 2)}`, nodeId: 2 + (i % 2), reportedState: i % 4 < 2 ? 'catchingup' : 'secondary', goalState: 'secondary', health: 'good', text: `event ${i}` });
      if (window.length > 200) window.shift();
      w.observe({ snap: { ...healthySnapshot(), at: t, events: [...window] }, console: consoleState(), selected: 'node1' });
    }
    expect(w.position()).toEqual({ lesson: 2, step: 0 });
    const kept = w as unknown as { events: unknown[]; seen: Set<string> };
    expect(kept.events.length).toBeLessThanOrEqual(STEP_EVENTS_MAX);
    expect(kept.seen.size).toBeLessThanOrEqual(200);
  });

  test('an event seen twice (in two snapshots, or twice in one) counts once; a new one counts', () => {
    let t = Date.now();
    const w = new Walkthrough(LESSONS, 'local', { lesson: 2, step: 0 }, () => t);
    t += 1000;
    const e = (at: number, state: string): ClusterEvent => ({ at, kind: 'state', nodeName: 'node2', nodeId: 2, reportedState: state, goalState: state, health: 'good', text: state });
    const a = e(t, 'catchingup');
    const look = (events: ClusterEvent[]) => w.observe({ snap: { ...healthySnapshot(), at: t, events }, console: consoleState(), selected: 'node1' });
    look([a, a]);
    look([a]);
    look([a, e(t + 1, 'secondary')]);
    const kept = w as unknown as { events: ClusterEvent[] };
    expect(kept.events.map((x) => x.reportedState)).toEqual(['catchingup', 'secondary']);
  });
});
