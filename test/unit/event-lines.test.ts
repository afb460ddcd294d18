import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapLastEvent } from '../../src/cluster/monitor.js';
import { plainEvents } from '../../src/cluster/event-words.js';
import { eventPaneLines } from '../../src/ui/event-lines.js';
import { lineText } from '../../src/ui/panes.js';

const rows = JSON.parse(readFileSync(new URL('./fixtures/monitor-events.json', import.meta.url), 'utf8')) as Record<string, unknown>[];
const events = plainEvents(rows.map(mapLastEvent));
const cols = (s: string) => [...s].length;

describe('eventPaneLines', () => {
  it('short view: one line per event, the newest last, every recorded event within 80 columns', () => {
    const lines = eventPaneLines(events, 'short', 80, events.length).map(lineText);
    expect(lines).toHaveLength(events.length);
    for (const l of lines) expect(cols(l)).toBeLessThanOrEqual(80);
    expect(lines.at(-1)).toMatch(/^\d\d:\d\d:\d\d node\d {2}\S/);
    expect(lines.at(-1)).toContain(events.at(-1)!.words);
  });

  it('full view: sentences folded to the width, whole events only, the newest last', () => {
    const lines = eventPaneLines(events, 'full', 60, 7).map(lineText);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.length).toBeLessThanOrEqual(7);
    for (const l of lines) expect(cols(l)).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d /); // no event starts cut off above the pane
    const last = events.at(-1)!;
    const tail = lines.join(' ').replace(/\s+/g, ' ');
    expect(tail.endsWith(last.full.replace(/\s+/g, ' '))).toBe(true);
  });

  it('full view with room for less than the newest event: its beginning', () => {
    const lines = eventPaneLines(events, 'full', 40, 1).map(lineText);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d node\d New state/);
  });

  it('no room, no lines', () => {
    expect(eventPaneLines(events, 'short', 80, 0)).toEqual([]);
    expect(eventPaneLines([], 'full', 80, 5)).toEqual([]);
  });
});
