import { describe, expect, it } from 'vitest';
import { nodeRows } from '../../src/ui/format.js';
import {
  BESIDE_GAP,
  BESIDE_MIN_COLUMNS,
  besidePane,
  eventLines,
  LEARN_PANE_MAX,
  LEARN_PANE_MIN,
  learnPlacement,
  MARKER_WIDTH,
  MIN_EVENT_LINES,
  overlayPlan,
  richestPlan,
  screenPlan,
  tableLayout,
} from '../../src/ui/layout.js';
import { healthySnapshot, NOW, primaryNode, secondaryNode } from './fixtures.js';

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

describe('screenPlan', () => {
  const LOAD = { full: 4, compact: 3 };
  const RTO = { full: 8, compact: 3 };
  const base = { nodeCount: 3, banners: 0, statusLines: 0 };
  // Rows a plan uses, to check it against the terminal (one row spare).
  const used = (rows: number, statusLines: number, plan: ReturnType<typeof screenPlan>, sizes = [LOAD, RTO]) =>
    1 + 1 + 2 + 3 + statusLines + 1 +
    plan.panes.reduce((n, m, i) => (m === 'hidden' ? n : n + 1 + sizes[i]![m]), 0) +
    (plan.eventLines > 0 ? 2 + plan.eventLines : 0);

  it('without panes it is eventLines', () => {
    expect(screenPlan({ ...base, rows: 40, panes: [] })).toEqual({ panes: [], eventLines: eventLines({ rows: 40, nodeCount: 3, banners: 0 }) });
  });

  it('room for everything: both panes in full, events get the rest', () => {
    const plan = screenPlan({ ...base, rows: 40, panes: [LOAD, RTO] });
    expect(plan.panes).toEqual(['full', 'full']);
    expect(used(40, 0, plan)).toBe(39);
  });

  it('100x30 keeps both panes in full with a few events, even with two status lines', () => {
    const plan = screenPlan({ ...base, rows: 30, statusLines: 2, panes: [LOAD, RTO] });
    expect(plan.panes).toEqual(['full', 'full']);
    expect(plan.eventLines).toBeGreaterThanOrEqual(MIN_EVENT_LINES);
    expect(used(30, 2, plan)).toBeLessThanOrEqual(29);
  });

  it('80x24: the RTO pane sheds its timeline first, then the load pane its detail', () => {
    const plan = screenPlan({ ...base, rows: 24, statusLines: 2, panes: [LOAD, RTO] });
    expect(plan.panes).toEqual(['full', 'compact']);
    expect(plan.eventLines).toBeGreaterThanOrEqual(MIN_EVENT_LINES);
    expect(used(24, 2, plan)).toBeLessThanOrEqual(23);
    const tighter = screenPlan({ ...base, rows: 22, statusLines: 2, panes: [LOAD, RTO] });
    expect(tighter.panes).toEqual(['compact', 'compact']);
  });

  it('then the events go, then the panes (load first); it never plans more rows than there are', () => {
    const noEvents = screenPlan({ ...base, rows: 19, statusLines: 2, panes: [LOAD, RTO] });
    expect(noEvents).toEqual({ panes: ['compact', 'compact'], eventLines: 0 });
    const noLoad = screenPlan({ ...base, rows: 15, statusLines: 2, panes: [LOAD, RTO] });
    expect(noLoad.panes).toEqual(['hidden', 'compact']);
    for (let rows = 15; rows <= 40; rows++) {
      const plan = screenPlan({ ...base, rows, statusLines: 2, panes: [LOAD, RTO] });
      expect(used(rows, 2, plan)).toBeLessThanOrEqual(rows - 1);
    }
  });

  it('a pane with nothing to show takes no rows', () => {
    const plan = screenPlan({ ...base, rows: 30, panes: [null, RTO] });
    expect(plan.panes).toEqual(['hidden', 'full']);
    expect(plan.eventLines).toBe(eventLines({ rows: 30, nodeCount: 3, banners: 0 }) - 1 - RTO.full);
  });
});

describe('overlayPlan', () => {
  const keys = 13;
  it('everything with border and titles when there is room', () => {
    expect(overlayPlan({ rows: 30, banners: 0, statusLines: 0, keyLines: keys, settingLines: 6 })).toEqual({
      border: true,
      titles: true,
      settingsShown: 6,
      settingsMore: 0,
    });
  });

  it('80x24: border and titles go, every key and setting stays', () => {
    const plan = overlayPlan({ rows: 24, banners: 0, statusLines: 0, keyLines: keys, settingLines: 6 });
    expect(plan).toEqual({ border: false, titles: false, settingsShown: 6, settingsMore: 0 });
  });

  it('shorter still: settings are cut with a "more" line, keys never', () => {
    const plan = overlayPlan({ rows: 24, banners: 1, statusLines: 2, keyLines: keys, settingLines: 6 });
    expect(plan.settingsShown + plan.settingsMore).toBe(6);
    expect(plan.settingsMore).toBeGreaterThan(0);
    // header + banner + blank + keys + profile + shown + more + status + bar + spare
    expect(1 + 1 + 1 + keys + 1 + plan.settingsShown + 1 + 2 + 1 + 1).toBeLessThanOrEqual(24);
    expect(overlayPlan({ rows: 5, banners: 0, statusLines: 0, keyLines: keys, settingLines: 0 }).settingsMore).toBe(0);
  });
});

describe('richestPlan', () => {
  const b = { rows: 40, nodeCount: 3, banners: 0, statusLines: 0 };
  const rich = [{ full: 9, compact: 3 }, { full: 14, compact: 2 }];
  const plain = [{ full: 6, compact: 3 }, { full: 8, compact: 2 }];

  it('takes the richest variant that keeps every pane in full', () => {
    expect(richestPlan(b, [rich, plain]).variant).toBe(0);
    // 32 rows: 23 below the table; the rich panes need 25 + the events, the plain ones 16.
    const r = richestPlan({ ...b, rows: 32 }, [rich, plain]);
    expect(r.variant).toBe(1);
    expect(r.plan.panes).toEqual(['full', 'full']);
  });

  it('a hidden pane (nothing to show) does not count against a variant; when none fits, the last one is planned', () => {
    expect(richestPlan(b, [[rich[0]!, null], plain]).variant).toBe(0);
    const r = richestPlan({ ...b, rows: 16 }, [rich, plain]);
    expect(r.variant).toBe(1);
    expect(r.plan).toEqual(screenPlan({ ...b, rows: 16, panes: plain }));
  });
});

describe('learnPlacement', () => {
  it('keeps the walkthrough below the table up to 139 columns (80 columns included)', () => {
    expect(BESIDE_MIN_COLUMNS).toBe(140);
    for (const w of [80, 100, 120, 132, 139]) expect(learnPlacement(w)).toEqual({ at: 'below' });
  });

  it('puts it beside from 140 columns: the pane within its bounds, the left column the rest', () => {
    expect(learnPlacement(140)).toEqual({ at: 'beside', left: 98, pane: 40 });
    expect(learnPlacement(160)).toEqual({ at: 'beside', left: 116, pane: 42 });
    expect(learnPlacement(250)).toEqual({ at: 'beside', left: 250 - BESIDE_GAP - LEARN_PANE_MAX, pane: LEARN_PANE_MAX });
    for (let w = 140; w <= 260; w++) {
      const p = learnPlacement(w);
      if (p.at !== 'beside') throw new Error(`below at ${w}`);
      expect(p.left + BESIDE_GAP + p.pane).toBe(w);
      expect(p.pane).toBeGreaterThanOrEqual(LEARN_PANE_MIN);
      expect(p.pane).toBeLessThanOrEqual(LEARN_PANE_MAX);
    }
  });

  // Real widths: a compose lab's host:port is the longest of the labs'; a failover shows long state names.
  const compose = (n: number) => ({ host: `172.28.0.${9 + n}`, port: 5432 });
  const steady = nodeRows({ nodes: [primaryNode(compose(1)), secondaryNode(2, compose(2)), secondaryNode(3, compose(3))] }, NOW);
  const failing = nodeRows(
    {
      nodes: [
        primaryNode({ ...compose(1), reportedState: 'demote_timeout', assignedState: 'demote_timeout' }),
        secondaryNode(2, { ...compose(2), reportedState: 'prepare_promotion', assignedState: 'prepare_promotion' }),
        secondaryNode(3, { ...compose(3), reportedState: 'report_lsn', assignedState: 'join_secondary' }),
      ],
    },
    NOW,
  );

  it('beside, the left column holds the table with its priorities whatever the states', () => {
    for (let w = 140; w <= 200; w++) {
      const p = learnPlacement(w);
      if (p.at !== 'beside') throw new Error(`below at ${w}`);
      for (const r of [steady, failing]) {
        expect(keys(p.left, r)).toContain('priority');
        expect(total(p.left, r)).toBeLessThanOrEqual(p.left);
      }
    }
  });

  it('from 158 columns the left column holds every column of the steady table', () => {
    for (let w = 158; w <= 200; w++) {
      const p = learnPlacement(w);
      if (p.at !== 'beside') throw new Error(`below at ${w}`);
      expect(tableLayout(steady, p.left).columns).toHaveLength(12);
    }
  });
});

describe('besidePane', () => {
  const b = { rows: 45, banners: 0, statusLines: 0 };
  it('takes the full pane where the rows between header and status lines hold it', () => {
    expect(besidePane(b, { full: 20, compact: 14 })).toEqual({ mode: 'full', maxLines: 20 });
  });

  it('sheds the glossary (compact), then cuts to the rows there are', () => {
    // 45 rows less header, margin, help bar and a spare row: 41
    expect(besidePane(b, { full: 42, compact: 30 })).toEqual({ mode: 'compact', maxLines: 30 });
    expect(besidePane({ rows: 20, banners: 1, statusLines: 2 }, { full: 30, compact: 20 })).toEqual({ mode: 'compact', maxLines: 13 });
  });
});
