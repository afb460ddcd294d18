// The help overlay's lines: keys with their descriptions, then each monitor setting with what it
// trades. Long ones wrap under their own text instead of being cut, and the layout counts the
// wrapped lines, so the overlay is as tall as planned.
import type { GucSetting } from '../actions/types.js';
import type { OverlayItem } from './key-help.js';
import { wrapLine, type Line } from './panes.js';

/** Columns the overlay's round border and its padding take. */
export const OVERLAY_FRAME = 4;

export function keyBlocks(items: readonly OverlayItem[], width: number): Line[][] {
  const keysWidth = Math.max(0, ...items.map((i) => i.keys.length));
  return items.map((i) =>
    wrapLine([{ text: i.keys.padEnd(keysWidth), bold: true, color: 'cyan' }, { text: `  ${i.description}` }], width, ' '.repeat(keysWidth + 2)),
  );
}

export function settingBlocks(gucs: readonly GucSetting[], width: number): Line[][] {
  return gucs.map((g) => wrapLine([{ text: g.name, bold: true }, { text: ` = ${g.value}` }, { text: ` — ${g.tradeoff}`, dim: true }], width, '    '));
}

export const lineCount = (blocks: readonly Line[][]) => blocks.reduce((n, b) => n + b.length, 0);

/** Whole settings that fit in `lines` lines, first to last. */
export function settingsThatFit(blocks: readonly Line[][], lines: number): number {
  let used = 0;
  let n = 0;
  for (const b of blocks) {
    if (used + b.length > lines) break;
    used += b.length;
    n++;
  }
  return n;
}
