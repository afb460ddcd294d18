// The load and RTO panes: pure line builders first, then as the App draws them.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConsoleState, RtoRun } from '../../src/actions/types.js';
import { formatRto, lineText, loadLines, oneLine, phaseOffset, rtoLines, splitBrainLine, verdictLine } from '../../src/ui/panes.js';
import { healthySnapshot, NOW } from './fixtures.js';
import { renderApp } from './harness.js';
import { FakeController, finishedRun, loadStats, verdict } from './fake-controller.js';

afterEach(() => cleanup());

const texts = (lines: Parameters<typeof lineText>[0][]) => lines.map(lineText);
const SUMMARY = { runs: 3, minS: 3.9, medianS: 4.3, maxS: 5.1 };
const HISTORY = [finishedRun(1, 5.1), finishedRun(2, 3.9), finishedRun(3, 4.3)];

describe('pane text', () => {
  it('formatRto and phaseOffset', () => {
    expect(formatRto(4.26)).toBe('4.3 s');
    expect(formatRto(null)).toBe('–');
    expect(phaseOffset({ name: 'detected', at: 2_250, detail: null }, 1_000)).toBe('+1.25 s');
    expect(phaseOffset({ name: 'fault', at: 1_000, detail: null }, 1_000)).toBe('+0.00 s');
    expect(phaseOffset({ name: 'rejoined', at: null, detail: null }, 1_000)).toBe('…');
    expect(phaseOffset({ name: 'detected', at: 2_000, detail: null }, null)).toBe('…');
  });

  it('oneLine flattens and shortens long errors', () => {
    expect(oneLine('a\n  b\tc')).toBe('a b c');
    expect(oneLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('verdict: green with the unknown outcomes when ok, red LOST otherwise', () => {
    const ok = verdictLine(verdict());
    expect(lineText(ok)).toContain('0 lost of 12345 acknowledged (unknown: 1, of which 1 committed)');
    expect(ok[0]?.color).toBe('green');
    const bad = verdictLine(verdict({ ok: false, lost: 2, present: 12343, lostSample: [17, 18] }));
    expect(lineText(bad)).toMatch(/^2 LOST of 12345 acknowledged {2}e\.g\. ids 17, 18/);
    expect(bad[0]?.color).toBe('red');
  });

  it('load: every counter; compact drops the last error, never the verdict', () => {
    const full = texts(loadLines(loadStats(), verdict(), 'full'));
    expect(full).toHaveLength(4);
    expect(full[0]).toBe('Load running  8 clients → node1  412 tx/s');
    expect(full[1]).toBe('acknowledged 12345  errors 3  reconnects 2  unknown 1');
    expect(full[2]).toBe('last error terminating connection due to administrator command');
    expect(full[3]).toContain('0 lost of 12345');
    const compact = texts(loadLines(loadStats(), verdict(), 'compact'));
    expect(compact).toEqual([full[0], full[1], full[3]]);
    expect(texts(loadLines(null, verdict(), 'full'))).toEqual(['Load stopped', full[3]]);
  });

  it('rto: title, a line per phase, history; compact puts the phases on one line', () => {
    const rto = { current: HISTORY[2]!, history: HISTORY, summary: SUMMARY };
    const full = texts(rtoLines(rto, NOW, 'full'));
    expect(full).toHaveLength(1 + 6 + 1);
    expect(full[0]).toBe('RTO  #3 kill node1 → node2  client RTO 4.3 s');
    expect(full[2]).toMatch(/^ {2}detected\s+\+1\.25 s {2}monitor marked node1 unhealthy$/);
    expect(full[6]).toMatch(/^ {2}rejoined\s+…$/);
    expect(full[7]).toBe('history 5.1 s  3.9 s  4.3 s   min 3.9 s / median 4.3 s / max 5.1 s (3 runs)');
    const compact = texts(rtoLines(rto, NOW, 'compact'));
    expect(compact).toHaveLength(3);
    expect(compact[1]).toContain('fault +0.00 s  detected +1.25 s  election +2.00 s');
  });

  it('rto: with no current run the last one is shown; aborted and failed say so', () => {
    const failed = finishedRun(4, 0, { status: 'failed', clientRtoS: null, error: 'node2 never\npromoted' });
    const aborted = finishedRun(5, 0, { status: 'aborted', clientRtoS: null });
    expect(texts(rtoLines({ current: null, history: [failed], summary: SUMMARY }, NOW, 'full'))[0]).toContain(
      'failed: node2 never promoted',
    );
    const history = [finishedRun(0, 9.9), ...HISTORY, failed, aborted];
    const lines = texts(rtoLines({ current: aborted, history, summary: SUMMARY }, NOW, 'full'));
    expect(lines[0]).toContain('  aborted');
    expect(lines.at(-1)).toContain('history 5.1 s  3.9 s  4.3 s  failed  aborted   min'); // the last five
  });
});

const running = (startedAt: number): RtoRun => ({
  ...finishedRun(7, 0),
  newPrimary: null,
  startedAt,
  clientRtoS: null,
  status: 'running',
  phases: [
    { name: 'fault', at: startedAt + 20, detail: 'SIGKILL node1' },
    { name: 'detected', at: null, detail: null },
    { name: 'election', at: null, detail: null },
    { name: 'promotion', at: null, detail: null },
    { name: 'first-write', at: null, detail: null },
    { name: 'rejoined', at: null, detail: null },
  ],
});

async function renderWith(state: Partial<ConsoleState>, columns = 100, rows = 40, now = () => NOW) {
  const controller = new FakeController(state);
  const app = renderApp(healthySnapshot(), now, controller);
  app.resize(columns, rows);
  await app.waitFor((f) => f.includes('node3'));
  return { app, controller };
}

describe('App: RTO pane', () => {
  it('a finished run: client RTO, every phase with its offset, history min/median/max', async () => {
    const { app } = await renderWith({ rto: { current: HISTORY[2]!, history: HISTORY, summary: SUMMARY } });
    const f = await app.waitFor((fr) => fr.includes('client RTO'));
    expect(f).toContain('#3 kill node1 → node2  client RTO 4.3 s');
    const offsets: [string, string, string][] = [
      ['fault', '+0.00 s', 'SIGKILL node1'],
      ['detected', '+1.25 s', 'monitor marked node1 unhealthy'],
      ['election', '+2.00 s', 'node2 reported report_lsn'],
      ['promotion', '+3.50 s', 'node2 reported wait_primary'],
      ['first-write', '+4.30 s', 'ack from node2'],
    ];
    for (const [name, offset, detail] of offsets) expect(f).toMatch(new RegExp(`^ {2}${name}\\s+\\${offset}  ${detail}$`, 'm'));
    expect(f).toMatch(/^ {2}rejoined\s+…$/m);
    expect(f).toContain('min 3.9 s / median 4.3 s / max 5.1 s');
  });

  it('a running run counts up in tenths of a second', async () => {
    let now = NOW;
    const { app } = await renderWith({ rto: { current: running(NOW - 2_340), history: [], summary: SUMMARY } }, 100, 40, () => now);
    await app.waitFor((f) => f.includes('running 2.3 s'));
    expect(app.frame()).toMatch(/^ {2}detected\s+…$/m);
    now = NOW + 1_000;
    await app.waitFor((f) => f.includes('running 3.3 s'), 500); // ticks faster than once a second
  });

  it('a failed run shows its error', async () => {
    const failed = finishedRun(4, 0, { status: 'failed', clientRtoS: null, error: 'node2 never promoted' });
    const { app } = await renderWith({ rto: { current: failed, history: [failed], summary: SUMMARY } });
    await app.waitFor((f) => f.includes('failed: node2 never promoted'));
  });
});

describe('App: load pane', () => {
  it('shows the counters while the load runs', async () => {
    const { app } = await renderWith({ load: loadStats() });
    const f = await app.waitFor((fr) => fr.includes('tx/s'));
    expect(f).toContain('8 clients → node1  412 tx/s');
    expect(f).toContain('acknowledged 12345  errors 3  reconnects 2  unknown 1');
    expect(f).toContain('last error terminating connection');
  });

  it('a red verdict says LOST', async () => {
    const { app } = await renderWith({
      load: loadStats({ running: false }),
      verdict: verdict({ ok: false, lost: 2, present: 12343, lostSample: [17, 18] }),
    });
    const f = await app.waitFor((fr) => fr.includes('LOST'));
    expect(f).toContain('2 LOST of 12345 acknowledged');
    expect(f).toContain('Load stopped');
  });

  it('a green verdict says 0 lost, with the unknown outcomes', async () => {
    const { app } = await renderWith({ load: loadStats({ running: false }), verdict: verdict() });
    await app.waitFor((f) => f.includes('0 lost of 12345 acknowledged (unknown: 1, of which 1 committed)'));
  });

  it('no pane while there is neither load nor verdict', async () => {
    const { app } = await renderWith({});
    expect(app.frame()).not.toContain('Load');
    expect(app.frame()).not.toContain('RTO');
  });
});

describe('App: help overlay', () => {
  it('lists the active profile and every GUC with value and tradeoff', async () => {
    const { app, controller } = await renderWith({}, 100, 30);
    await app.press('?');
    const f = await app.waitFor((fr) => fr.includes('Profile fast'));
    for (const g of controller.state().gucs) expect(f).toContain(`${g.name} = ${g.value} — ${g.tradeoff}`);
  });
});

describe('split-brain line', () => {
  const base = { node: 'postgres-primary', promotedAt: 1_000, promoted: 'postgres-replica1', acknowledged: 12, afterPromotion: 0, pending: 1, pendingSince: 2_000, ended: null, running: true };
  const text = (l: ReturnType<typeof splitBrainLine>) => l.map((s) => s.text).join('');
  it('green 0 after the promotion, with the promoted node', () => {
    const l = splitBrainLine(base, 6_000);
    expect(text(l)).toContain('0 writes acknowledged after the promotion');
    expect(text(l)).toContain('postgres-replica1 promoted 5 s ago');
    expect(text(l)).toContain('1 waiting for a standby for 4 s');
    expect(l.find((s) => s.text.startsWith('0 writes'))?.color).toBe('green');
  });
  it('red when the old primary acknowledged writes after the promotion', () => {
    const l = splitBrainLine({ ...base, afterPromotion: 3 }, 6_000);
    expect(l.find((s) => s.text.startsWith('3 writes'))?.color).toBe('red');
  });
  it('says how the link to the old primary ended', () => {
    const l = splitBrainLine({ ...base, pending: 0, pendingSince: null, running: false, ended: 'terminating connection due to administrator command' }, 6_000);
    expect(text(l)).toContain('link closed: terminating connection due to administrator command');
    expect(text(l)).not.toContain('waiting');
  });
});
