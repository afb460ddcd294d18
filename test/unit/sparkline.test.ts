import { describe, expect, it } from 'vitest';
import { PerSecond } from '../../src/lib/per-second.js';
import { addLagSample, lagSeries, lagSparkLine, NO_DATA, sparkline, sparkSeconds, writesSparkLine, ZERO } from '../../src/ui/sparkline.js';
import { lineText } from '../../src/ui/panes.js';
import { healthySnapshot, NOW } from '../ui/fixtures.js';

const cols = (s: string) => [...s].length;

describe('sparkline', () => {
  it('scales to the largest value; zero and no data have their own marks', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe(`${ZERO}▁▂▄█`);
    expect(sparkline([null, 8, 8, 0, 0, 3, 8])).toBe(`${NO_DATA}██${ZERO}${ZERO}▃█`);
    expect(sparkline([5, 10], 20)).toBe('▂▄');
    expect(sparkline([0, 0])).toBe(`${ZERO}${ZERO}`);
    expect(sparkline([])).toBe('');
  });

  it('gives up to 60 seconds, fewer on a narrow terminal', () => {
    expect(sparkSeconds(160)).toBe(60);
    expect(sparkSeconds(84)).toBe(60);
    expect(sparkSeconds(80)).toBe(56);
    expect(sparkSeconds(20)).toBe(0);
  });
});

describe('PerSecond', () => {
  it('counts into whole seconds, leaves out the one in progress, null before the start', () => {
    const c = new PerSecond(60);
    const t0 = 1_000_000; // a whole second
    for (const at of [t0 + 10, t0 + 900, t0 + 1500, t0 + 3999, t0 + 4001]) c.add(at);
    const s = c.series(t0 + 4500, t0, 6);
    expect(s).toEqual([null, null, 2, 1, 0, 1]);
  });

  it('forgets what is older than it keeps', () => {
    const c = new PerSecond(3);
    c.add(1000);
    c.add(10_000);
    // Second 1 is more than 3 s older than second 10: counted as empty now.
    expect(c.series(11_000, 0, 12)).toEqual([null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('writes and lag lines', () => {
  const minute = [...Array(40).fill(400), ...Array(6).fill(0), 100, ...Array(13).fill(400)];

  it('writes/s: the gap is a run of zeros, the line fits 80 and 160 columns', () => {
    for (const width of [80, 160]) {
      const line = writesSparkLine(minute, width)!;
      const text = lineText(line);
      expect(cols(text)).toBeLessThanOrEqual(width);
      expect(text).toMatch(new RegExp(`^writes/s +█+${ZERO}{6}▂█+  max 400$`));
      expect(line.find((s) => s.text.startsWith(ZERO))?.color).toBe('red');
    }
    expect(cols(lineText(writesSparkLine(minute, 160)!))).toBe(10 + 60 + '  max 400'.length);
  });

  it('no line before the load test has counted a second', () => {
    expect(writesSparkLine(Array(60).fill(null), 100)).toBeNull();
    expect(writesSparkLine([], 100)).toBeNull();
  });

  it('lag: one sample per snapshot, the last in each second, unknown while the node does not answer', () => {
    let samples = addLagSample([], healthySnapshot({ at: NOW - 2500 }));
    samples = addLagSample(samples, healthySnapshot({ at: NOW - 2500 })); // the same snapshot again
    expect(samples).toHaveLength(1);
    const snap = healthySnapshot({ at: NOW - 1000 });
    snap.nodes[1] = { ...snap.nodes[1]!, lagBytes: 8192 };
    samples = addLagSample(samples, snap);
    const down = healthySnapshot({ at: NOW });
    down.nodes[1] = { ...down.nodes[1]!, probe: { ...down.nodes[1]!.probe, reachable: false } };
    samples = addLagSample(samples, down);
    expect(lagSeries(samples, 'node2', NOW, 4)).toEqual([1536, null, 8192, null]);
    const line = lineText(lagSparkLine('node2', lagSeries(samples, 'node2', NOW, 60), 80)!);
    expect(line).toMatch(/^node2 lag +▂ █ {3}max 8 kB$/);
    expect(cols(line)).toBeLessThanOrEqual(80);
    // The primary (node1 here) has no lag to draw, not a lag of 0.
    expect(lagSeries(samples, 'node1', NOW, 4)).toEqual([null, null, null, null]);
    // Samples older than a minute are dropped.
    expect(addLagSample(samples, healthySnapshot({ at: NOW + 70_000 }))).toHaveLength(1);
  });
});
