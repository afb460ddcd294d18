// The keymap is data: these check the table itself, independent of rendering.
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { findBinding, findBindings, helpBarItems, KEYMAP, keysText, type KeyBinding } from '../../src/ui/keymap.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const key = (k: Partial<Key> = {}): Key => ({ ...NO_KEY, ...k });

describe('KEYMAP', () => {
  it('has unique ids and complete entries', () => {
    const ids = KEYMAP.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of KEYMAP) {
      expect(b.keys.length).toBeGreaterThan(0);
      expect(b.label).not.toBe('');
      expect(b.description).not.toBe('');
    }
  });

  it.each([
    ['?', key(), 'help'],
    ['', key({ escape: true, meta: true }), 'close'],
    ['', key({ upArrow: true }), 'select-up'],
    ['', key({ downArrow: true }), 'select-down'],
    ['q', key(), 'quit'],
    ['c', key({ ctrl: true }), 'quit'],
  ])('findBinding(%j, …) -> %s', (input, k, id) => {
    expect(findBinding(input, k)?.id).toBe(id);
  });

  it.each([
    ['k', key()], // reserved for "kill primary"
    ['j', key()],
    ['c', key()], // plain c is not Ctrl+C
    ['q', key({ ctrl: true })],
    ['x', key()],
  ])('findBinding(%j) -> nothing', (input, k) => {
    expect(findBinding(input, k)).toBeUndefined();
  });

  it('every key press matches at most one binding', () => {
    const presses: [string, Key][] = [
      ['?', key()], ['q', key()], ['c', key({ ctrl: true })], ['', key({ escape: true })],
      ['', key({ upArrow: true })], ['', key({ downArrow: true })],
    ];
    for (const [input, k] of presses) expect(KEYMAP.filter((b) => b.match(input, k))).toHaveLength(1);
  });
});

describe('help bar and overlay text', () => {
  it('keysText joins display keys', () => {
    expect(keysText({ keys: ['q', 'Ctrl+C'] })).toBe('q/Ctrl+C');
  });

  it('helpBarItems keeps bar bindings only and merges neighbours with one label', () => {
    expect(helpBarItems(KEYMAP)).toEqual([
      { keys: '?', label: 'help' },
      { keys: '↑/↓', label: 'select' },
      { keys: 'q/Ctrl+C', label: 'quit' },
    ]);
  });

  it('a new bar binding shows up in the bar without other changes', () => {
    const extra: KeyBinding = { id: 'failover', keys: ['f'], match: (i) => i === 'f', label: 'failover', description: 'Fail over', bar: true };
    expect(helpBarItems([...KEYMAP, extra]).at(-1)).toEqual({ keys: 'f', label: 'failover' });
  });
});

describe('typed-ahead input', () => {
  it('a chunk of several printable keys claims each of them in order', () => {
    expect(findBindings('?q', key()).map((b) => b.id)).toEqual(['help', 'quit']);
    expect(findBindings('xyz', key())).toEqual([]);
    expect(findBindings('q', key()).map((b) => b.id)).toEqual(['quit']);
    expect(findBindings('', key({ upArrow: true })).map((b) => b.id)).toEqual(['select-up']);
  });
});
