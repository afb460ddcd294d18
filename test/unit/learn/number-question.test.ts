// The pure side of "read a number off the screen": parsing what was typed, the figures a moving
// value showed, and the verdict with its tolerance.
import { describe, expect, test } from 'vitest';
import { figureValue, judge, keepSamples, parseAnswer } from '../../../src/learn/number-question.js';
import type { NumberQuestion, View } from '../../../src/learn/types.js';

const view = { snap: null, console: null, events: [], since: 0, mem: {}, backend: 'local', selected: null } as View;
const q: NumberQuestion = {
  shown: () => null,
  windowMs: 5000,
  tolerance: (value) => Math.max(1, value * 0.1),
  what: () => 'the figure was',
  explain: () => 'Why it is what it is.',
};

describe('parseAnswer', () => {
  test('digits with at most one point are a number; anything else is none', () => {
    expect(parseAnswer('12')).toBe(12);
    expect(parseAnswer('2.1')).toBe(2.1);
    expect(parseAnswer('.5')).toBe(0.5);
    expect(parseAnswer('3.')).toBe(3);
    for (const bad of ['', '.', '1.2.3', '1,5', '-1', '1e3', ' 1']) expect(parseAnswer(bad)).toBeNull();
  });
});

describe('figureValue', () => {
  test('the number a figure starts with, in its own unit', () => {
    expect(figureValue('1.5 kB')).toBe(1.5);
    expect(figureValue('312 B')).toBe(312);
    expect(figureValue('2.03 s')).toBe(2.03);
    expect(figureValue('–')).toBeNull();
  });
});

describe('keepSamples', () => {
  test('keeps the window, at most max, and always the last figure', () => {
    const s = [{ at: 0, text: '1 kB' }, { at: 4000, text: '2 kB' }, { at: 9000, text: '3 kB' }];
    expect(keepSamples(s, 9000, 5000)).toEqual([{ at: 4000, text: '2 kB' }, { at: 9000, text: '3 kB' }]);
    expect(keepSamples(s, 60_000, 5000)).toEqual([{ at: 9000, text: '3 kB' }]);
    expect(keepSamples(s, 9000, Infinity, 2)).toHaveLength(2);
  });
});

describe('judge', () => {
  const shown = [{ at: 0, text: '13 kB' }, { at: 1000, text: '3.2 kB' }, { at: 2000, text: '0 B' }];

  test('right against any figure of the window, the closest one named, with its unit', () => {
    expect(judge(q, 3, shown, view)!.lines).toEqual(['You read 3 kB; the figure was 3.2 kB: right (within 1 kB).', 'Why it is what it is.']);
    expect(judge(q, 14, shown, view)).toMatchObject({ right: true, shown: '13 kB' });
    expect(judge(q, 0, shown, view)).toMatchObject({ right: true, shown: '0 B' });
  });

  test('wrong when no figure shown is within the tolerance, saying what would have counted', () => {
    const v = judge(q, 40, shown, view)!;
    expect(v.right).toBe(false);
    expect(v.lines[0]).toBe('You read 40 kB; the figure was 13 kB: wrong (right is within 1.3 kB).');
  });

  test('nothing shown (or no number in it): no verdict', () => {
    expect(judge(q, 1, [], view)).toBeNull();
    expect(judge(q, 1, [{ at: 0, text: '–' }], view)).toBeNull();
  });
});
