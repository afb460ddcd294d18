// The one key table. It drives input dispatch (App's single useInput), the help bar and the `?`
// overlay, so a key cannot work without being documented or be documented without working.
// Adding a key = one entry here + one handler in App (the compiler insists on the handler).
import type { Key } from 'ink';

export interface KeyBinding<Id extends string = string> {
  id: Id;
  /** Display form, e.g. ['↑'] or ['q', 'Ctrl+C']. */
  keys: readonly string[];
  /** Shorter display form for the help bar, where every column counts. */
  barKeys?: readonly string[];
  match: (input: string, key: Key) => boolean;
  /** Short, for the help bar. Overlay neighbours with one label share a line. */
  label: string;
  /** One sentence, for the help overlay. */
  description: string;
  /** Shown in the help bar (every binding is in the overlay). */
  bar: boolean;
  /** Still handled while a confirmation prompt is open (every other key is ignored then). */
  inPrompt?: boolean;
  /** Only listed in the overlay when the backend can do it (partitions: compose only). */
  needs?: 'partition';
}

/** The bindings that apply to this console: a key the backend cannot do is not advertised. */
export function applicable<B extends KeyBinding>(bindings: readonly B[], caps: { canPartition: boolean }): B[] {
  return bindings.filter((b) => b.needs !== 'partition' || caps.canPartition);
}

const plain = (ch: string) => (input: string, key: Key) => input === ch && !key.ctrl && !key.meta;

// Order matters twice: it is the overlay's order, and a narrow help bar drops items from the
// right (all but the last), so the fault keys come first and the obvious arrows late.
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
    id: 'failover',
    keys: ['f'],
    match: plain('f'),
    label: 'failover',
    description: 'Controlled failover to a standby (asks first)',
    bar: true,
  },
  {
    id: 'kill',
    keys: ['k'],
    match: plain('k'),
    label: 'kill',
    description: 'Kill the primary hard, no clean shutdown (asks first)',
    bar: true,
  },
  {
    id: 'restart',
    keys: ['r'],
    match: plain('r'),
    label: 'restart',
    description: 'Restart the selected node (asks first)',
    bar: true,
  },
  {
    id: 'stop',
    keys: ['s'],
    match: plain('s'),
    label: 'stop',
    description: 'Stop the selected node (asks first), or start it if stopped',
    bar: true,
  },
  {
    id: 'freeze',
    keys: ['z'],
    match: plain('z'),
    label: 'freeze',
    description: 'Freeze the selected node (asks first), or thaw it',
    bar: true,
  },
  {
    id: 'partition',
    keys: ['p'],
    match: plain('p'),
    label: 'partition',
    description: 'Cut the selected node off the lab network (asks first), or reconnect it (compose only)',
    // Compose-only: applicable() leaves it out of the bar and the overlay elsewhere.
    bar: true,
    needs: 'partition',
  },
  {
    id: 'load',
    keys: ['l'],
    match: plain('l'),
    label: 'load',
    description: 'Start or stop the load test',
    bar: true,
  },
  {
    id: 'rto',
    keys: ['t'],
    match: plain('t'),
    label: 'rto',
    description: 'Timed RTO run: kills the primary (asks first); t aborts',
    bar: true,
  },
  {
    id: 'profile',
    keys: ['P'],
    match: plain('P'),
    label: 'profile',
    description: 'Switch the monitor to the next tuning profile',
    bar: true,
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
    id: 'confirm-yes',
    keys: ['y'],
    match: plain('y'),
    label: 'confirm',
    description: 'Yes: run what the prompt names',
    bar: false,
    inPrompt: true,
  },
  {
    id: 'confirm-no',
    keys: ['n'],
    match: plain('n'),
    label: 'confirm',
    description: 'No: cancel the prompt',
    bar: false,
    inPrompt: true,
  },
  {
    id: 'close',
    keys: ['Esc'],
    match: (_input: string, key: Key) => key.escape,
    label: 'close',
    description: 'Cancel a prompt or close the help overlay',
    bar: false,
    inPrompt: true,
  },
  {
    id: 'quit',
    keys: ['q', 'Ctrl+C'],
    barKeys: ['q'],
    // Ctrl+C only arrives here when Ink is rendered with exitOnCtrlC: false.
    match: (input: string, key: Key) => plain('q')(input, key) || (key.ctrl && input === 'c'),
    label: 'quit',
    description: 'Quit the console (the cluster keeps running)',
    bar: true,
    // Quitting must always work, prompt or not: it changes nothing in the cluster.
    inPrompt: true,
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

/** Neighbours with the same label become one item, their keys joined ("↑/↓ select"). */
function mergeByLabel<T>(bindings: readonly KeyBinding[], keys: (b: KeyBinding) => readonly string[], extra: (b: KeyBinding) => T) {
  const items: { keys: string[]; label: string; extra: T[] }[] = [];
  for (const b of bindings) {
    const last = items[items.length - 1];
    if (last && last.label === b.label) {
      last.keys.push(...keys(b));
      last.extra.push(extra(b));
    } else items.push({ keys: [...keys(b)], label: b.label, extra: [extra(b)] });
  }
  return items;
}

/** The help bar: bar bindings as "keys label" pairs, in their short key form. */
export function helpBarItems(bindings: readonly KeyBinding[]): HelpBarItem[] {
  return mergeByLabel(
    bindings.filter((b) => b.bar),
    (b) => b.barKeys ?? b.keys,
    () => null,
  ).map((i) => ({ keys: i.keys.join('/'), label: i.label }));
}

export interface HelpBarFit {
  items: HelpBarItem[];
  /** Spaces between items. */
  gap: number;
}

const itemWidth = (i: HelpBarItem) => [...i.keys].length + 1 + i.label.length;

/**
 * What of the help bar fits `width`: two spaces apart, else one; if it still does not fit, items
 * go from the right, but the last (quit) stays, and `?` (first) lists everything anyway.
 */
export function fitHelpBar(all: readonly HelpBarItem[], width: number): HelpBarFit {
  const total = (items: readonly HelpBarItem[], gap: number) =>
    items.reduce((sum, i) => sum + itemWidth(i), 0) + gap * Math.max(0, items.length - 1);
  if (total(all, 2) <= width) return { items: [...all], gap: 2 };
  const items = [...all];
  while (items.length > 2 && total(items, 1) > width) items.splice(items.length - 2, 1);
  return { items, gap: 1 };
}

export interface OverlayItem {
  keys: string;
  description: string;
}

/** The overlay: every binding, neighbours with one label on one line to save rows. */
export function overlayItems(bindings: readonly KeyBinding[]): OverlayItem[] {
  return mergeByLabel(bindings, (b) => b.keys, (b) => b.description).map((i) => ({
    keys: i.keys.join('/'),
    description: i.extra.join(' · '),
  }));
}
