// The one key table. It drives input dispatch (App's single useInput), the help bar and the `?`
// overlay, so a key cannot work without being documented or be documented without working.
// Adding a key = one entry here + one handler in App (the compiler insists on the handler).
import type { Key } from 'ink';

export interface KeyBinding<Id extends string = string> {
  id: Id;
  /** Display form, e.g. ['↑'] or ['q', 'Ctrl+C']. */
  keys: readonly string[];
  match: (input: string, key: Key) => boolean;
  /** Short, for the help bar. */
  label: string;
  /** One sentence, for the help overlay. */
  description: string;
  /** Shown in the help bar (every binding is in the overlay). */
  bar: boolean;
}

const plain = (ch: string) => (input: string, key: Key) => input === ch && !key.ctrl && !key.meta;

// `k` is reserved for "kill primary", so selection uses arrows only (no vi keys).
const BINDINGS = [
  {
    id: 'help',
    keys: ['?'],
    match: plain('?'),
    label: 'help',
    description: 'Show or hide this help',
    bar: true,
  },
  {
    id: 'close',
    keys: ['Esc'],
    match: (_input: string, key: Key) => key.escape,
    label: 'close',
    description: 'Close the help overlay',
    bar: false,
  },
  {
    id: 'select-up',
    keys: ['↑'],
    match: (_input: string, key: Key) => key.upArrow,
    label: 'select',
    description: 'Select the node above',
    bar: true,
  },
  {
    id: 'select-down',
    keys: ['↓'],
    match: (_input: string, key: Key) => key.downArrow,
    label: 'select',
    description: 'Select the node below',
    bar: true,
  },
  {
    id: 'quit',
    keys: ['q', 'Ctrl+C'],
    // Ctrl+C only arrives here when Ink is rendered with exitOnCtrlC: false.
    match: (input: string, key: Key) => plain('q')(input, key) || (key.ctrl && input === 'c'),
    label: 'quit',
    description: 'Quit the console (the cluster keeps running)',
    bar: true,
  },
] as const satisfies readonly KeyBinding[];

export type BindingId = (typeof BINDINGS)[number]['id'];

export const KEYMAP: readonly KeyBinding<BindingId>[] = BINDINGS;

/** The first binding that claims this key press, if any. */
export function findBinding(input: string, key: Key): KeyBinding<BindingId> | undefined {
  return KEYMAP.find((b) => b.match(input, key));
}

/**
 * Every binding a chunk of input claims, in order. Keys typed faster than a frame (or sent by a
 * script) arrive as one string like "?q"; printable chunks are split so none is lost.
 */
export function findBindings(input: string, key: Key): KeyBinding<BindingId>[] {
  const whole = findBinding(input, key);
  if (whole) return [whole];
  if (input.length <= 1 || key.ctrl || key.meta || key.escape) return [];
  return [...input].map((ch) => findBinding(ch, key)).filter((b): b is KeyBinding<BindingId> => b !== undefined);
}

export function keysText(binding: Pick<KeyBinding, 'keys'>): string {
  return binding.keys.join('/');
}

export interface HelpBarItem {
  keys: string;
  label: string;
}

/**
 * The help bar: bar bindings as "keys label" pairs. Neighbours with the same label share one
 * item ("↑/↓ select") so the bar stays short.
 */
export function helpBarItems(bindings: readonly KeyBinding[]): HelpBarItem[] {
  const items: { keys: string[]; label: string }[] = [];
  for (const b of bindings) {
    if (!b.bar) continue;
    const last = items[items.length - 1];
    if (last && last.label === b.label) last.keys.push(...b.keys);
    else items.push({ keys: [...b.keys], label: b.label });
  }
  return items.map((i) => ({ keys: i.keys.join('/'), label: i.label }));
}
