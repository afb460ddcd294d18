import { describe, expect, it } from 'vitest';
import { lineText, wrapLine, type Line } from '../../src/ui/panes.js';

const texts = (lines: Line[]) => lines.map(lineText);

describe('wrapLine', () => {
  it('leaves a line that fits alone', () => {
    const line: Line = [{ text: 'short', bold: true }];
    expect(wrapLine(line, 80)).toEqual([line]);
  });

  it('folds at word boundaries, indents continuations, and keeps every word', () => {
    const line: Line = [
      { text: 'split-brain watch on node1: ', bold: true },
      { text: '0 writes acknowledged after the promotion', color: 'green' },
      { text: ' · node2 promoted 12 s ago · link closed: server closed the connection', dim: true },
    ];
    const out = wrapLine(line, 40);
    for (const l of texts(out)) expect([...l].length).toBeLessThanOrEqual(40);
    expect(texts(out).slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    expect(texts(out).join(' ').replace(/\s+/g, ' ')).toBe(lineText(line).replace(/\s+/g, ' '));
    expect(texts(out).every((l) => l === l.trimEnd())).toBe(true);
  });

  it('keeps each segment its style across the fold', () => {
    const out = wrapLine([{ text: 'aaaa bbbb ' }, { text: 'cccc dddd', color: 'red' }], 12);
    expect(texts(out)).toEqual(['aaaa bbbb', '  cccc dddd']);
    expect(out[1]).toEqual([{ text: '  ' }, { text: 'cccc dddd', color: 'red' }]);
  });

  it('splits a word longer than the line', () => {
    const out = wrapLine([{ text: 'x'.repeat(25) }], 12);
    expect(texts(out)).toEqual(['x'.repeat(12), `  ${'x'.repeat(10)}`, `  ${'x'.repeat(3)}`]);
  });
});
