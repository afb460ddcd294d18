import { describe, expect, it } from 'vitest';
import { nodeRows } from '../../src/ui/format.js';
import { eventLines, MARKER_WIDTH, MIN_EVENT_LINES, tableLayout } from '../../src/ui/layout.js';
import { healthySnapshot, NOW, secondaryNode } from './fixtures.js';

const rows = nodeRows(healthySnapshot(), NOW);
const keys = (width: number, r = rows) => tableLayout(r, width).columns.map((c) => c.key);
const total = (width: number, r = rows) => {
  const l = tableLayout(r, width);
  return MARKER_WIDTH + l.widths.reduce((a, b) => a + b, 0) + l.gap * (l.widths.length - 1);
};

describe('tableLayout', () => {
  it('keeps every column, two spaces apart, on a wide terminal', () => {
    const l = tableLayout(rows, 140);
    expect(l.columns).toHaveLength(12);
    expect(l.gap).toBe(2);
    expect(l.widths[0]).toBe('node1'.length);
  });

  it('drops Host:Port and Report age below 100 columns', () => {
    expect(keys(99)).not.toContain('hostPort');
    expect(keys(99)).not.toContain('reportAge');
    expect(keys(99)).toContain('priority');
  });

  it('drops wide-only columns from the right when the content does not fit', () => {
    const long = nodeRows({ nodes: [secondaryNode(2, { host: 'pg-node-2.lab.internal.example' })] }, NOW);
    expect(keys(140, long)).toContain('hostPort');
    expect(keys(120, long)).not.toContain('reportAge');
    expect(keys(100, long)).not.toContain('hostPort');
  });

  it('narrows the gap to one space rather than cut a column, and then fits 80 columns', () => {
    expect(tableLayout(rows, 80).gap).toBe(1);
    expect(total(80)).toBeLessThanOrEqual(80);
  });

  it('always fits when it can', () => {
    for (const w of [80, 99, 100, 110, 120, 140, 200]) expect(total(w)).toBeLessThanOrEqual(w);
  });
});

describe('eventLines', () => {
  it('gives the rest of the screen, less one spare row, to events', () => {
    // 10 lines of chrome and table for 3 nodes, 1 spare
    expect(eventLines({ rows: 40, nodeCount: 3, banners: 0 })).toBe(40 - 11);
    expect(eventLines({ rows: 40, nodeCount: 3, banners: 2 })).toBe(40 - 13);
  });

  it('fewer rows, fewer events, but never fewer than the minimum', () => {
    expect(eventLines({ rows: 20, nodeCount: 3, banners: 0 })).toBeLessThan(eventLines({ rows: 30, nodeCount: 3, banners: 0 }));
    expect(eventLines({ rows: 5, nodeCount: 3, banners: 1 })).toBe(MIN_EVENT_LINES);
  });
});
