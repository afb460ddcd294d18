// The keys' help texts, all made from the bindings: the help bar, the `?` overlay and the
// key lines of `pgha-tui --help`. No React here: plain strings, tested without rendering.
import { KEYMAP, type Binding } from './bindings.js';

type Described = Pick<Binding, 'keys' | 'label' | 'description' | 'bar'> & { barKeys?: readonly string[]; group?: string; line?: string };

export function keysText(binding: Pick<Binding, 'keys'>): string {
  return binding.keys.join('/');
}

export interface HelpBarItem {
  keys: string;
  label: string;
}

/** Neighbours in one group become one item, their keys joined ("↑/↓ select"). */
function mergeGroups<T>(
  bindings: readonly Described[],
  keys: (b: Described) => readonly string[],
  extra: (b: Described) => T,
  groupOf: (b: Described) => string | undefined = (b) => b.group,
) {
  const items: { keys: string[]; label: string; group: string | undefined; extra: T[] }[] = [];
  for (const b of bindings) {
    const last = items[items.length - 1];
    const group = groupOf(b);
    if (last && group !== undefined && last.group === group) {
      last.keys.push(...keys(b));
      last.extra.push(extra(b));
    } else items.push({ keys: [...keys(b)], label: b.label, group, extra: [extra(b)] });
  }
  return items;
}

/** The help bar: bar bindings as "keys label" pairs, in their short key form. */
export function helpBarItems(bindings: readonly Described[]): HelpBarItem[] {
  return mergeGroups(
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

/** The overlay: every binding, a group on one line to save rows. */
export function overlayItems(bindings: readonly Described[]): OverlayItem[] {
  return mergeGroups(bindings, (b) => b.keys, (b) => b.description, (b) => b.line ?? b.group).map((i) => ({
    keys: i.keys.join('/'),
    // A group refused for one reason says it once.
    description: [...new Set(i.extra)].join(' · '),
  }));
}

/** The console keys section of `pgha-tui --help`: the overlay's lines, for every backend. */
export function consoleKeysHelp(bindings: readonly Described[] = KEYMAP): string {
  const items = overlayItems(bindings);
  const width = Math.max(...items.map((i) => i.keys.length));
  return [
    'Console keys (pgha-tui without a command; destructive keys ask first, y runs, Esc or n cancels):',
    ...items.map((i) => `  ${i.keys.padEnd(width)}  ${i.description}`),
    'q, SIGINT, SIGTERM and SIGHUP undo a running t (or drill) fault and print the load test\'s ledger',
    'verdict; faults set with s, z, p stay (pgha-tui down stops the cluster).',
  ].join('\n');
}
