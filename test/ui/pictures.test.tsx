// The load pane's pictures as the App draws them: writes per second under the load line, one lag
// line per standby built from the snapshots as they arrive, within the terminal's width.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { ZERO } from '../../src/ui/sparkline.js';
import { healthySnapshot, NOW } from './fixtures.js';
import { delay, renderApp } from './harness.js';
import { FakeController, finishedRun, loadStats } from './fake-controller.js';

afterEach(() => cleanup());

const cols = (s: string) => [...s].length;
const lineAfter = (frame: string, start: RegExp) => {
  const lines = frame.split('\n');
  return lines[lines.findIndex((l) => start.test(l)) + 1] ?? '';
};

describe.each([80, 160])('pictures at %i columns', (columns) => {
  it('writes/s sits under the load line, its gap a run of zeros; each standby gets a lag line', async () => {
    let now = NOW;
    const app = renderApp(healthySnapshot({ at: NOW - 3000 }), () => now, new FakeController({ load: loadStats() }));
    app.resize(columns, 40);
    await delay(50);
    // Three snapshots a second apart: node2's lag grows, node3's stays.
    for (const [i, lag] of [1024, 4096, 16384].entries()) {
      const snap = healthySnapshot({ at: NOW - 2000 + i * 1000 });
      snap.nodes[1] = { ...snap.nodes[1]!, lagBytes: lag };
      now = snap.at;
      app.source.push(snap);
      await delay(20);
    }
    const f = await app.waitFor((fr) => fr.includes('max 16 kB'));
    expect(lineAfter(f, /^Load running/)).toMatch(new RegExp(`^writes/s +█+${ZERO}{6}▃█+  max 410$`));
    const node2 = f.split('\n').find((l) => l.startsWith('node2 lag'))!;
    const node3 = f.split('\n').find((l) => l.startsWith('node3 lag'))!;
    expect(node2).toMatch(/▁▂█ {2}max 16 kB$/);
    expect(node3).toMatch(/███ {2}max 1\.5 kB$/);
    expect(f).not.toMatch(/^node1 lag/m); // the primary has no lag line
    for (const l of f.split('\n')) expect(cols(l)).toBeLessThanOrEqual(columns);
  });
});

describe('pictures give way', () => {
  it('on a short terminal the lag lines go before the RTO timeline loses its detail', async () => {
    const run = finishedRun(3, 4.3);
    const app = renderApp(healthySnapshot(), () => NOW, new FakeController({ load: loadStats(), rto: { current: run, history: [run], summary: { runs: 1, minS: 4.3, medianS: 4.3, maxS: 4.3 } } }));
    app.resize(100, 40);
    const tall = await app.waitFor((fr) => fr.includes('node2 lag') && fr.includes('rejoined'));
    expect(tall).toMatch(/^writes\/s/m);
    // 28 rows: room for everything in full, but not for the two lag lines as well.
    app.resize(100, 28);
    const short = await app.waitFor((fr) => !fr.includes('node2 lag'));
    expect(short).toMatch(/^ {2}rejoined /m);
    expect(short).toMatch(/^writes\/s/m);
  });
});

describe('the RTO pane says what bounds each phase', () => {
  const fast = [
    ['health_check_period', '500'],
    ['health_check_timeout', '500'],
    ['health_check_max_retries', '1'],
    ['health_check_retry_delay', '250'],
    ['node_considered_unhealthy_timeout', '1500'],
    ['primary_demote_timeout', '1500'],
  ].map(([name, value]) => ({ name: name!, value: value!, tradeoff: '' }));
  const run = finishedRun(3, 4.3);
  const state = { profile: 'fast', gucs: fast, rto: { current: run, history: [run], summary: { runs: 1, minS: 4.3, medianS: 4.3, maxS: 4.3 } } };

  it('beside each phase on a wide terminal, with the live values', async () => {
    const app = renderApp(healthySnapshot(), () => NOW, new FakeController(state));
    app.resize(180, 40);
    const f = await app.waitFor((fr) => fr.includes('← health checks'));
    expect(f).toMatch(/^ {2}detected +\+1\.25 s {2}monitor marked node1 unhealthy {2}← health checks every 0\.5 s, timeout 0\.5 s, 1 retry after 0\.25 s$/m);
    expect(f).toMatch(/^ {2}election +\+2\.00 s .*← after 1\.5 s of keeper silence \(node_considered_unhealthy_timeout\)/m);
    expect(f).toMatch(/^ {2}promotion +\+3\.50 s .*← keeper transitions, 1 s loop: .*primary_demote_timeout 1\.5 s$/m);
    expect(f).toMatch(/^ {2}first-write +\+4\.30 s .*← client reconnect/m);
    for (const l of f.split('\n')) expect(cols(l)).toBeLessThanOrEqual(180);
  });

  it('under its phase on a narrower one; gone when the pane would lose its detail', async () => {
    const app = renderApp(healthySnapshot(), () => NOW, new FakeController(state));
    app.resize(100, 40);
    const f = await app.waitFor((fr) => fr.includes('← health checks'));
    const lines = f.split('\n');
    const i = lines.findIndex((l) => /^ {2}detected /.test(l));
    expect(lines[i]).not.toContain('←');
    expect(lines[i + 1]).toMatch(/^ {25}← health checks every 0\.5 s/);
    for (const l of lines) expect(cols(l)).toBeLessThanOrEqual(100);
    // A bound longer than the line folds under itself, not under the phase names.
    const pane = lines.slice(i, lines.findIndex((l) => l.startsWith('history')));
    for (const l of pane.filter((x) => !/^ {2}[a-z-]+ +(\+|…)/.test(x))) expect(l).toMatch(/^ {25}/);
    expect(pane.some((l) => /^ {27}\S/.test(l))).toBe(true);
    app.resize(100, 24);
    const short = await app.waitFor((fr) => !fr.includes('←'));
    expect(short).toMatch(/^ {2}promotion +\+3\.50 s {2}node2 reported wait_primary$/m);
  });
});
