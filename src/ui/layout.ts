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

export function eventLines({ rows, nodeCount, banners }: EventBudget): number {
  // header + banners + blank + table title + table header + nodes + blank + events title + help bar,
  // plus one spare row: once the output reaches the terminal height Ink clears the whole screen on
  // every render, which flickers.
  const used = 1 + banners + 1 + 2 + nodeCount + 1 + 1 + 1 + 1;
  return Math.max(MIN_EVENT_LINES, rows - used);
}
