// Screen budget: which table columns fit the width, how many event lines fit the height. Pure,
// so the layout rules are tested without rendering.
import { columnsForWidth, columnWidths, type NodeColumn, type NodeRow } from './format.js';

/** The selection marker column ("› ") in front of every row. */
export const MARKER_WIDTH = 2;

export interface TableLayout {
  columns: NodeColumn[];
  widths: number[];
  /** Spaces between columns: 2, or 1 when that is what makes the table fit. */
  gap: number;
}

function tableWidth(widths: readonly number[], gap: number): number {
  return MARKER_WIDTH + widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, widths.length - 1);
}

/**
 * Narrow terminals (< 100 columns) lose the wide-only columns outright; on wider ones they are
 * dropped from the right only if the content (long state names, host names) does not fit. What
 * still does not fit is truncated by Ink, never wrapped.
 */
export function tableLayout(rows: readonly NodeRow[], width: number): TableLayout {
  const columns = columnsForWidth(width);
  let widths = columnWidths(rows, columns);
  while (tableWidth(widths, 2) > width) {
    const lastWide = columns.map((c) => c.wideOnly).lastIndexOf(true);
    if (lastWide < 0) break;
    columns.splice(lastWide, 1);
    widths = columnWidths(rows, columns);
  }
  return { columns, widths, gap: tableWidth(widths, 2) <= width ? 2 : 1 };
}

export interface EventBudget {
  rows: number;
  nodeCount: number;
  banners: number;
}

/** Fewest event lines worth showing even on a tiny terminal. */
export const MIN_EVENT_LINES = 2;

/** Event lines when nothing else competes for the rows below the table. */
export function eventLines(budget: EventBudget): number {
  return screenPlan({ ...budget, statusLines: 0, panes: [] }).eventLines;
}

/** Lines of a pane's body (its blank margin is extra) in each detail level. */
export interface PaneSize {
  full: number;
  compact: number;
}

export type PaneMode = 'full' | 'compact' | 'hidden';

export interface ScreenBudget extends EventBudget {
  /** Busy, prompt and message lines above the help bar. */
  statusLines: number;
  /** Panes between the table and the events, top to bottom; null = nothing to show. */
  panes: readonly (PaneSize | null)[];
}

export interface ScreenPlan {
  /** One per budget pane; null panes are 'hidden'. */
  panes: PaneMode[];
  /** 0 = no events pane. */
  eventLines: number;
}

/**
 * Rows left below the node table: header + banners + blank + table title + table header + nodes
 * + status lines + help bar, plus one spare row: once the output reaches the terminal height Ink
 * clears the whole screen on every render, which flickers.
 */
function rowsBelowTable(b: ScreenBudget): number {
  return b.rows - (1 + b.banners + 1 + 2 + b.nodeCount + b.statusLines + 1 + 1);
}

const EVENTS_CHROME = 2; // blank + title

/**
 * Who gets the rows below the table. The node table and help bar always show; the rest gives way
 * in this order: panes shed detail (the last first), then the events go, then panes go (the
 * first first). Nothing left to shed: the old minimum of events, as before there were panes.
 */
export function screenPlan(b: ScreenBudget): ScreenPlan {
  const avail = rowsBelowTable(b);
  const n = b.panes.length;
  const cost = (modes: readonly PaneMode[]) =>
    modes.reduce((sum, m, i) => {
      const size = b.panes[i];
      return size && m !== 'hidden' ? sum + 1 + size[m] : sum;
    }, 0);
  const withNull = (modes: PaneMode[]) => modes.map((m, i) => (b.panes[i] ? m : 'hidden'));

  const shedding: PaneMode[][] = [];
  const modes: PaneMode[] = Array(n).fill('full');
  shedding.push([...modes]);
  for (let i = n - 1; i >= 0; i--) {
    modes[i] = 'compact';
    shedding.push([...modes]);
  }
  for (const m of shedding) {
    const left = avail - cost(m);
    if (left >= EVENTS_CHROME + MIN_EVENT_LINES) return { panes: withNull(m), eventLines: left - EVENTS_CHROME };
  }

  const hiding: PaneMode[][] = [[...modes]];
  for (let i = 0; i < n; i++) {
    modes[i] = 'hidden';
    hiding.push([...modes]);
  }
  for (const m of hiding) {
    const left = avail - cost(m);
    if (m.every((x) => x === 'hidden')) break;
    if (left >= 0) return { panes: withNull(m), eventLines: left > EVENTS_CHROME ? left - EVENTS_CHROME : 0 };
  }
  return { panes: Array(n).fill('hidden'), eventLines: Math.max(MIN_EVENT_LINES, avail - EVENTS_CHROME) };
}

/**
 * Extras (pictures, notes) show only where they cost no pane its detail: of several variants of
 * the panes, richest first, the first whose plan keeps every pane in full; else the last one.
 */
export function richestPlan(b: Omit<ScreenBudget, 'panes'>, variants: readonly (readonly (PaneSize | null)[])[]): { variant: number; plan: ScreenPlan } {
  for (let i = 0; i < variants.length; i++) {
    const panes = variants[i]!;
    const plan = screenPlan({ ...b, panes });
    if (i === variants.length - 1 || plan.panes.every((m, j) => m === 'full' || panes[j] === null)) return { variant: i, plan };
  }
  return { variant: -1, plan: screenPlan({ ...b, panes: [] }) };
}

export interface OverlayBudget {
  rows: number;
  banners: number;
  statusLines: number;
  /** Key lines (after merging neighbours). */
  keyLines: number;
  /** Setting lines wanted (one per GUC). */
  settingLines: number;
  /** Lines after the settings (where monitoring answers), always shown. */
  extraLines?: number;
}

export interface OverlayPlan {
  border: boolean;
  /** The "Keys" title and the blank line between keys and settings. */
  titles: boolean;
  /** Settings shown; the rest are summarised on one "… N more" line. */
  settingsShown: number;
  settingsMore: number;
}

/**
 * The help overlay replaces the body, so it gets the rows between header and status lines. Keys
 * are never cut (they are the help); the border, titles and then settings go first.
 */
export function overlayPlan(b: OverlayBudget): OverlayPlan {
  const avail = b.rows - (1 + b.banners + 1 + b.statusLines + 1 + 1);
  const extra = b.extraLines ?? 0;
  const body = b.keyLines + 1 + b.settingLines + extra; // keys + profile line + settings + extra
  if (body + 2 + 2 <= avail) return { border: true, titles: true, settingsShown: b.settingLines, settingsMore: 0 };
  if (body + 2 <= avail) return { border: false, titles: true, settingsShown: b.settingLines, settingsMore: 0 };
  if (body <= avail) return { border: false, titles: false, settingsShown: b.settingLines, settingsMore: 0 };
  const shown = Math.min(b.settingLines, Math.max(0, avail - b.keyLines - 1 - extra - 1)); // one line for "… N more"
  return { border: false, titles: false, settingsShown: shown, settingsMore: b.settingLines - shown };
}

/** Columns between the left column (table, panes, events) and the walkthrough beside it. */
export const BESIDE_GAP = 2;
/** Narrowest walkthrough column: its longest words and a glossary line still read on 2-3 lines. */
export const LEARN_PANE_MIN = 40;
/** Widest one: longer lines read worse, and the left column's events get the rest. */
export const LEARN_PANE_MAX = 60;
/**
 * The node table with every column on a local or compose lab (steady states, host:port of
 * 15-16 characters); the narrow table (no Host:Port, Report age) is 85, and up to 101 while a
 * node reports a long state such as prepare_promotion, 92 at a gap of one space.
 */
export const TABLE_FULL_WIDTH = 116;
/**
 * From here the walkthrough goes beside the table: the left column is then at least 98 wide,
 * which holds the narrow table whatever the states. Fixed widths, not the table's content, so
 * the pane does not jump between places (or widths) as state names change during a failover.
 */
export const BESIDE_MIN_COLUMNS = 98 + BESIDE_GAP + LEARN_PANE_MIN;

export type LearnPlacement = { at: 'below' } | { at: 'beside'; left: number; pane: number };

/**
 * Where the walkthrough goes on a terminal this wide: beside the table (the pane as wide as the
 * full table leaves, within its bounds; the left column the rest), or below it on narrower ones.
 */
export function learnPlacement(columns: number): LearnPlacement {
  if (columns < BESIDE_MIN_COLUMNS) return { at: 'below' };
  const pane = Math.min(LEARN_PANE_MAX, Math.max(LEARN_PANE_MIN, columns - BESIDE_GAP - TABLE_FULL_WIDTH));
  return { at: 'beside', left: columns - BESIDE_GAP - pane, pane };
}

/**
 * Lines the walkthrough beside the table may take: the rows between the header (and banners)
 * and the status lines, less the same spare row as below. Full detail where it fits, else
 * compact, else compact cut to what fits.
 */
export function besidePane(b: Pick<OverlayBudget, 'rows' | 'banners' | 'statusLines'>, size: PaneSize): { mode: 'full' | 'compact'; maxLines: number } {
  const avail = Math.max(1, b.rows - (1 + b.banners + 1 + b.statusLines + 1 + 1));
  if (size.full <= avail) return { mode: 'full', maxLines: size.full };
  return { mode: 'compact', maxLines: Math.min(size.compact, avail) };
}
