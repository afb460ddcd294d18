// The events pane's lines: one short line per transition, or the monitor's full sentences folded
// to the width. Plain data in, lines out, so the pane's height is known before drawing.
import type { PlainEvent } from '../cluster/event-words.js';
import { formatClock, healthColor, stateColor } from './format.js';
import { wrapLine, type Line } from './panes.js';

export type EventView = 'short' | 'full';

function wordsColor(e: PlainEvent) {
  if (e.state === null) return undefined;
  return e.state === 'good' || e.state === 'bad' ? healthColor(e.state) : stateColor(e.state);
}

/** The newest events that fit `maxLines` whole, oldest first; full sentences wrap, short lines never do. */
export function eventPaneLines(events: readonly PlainEvent[], view: EventView, width: number, maxLines: number): Line[] {
  if (maxLines <= 0) return [];
  const nameWidth = Math.max(1, ...events.slice(-maxLines).map((e) => (e.node ?? '').length));
  const out: Line[] = [];
  for (let i = events.length - 1; i >= 0 && out.length < maxLines; i--) {
    const e = events[i]!;
    const head = [{ text: `${formatClock(e.at)} `, dim: true }, { text: (e.node ?? '').padEnd(nameWidth), color: wordsColor(e) }];
    const lines =
      view === 'short'
        ? [[...head, { text: `  ${e.words}`, color: wordsColor(e) }]]
        : wrapLine([...head, { text: ` ${e.full}` }], width, ' '.repeat(9));
    // Whole events only; the newest alone may be cut, keeping its beginning.
    if (lines.length > maxLines - out.length) {
      if (out.length === 0) out.push(...lines.slice(0, maxLines));
      break;
    }
    out.unshift(...lines);
  }
  return out;
}
