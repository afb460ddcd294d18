import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEYMAP } from '../../src/ui/bindings.js';
import { eventRow, healthySnapshot, monitorDown, nodeDown, NOW, splitBrain } from './fixtures.js';
import { delay, KEYS, renderApp, rowOf } from './harness.js';
import { FakeController } from './fake-controller.js';

afterEach(() => cleanup());

const hasTable = (f: string) => f.includes('node3');

describe('App: node table', () => {
  it('shows every node with its reported and assigned states', async () => {
    const app = renderApp(healthySnapshot());
    const f = await app.waitFor(hasTable);
    expect(rowOf(f, 'node1')).toMatch(/node1\s+primary\s+primary\s+good/);
    expect(rowOf(f, 'node2')).toMatch(/node2\s+secondary\s+secondary\s+good/);
    expect(rowOf(f, 'node3')).toMatch(/node3\s+secondary\s+secondary\s+good/);
  });

  it('says read-write on the primary row and read-only on the standbys', async () => {
    const app = renderApp(healthySnapshot());
    const f = await app.waitFor(hasTable);
    expect(rowOf(f, 'node1')).toContain('read-write');
    expect(rowOf(f, 'node2')).toContain('read-only');
    expect(rowOf(f, 'node3')).toContain('read-only');
  });

  it('shows LSN, lag, priority, host:port and report age', async () => {
    const app = renderApp(healthySnapshot());
    app.resize(140);
    const f = await app.waitFor((fr) => fr.includes('Host:Port'));
    // The primary's own LSN (probe) wins over the monitor's last report.
    expect(rowOf(f, 'node1')).toContain('0/30001F0');
    expect(rowOf(f, 'node2')).toMatch(/1\.5 kB\s+0\.01 s\s+50\s+127\.0\.0\.1:5502\s+3s/);
  });

  it('puts the header facts on the first line, most telling first: primary, profile, backend, formation, clock', async () => {
    const app = renderApp(healthySnapshot());
    const f = await app.waitFor(hasTable);
    const header = f.split('\n')[0] ?? '';
    expect(header).toMatch(/primary node1\s+profile default\s+backend local\s+formation default/);
    expect(header).toContain('12:00:30');
  });

  it('waits for the first snapshot, then draws it', async () => {
    const app = renderApp(null);
    await app.waitFor((f) => f.includes('waiting for first snapshot'));
    expect(app.frame()).not.toContain('node1');
    app.source.push(healthySnapshot());
    const f = await app.waitFor(hasTable);
    expect(f).not.toContain('waiting for first snapshot');
  });

  it('re-renders on every snapshot', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    const snap = healthySnapshot();
    const [n1, n2, n3] = snap.nodes;
    app.source.push({ ...snap, nodes: [{ ...n1!, reportedState: 'draining', assignedState: 'demoted' }, n2!, n3!] });
    const f = await app.waitFor((fr) => fr.includes('draining'));
    expect(rowOf(f, 'node1')).toMatch(/draining\s+demoted/);
  });

  it('moves the clock once a second without a new snapshot', async () => {
    let now = NOW;
    const app = renderApp(healthySnapshot(), () => now);
    app.resize(140);
    await app.waitFor((f) => f.includes('12:00:30') && f.includes('Report age'));
    now = NOW + 5_000;
    const f = await app.waitFor((fr) => fr.includes('12:00:35'), 2500);
    expect(rowOf(f, 'node2')).toMatch(/\s8s$/); // report age grew with the clock
  });
});

describe('App: events', () => {
  it('lists events newest last, one short line each; e shows the monitor\'s sentences, e again the short lines', async () => {
    const app = renderApp(healthySnapshot());
    const f = await app.waitFor(hasTable);
    const lines = f.split('\n');
    const first = lines.findIndex((l) => /^12:00:10 node1 {2}assigned primary$/.test(l));
    const second = lines.findIndex((l) => /^12:00:20 node2 {2}reported secondary$/.test(l));
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(f).toContain("Events  e: the monitor's full messages");
    expect(f).not.toContain('Setting goal state');
    await app.press('e');
    const full = await app.waitFor((fr) => fr.includes('e: short lines'));
    expect(full).toMatch(/^12:00:10 node1 Setting goal state of node 1 "node1" \(127\.0\.0\.1:5432\) to primary now/m);
    // Folded, not cut: the sentence ends on the next line.
    expect(full).toMatch(/^ {9}.*quorum\.$/m);
    await app.press('e');
    await app.waitFor((fr) => fr.includes('node2  reported secondary') && !fr.includes('Setting goal'));
  });

  it('shows fewer events on a shorter terminal', async () => {
    const events = Array.from({ length: 40 }, (_, i) => eventRow(NOW - (40 - i) * 1000, 'node2', 'secondary', 'secondary', `event number ${i}`));
    const app = renderApp(healthySnapshot({ events }));
    app.resize(120, 40);
    const tall = await app.waitFor((f) => f.includes('event number 39'));
    const count = (f: string) => f.split('\n').filter((l) => l.includes('event number')).length;
    app.resize(120, 16);
    const short = await app.waitFor((f) => count(f) < count(tall));
    expect(count(short)).toBeGreaterThanOrEqual(2);
    expect(short).toContain('event number 39'); // the newest survives
    expect(short.split('\n').length).toBeLessThan(16); // one row spare: no full-screen redraws
  });
});

describe('App: keys', () => {
  it('? opens the help overlay with every binding\'s description; ? closes it', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    await app.press('?');
    const open = await app.waitFor((f) => f.includes(KEYMAP[0]!.description));
    // Without a backend that can partition, the partition key is not advertised.
    for (const b of KEYMAP) {
      // Partitions need compose; Tab and the answer keys, an open walkthrough.
      if (b.needs) expect(open).not.toContain(b.description);
      else expect(open).toContain(b.description);
    }
    await app.press('?');
    const closed = await app.waitFor(hasTable);
    expect(closed).not.toContain(KEYMAP[0]!.description);
  });

  it('Esc closes the help overlay', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    await app.press('?');
    await app.waitFor((f) => f.includes('Show or hide this help'));
    await app.press(KEYS.esc);
    const f = await app.waitFor(hasTable);
    expect(f).not.toContain('Show or hide this help');
  });

  it('arrows move the selection marker, clamped to the node list', async () => {
    const app = renderApp(healthySnapshot());
    let f = await app.waitFor(hasTable);
    expect(rowOf(f, 'node1')).toMatch(/^› node1/);
    await app.press(KEYS.down);
    f = await app.waitFor((fr) => rowOf(fr, 'node2').startsWith('›'));
    expect(rowOf(f, 'node1')).toMatch(/^ {2}node1/);
    await app.press(KEYS.down);
    await app.press(KEYS.down); // past the end: stays on node3
    f = await app.waitFor((fr) => rowOf(fr, 'node3').startsWith('›'));
    await app.press(KEYS.up);
    f = await app.waitFor((fr) => rowOf(fr, 'node2').startsWith('›'));
    expect(f.split('\n').filter((l) => l.startsWith('›'))).toHaveLength(1);
  });

  it('k does not move the selection (reserved for kill)', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    await app.press(KEYS.down);
    await app.press('k');
    expect(rowOf(app.frame(), 'node2')).toMatch(/^›/);
  });

  it('q quits', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    await app.press('q');
    expect(app.onQuit).toHaveBeenCalledTimes(1);
  });

  it('Ctrl+C quits through its binding', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    await app.press(KEYS.ctrlC);
    expect(app.onQuit).toHaveBeenCalledTimes(1);
  });

  it('other keys do nothing', async () => {
    const app = renderApp(healthySnapshot());
    const before = await app.waitFor(hasTable);
    await app.press('x');
    expect(app.onQuit).not.toHaveBeenCalled();
    expect(app.frame()).toBe(before);
  });

  it('the help bar lists the bar keys, fault keys first, quit last', async () => {
    const app = renderApp(healthySnapshot());
    const lastLine = (fr: string) => (fr.split('\n').at(-1) ?? '').trimEnd();
    const f = await app.waitFor(hasTable);
    const bar = lastLine(f);
    // 100 columns: one space apart.
    expect(bar).toBe('? help w learn f failover k kill r restart s stop z freeze m maint l load t rto P profile q quit');
    app.resize(140);
    await app.waitFor((fr) => lastLine(fr) === '? help  w learn  f failover  k kill  r restart  s stop  z freeze  m maint  l load  t rto  P profile  ↑/↓ select  q quit');
    expect(bar).not.toContain('close'); // Esc is overlay-only
    expect(bar).not.toContain('partition'); // no controller: no partitions
  });

  it('on a backend that can partition (compose) the bar offers p partition', async () => {
    const app = renderApp(healthySnapshot(), () => NOW, new FakeController({ canPartition: true }));
    const f = await app.waitFor(hasTable);
    expect(f.split('\n').at(-1)).toContain('p partition');
  });
});

describe('App: failures', () => {
  it('monitor down: red banner with since/age/error, node rows stay, marked stale', async () => {
    const snap = monitorDown(healthySnapshot(), 'connect ECONNREFUSED 127.0.0.1:5500', NOW - 12_000);
    const app = renderApp(snap);
    const f = await app.waitFor(hasTable);
    expect(f).toContain('monitor unreachable since 12:00:18 (12s): connect ECONNREFUSED 127.0.0.1:5500');
    expect(f).toContain('stale');
    expect(rowOf(f, 'node1')).toContain('primary');
    expect(rowOf(f, 'node2')).toContain('secondary');
  });

  it('an unreachable node shows "down"', async () => {
    const app = renderApp(nodeDown(healthySnapshot(), 'node3', NOW - 5_000));
    const f = await app.waitFor(hasTable);
    expect(rowOf(f, 'node3')).toMatch(/good\s+down\s/);
    expect(rowOf(f, 'node2')).toContain('read-only');
  });

  it('no read-write node: the header says primary none', async () => {
    const app = renderApp(nodeDown(healthySnapshot(), 'node1', NOW - 5_000));
    const f = await app.waitFor(hasTable);
    expect(f.split('\n')[0]).toContain('primary none');
    expect(rowOf(f, 'node1')).toContain('down');
  });

  it('two writable nodes: split-brain banner naming both', async () => {
    const app = renderApp(splitBrain(healthySnapshot(), 'node2'));
    const f = await app.waitFor(hasTable);
    expect(f).toContain('SPLIT BRAIN: node1, node2 both accept writes');
    expect(rowOf(f, 'node2')).toContain('read-write');
  });

  it('an old primary rejoining for over 2 min: a banner naming it, how long, and the compose remedy', async () => {
    let clock = NOW;
    const rejoining = (at: number) =>
      healthySnapshot({ at, backend: 'compose', nodes: healthySnapshot().nodes.map((n) => (n.name === 'node3' ? { ...n, reportedState: 'catchingup', assignedState: 'catchingup' } : n)) });
    const app = renderApp(rejoining(NOW), () => clock);
    await app.waitFor(hasTable);
    clock = NOW + 60_000;
    app.source.push(rejoining(clock));
    await app.waitFor((f) => f.includes('12:01:30'));
    expect(app.frame()).not.toContain('rejoining (');
    clock = NOW + 130_000;
    app.source.push(rejoining(clock));
    const f = await app.waitFor((fr) => fr.includes('rejoining ('));
    // At 100 columns the command survives; the condition is cut.
    expect(f).toContain('node3 rejoining (catchingup) for 2m10s: pgha-tui rebuild node3 if its log says "no rewind required"');
    // Back as a secondary: the banner goes.
    app.source.push(healthySnapshot({ at: clock + 1000, backend: 'compose' }));
    await app.waitFor((fr) => !fr.includes('rejoining ('));
  });

  it('one writable node: no split-brain banner, no monitor banner', async () => {
    const app = renderApp(healthySnapshot());
    const f = await app.waitFor(hasTable);
    expect(f).not.toContain('SPLIT BRAIN');
    expect(f).not.toContain('monitor unreachable');
  });
});

describe('App: terminal size', () => {
  it('drops Host:Port and Report age below 100 columns, shows them at 140', async () => {
    const app = renderApp(healthySnapshot());
    app.resize(140);
    let f = await app.waitFor((fr) => fr.includes('Host:Port'));
    expect(f).toContain('Report age');
    expect(rowOf(f, 'node1')).toContain('127.0.0.1:5501');

    app.resize(80);
    f = await app.waitFor((fr) => hasTable(fr) && !fr.includes('Host:Port'));
    expect(f).not.toContain('Report age');
    expect(rowOf(f, 'node1')).not.toContain('127.0.0.1:5501');
    // What is left still fits: no table line is cut or wrapped.
    expect(rowOf(f, 'node2')).toMatch(/node2.*secondary.*read-only.*1\.5 kB.*0\.01 s\s+50$/);
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    app.resize(140);
    await app.waitFor((fr) => fr.includes('Host:Port'));
  });

  it('unmounts cleanly (no timer or listener keeps running)', async () => {
    const app = renderApp(healthySnapshot());
    await app.waitFor(hasTable);
    app.unmount();
    expect(app.stdout.listenerCount('resize')).toBe(0);
    const frames = app.frames.length;
    await delay(1100);
    expect(app.frames.length).toBe(frames);
  });
});
