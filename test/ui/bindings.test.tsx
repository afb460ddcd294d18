// The key bindings are data: these check the table itself, independent of rendering.
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { applicable, findBinding, findBindings, findKeyPresses, KEYMAP, type Binding } from '../../src/ui/bindings.js';
import { consoleKeysHelp, fitHelpBar, helpBarItems, keysText, overlayItems } from '../../src/ui/key-help.js';

const LOCAL = applicable(KEYMAP, { canPartition: false });

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
    ['f', key(), 'failover'],
    ['k', key(), 'kill'],
    ['r', key(), 'restart'],
    ['s', key(), 'stop'],
    ['z', key(), 'freeze'],
    ['l', key(), 'load'],
    ['t', key(), 'rto'],
    ['P', key({ shift: true }), 'profile'],
    ['y', key(), 'confirm-yes'],
    ['n', key(), 'confirm-no'],
  ])('findBinding(%j, …) -> %s', (input, k, id) => {
    expect(findBinding(input, k)?.id).toBe(id);
  });

  it.each([
    ['j', key()], // no vi keys: k is "kill primary"
    ['P', key({ ctrl: true })], // profile is plain capital P
    ['K', key({ shift: true })],
    ['k', key({ ctrl: true })],
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
      ...[...'fkrszltyn'].map((ch): [string, Key] => [ch, key()]), ['P', key({ shift: true })],
    ];
    for (const [input, k] of presses) expect(KEYMAP.filter((b) => b.match(input, k))).toHaveLength(1);
  });
});

describe('help bar and overlay text', () => {
  it('keysText joins display keys', () => {
    expect(keysText({ keys: ['q', 'Ctrl+C'] })).toBe('q/Ctrl+C');
  });

  it('helpBarItems keeps bar bindings only and merges neighbours of one group', () => {
    expect(helpBarItems(LOCAL)).toEqual([
      { keys: '?', label: 'help' },
      { keys: 'w', label: 'learn' },
      { keys: 'f', label: 'failover' },
      { keys: 'k', label: 'kill' },
      { keys: 'r', label: 'restart' },
      { keys: 's', label: 'stop' },
      { keys: 'z', label: 'freeze' },
      { keys: 'm', label: 'maint' },
      { keys: 'l', label: 'load' },
      { keys: 't', label: 'rto' },
      { keys: 'P', label: 'profile' },
      { keys: '↑/↓', label: 'select' },
      { keys: 'q', label: 'quit' }, // the bar's short form; the overlay says q/Ctrl+C
    ]);
  });

  it('the prompt keys and Esc are overlay-only, and the only keys an open prompt takes', () => {
    const promptKeys = KEYMAP.filter((b) => b.inPrompt).map((b) => b.id);
    // quit is the one bar key a prompt also takes: leaving must always work.
    expect(promptKeys).toEqual(['confirm-yes', 'confirm-no', 'close', 'quit']);
    for (const id of promptKeys.filter((i) => i !== 'quit')) expect(KEYMAP.find((b) => b.id === id)?.bar).toBe(false);
  });

  it('p partition is in the bar only where the backend can partition (compose)', () => {
    expect(helpBarItems(LOCAL).map((i) => i.label)).not.toContain('partition');
    const compose = helpBarItems(applicable(KEYMAP, { canPartition: true }));
    expect(compose.map((i) => `${i.keys} ${i.label}`)).toContain('p partition');
    expect(compose).toHaveLength(helpBarItems(LOCAL).length + 1);
  });

  it('fitHelpBar: two spaces when wide, one when not, then drops from the right but keeps quit', () => {
    const items = helpBarItems(LOCAL);
    const width = (fit: ReturnType<typeof fitHelpBar>) =>
      fit.items.reduce((n, i) => n + [...i.keys].length + 1 + i.label.length, 0) + fit.gap * (fit.items.length - 1);
    expect(fitHelpBar(items, 140)).toEqual({ items, gap: 2 });
    expect(fitHelpBar(items, 110)).toEqual({ items, gap: 1 });
    expect(fitHelpBar(items, 100).items.map((i) => i.label)).not.toContain('select'); // the arrows go first
    const narrow = fitHelpBar(items, 80);
    expect(width(narrow)).toBeLessThanOrEqual(80);
    expect(narrow.items.map((i) => i.label)).toEqual(['help', 'learn', 'failover', 'kill', 'restart', 'stop', 'freeze', 'maint', 'load', 'quit']);
    const tiny = fitHelpBar(items, 20);
    expect(tiny.items[0]?.label).toBe('help');
    expect(tiny.items.at(-1)?.label).toBe('quit');
  });

  it('overlayItems: every binding, neighbours of one group on one line', () => {
    const items = overlayItems(KEYMAP);
    expect(items.find((i) => i.keys === '↑/↓')?.description).toBe('Select the node above · Select the node below');
    expect(items.find((i) => i.keys === 'y/n/Esc')).toBeDefined();
    expect(items.find((i) => i.keys === 'q/Ctrl+C')).toBeDefined();
    const text = items.map((i) => i.description).join('\n');
    for (const b of KEYMAP) expect(text).toContain(b.description);
  });

  it('a new bar binding shows up in the bar without other changes', () => {
    const extra: Binding = { kind: 'ui', id: 'x', keys: ['x'], match: (i) => i === 'x', label: 'extra', description: 'An extra key', doc: 'an extra key', bar: true };
    expect(helpBarItems([...KEYMAP, extra]).at(-1)).toEqual({ keys: 'x', label: 'extra' });
  });

  it('neighbours with one label but no group stay apart', () => {
    const a: Binding = { kind: 'ui', id: 'a', keys: ['a'], match: () => false, label: 'same', description: 'A', doc: 'a', bar: true };
    const b: Binding = { ...a, id: 'b', keys: ['b'], description: 'B' };
    expect(helpBarItems([a, b])).toEqual([{ keys: 'a', label: 'same' }, { keys: 'b', label: 'same' }]);
    expect(overlayItems([{ ...a, group: 'g' }, { ...b, group: 'g' }])).toEqual([{ keys: 'a/b', description: 'A · B' }]);
  });

  it('--help lists every key, p included, one line per overlay line', () => {
    const lines = consoleKeysHelp().split('\n');
    expect(lines).toContain('  p         Cut the selected node off the lab network (asks first), or reconnect it (compose only)');
    expect(lines).toContain('  f/F       Controlled failover (asks first) · F: to the selected standby');
    expect(lines).toContain('  ↑/↓       Select the node above · Select the node below');
    expect(lines).toContain('  q/Ctrl+C  Quit the console (the cluster keeps running)');
    expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(17);
  });
});

describe('typed-ahead input', () => {
  it('a chunk of several printable keys claims each of them in order', () => {
    expect(findBindings('?q', key()).map((b) => b.id)).toEqual(['help', 'quit']);
    expect(findBindings('xjv', key())).toEqual([]);
    expect(findBindings('ky', key()).map((b) => b.id)).toEqual(['kill', 'confirm-yes']);
    expect(findBindings('q', key()).map((b) => b.id)).toEqual(['quit']);
    expect(findBindings('', key({ upArrow: true })).map((b) => b.id)).toEqual(['select-up']);
    // Each claimed key keeps its own character: a typed-ahead number is its digits, in order.
    expect(findKeyPresses('1x.5', key()).map((p) => `${p.binding.id}:${p.input}`)).toEqual(['learn-answer:1', 'learn-answer:.', 'learn-answer:5']);
  });
});
