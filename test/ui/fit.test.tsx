// Everything at once must fit 100x30 and 80x24: the table and help bar always, one row spare.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConsoleState } from '../../src/actions/types.js';
import { eventRow, healthySnapshot, monitorDown, NOW, splitBrain } from './fixtures.js';
import { delay, renderApp, rowOf } from './harness.js';
import { FakeController, finishedRun, loadStats, verdict } from './fake-controller.js';

afterEach(() => cleanup());

// The hourglass is two columns wide in a terminal.
const width = (line: string) => [...line].length + (line.includes('⏳') ? 1 : 0);

const events = Array.from({ length: 30 }, (_, i) => eventRow(NOW - (30 - i) * 1000, 'node2', 'secondary', 'secondary', `event number ${i}`));

const everything: Partial<ConsoleState> = {
  busy: { label: 'RTO run #4', since: NOW - 2_000 },
  message: { level: 'ok', text: 'profile fast applied on the monitor', at: NOW },
  load: loadStats(),
  verdict: verdict(),
  rto: {
    current: {
      ...finishedRun(4, 0, { status: 'running', clientRtoS: null, newPrimary: null, startedAt: NOW - 2_000 }),
      phases: [
        { name: 'fault', at: NOW - 1_990, detail: 'SIGKILL node1' },
        { name: 'detected', at: NOW - 500, detail: 'monitor marked node1 unhealthy' },
        { name: 'election', at: null, detail: null },
        { name: 'promotion', at: null, detail: null },
        { name: 'first-write', at: null, detail: null },
        { name: 'rejoined', at: null, detail: null },
      ],
    },
    history: [finishedRun(1, 5.1), finishedRun(2, 3.9), finishedRun(3, 4.3)],
    summary: { runs: 3, minS: 3.9, medianS: 4.3, maxS: 5.1 },
  },
  gucs: Array.from({ length: 6 }, (_, i) => ({ name: `setting_number_${i}`, value: String(1000 * i), tradeoff: 'lower is faster, more false alarms' })),
};

function checkFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const l of lines) expect(width(l)).toBeLessThanOrEqual(columns);
  const bar = lines.at(-1) ?? '';
  expect(bar).toContain('? help');
  expect(bar).toContain('q quit');
}

describe.each([
  [100, 30],
  [80, 24],
])('%ix%i', (columns, rows) => {
  it('table, panes, status lines and help bar fit', async () => {
    const app = renderApp(healthySnapshot({ events }), () => NOW, new FakeController(everything));
    app.resize(columns, rows);
    await delay(50); // the resize re-renders asynchronously; 100 columns is also the default
    const f = await app.waitFor((fr) => fr.includes('RTO') && fr.includes('Load') && fr.includes('event number 29'));
    checkFits(f, columns, rows);
    // 100x30 has room for the whole phase timeline; 80x24 puts it on one line.
    if (rows >= 30) expect(f).toMatch(/^ {2}detected\s+\+1\.49 s {2}monitor marked node1 unhealthy$/m);
    else expect(f).toContain('fault +0.00 s  detected +1.49 s  election …');
    for (const n of ['node1', 'node2', 'node3']) expect(rowOf(f, n)).not.toBe('');
    expect(f).toContain('⏳ RTO run #4');
    expect(f).toContain('profile fast applied');
    expect(f).toContain('min 3.9 s / median 4.3 s / max 5.1 s');
    expect(f).toContain('0 lost of 12345');
  });

  it('with both banners and an open prompt it still fits', async () => {
    const snap = splitBrain(monitorDown(healthySnapshot({ events }), 'connection refused', NOW - 5_000), 'node2');
    const app = renderApp(snap, () => NOW, new FakeController({ ...everything, busy: null }));
    app.resize(columns, rows);
    await delay(50); // the resize re-renders asynchronously; 100 columns is also the default
    await app.waitFor((fr) => fr.includes('event number 29') || fr.includes('RTO'));
    await app.press('k');
    const f = await app.waitFor((fr) => fr.includes('y = yes, Esc = cancel'));
    checkFits(f, columns, rows);
    expect(f).toContain('SPLIT BRAIN');
    for (const n of ['node1', 'node2', 'node3']) expect(rowOf(f, n)).not.toBe('');
  });

  it('the help overlay fits with every key and setting', async () => {
    const app = renderApp(healthySnapshot(), () => NOW, new FakeController({ ...everything, busy: null, message: null }));
    app.resize(columns, rows);
    await delay(50); // the resize re-renders asynchronously; 100 columns is also the default
    await app.waitFor((fr) => fr.includes('node3'));
    await app.press('?');
    const f = await app.waitFor((fr) => fr.includes('Profile fast'));
    checkFits(f, columns, rows);
    // Keys are never cut; at 80x24 the last settings are counted on one line instead.
    const shown = [0, 1, 2, 3, 4, 5].filter((i) => f.includes(`setting_number_${i} = ${1000 * i}`)).length;
    if (rows >= 30) expect(shown).toBe(6);
    else {
      expect(shown).toBeGreaterThanOrEqual(4);
      if (shown < 6) expect(f).toContain(`… ${6 - shown} more`);
    }
    expect(f).toContain('Quit the console');
  });
});
