// The one key table. Each binding carries its keys, its help texts, and either a console command
// (UI state: help, selection, prompt answers, quit) or a cluster action with its typed target,
// its confirm rule and the controller call it makes. Input dispatch, the help bar, the `?`
// overlay, `pgha-tui --help` and the README's key table (checked by a test) all read it.
// No React or Ink here: `--help` and the pure tests read this table without the console's renderer.
import type { ConfirmedTarget } from '../actions/target.js';
import type { ConsoleActions, ProcessState } from '../actions/types.js';

/** The fields of Ink's `Key` a binding reads (Ink's own type fits it). */
export interface KeyPress {
  upArrow: boolean;
  downArrow: boolean;
  escape: boolean;
  /** Ink reports Tab here, with an empty input. */
  tab?: boolean;
  return?: boolean;
  /** Terminals send Backspace as either (Ink reports DEL, 0x7f, as delete). */
  backspace?: boolean;
  delete?: boolean;
  ctrl: boolean;
  meta: boolean;
}

/** What an action key acts on, as seen at the key press. */
export interface Targets {
  /** Load test, profile: nothing in particular. */
  none: null;
  /** The node that reports read-write. */
  primary: { node: string };
  /** The node under the cursor. */
  selected: { node: string; isPrimary: boolean; process: ProcessState | undefined; cut: boolean; maintenance: boolean };
}
export type TargetKind = keyof Targets;

/** What an action key needs to know of the console at the key press. */
export interface ActionContext {
  /** False when the App was rendered without a controller. */
  available: boolean;
  primary: string | null;
  /** Name of the selected node. */
  selected: string | null;
  /** Process state of the selected node; unknown counts as running (ask rather than not). */
  process: ProcessState | undefined;
  /** Label of the destructive action in progress. */
  busy: string | null;
  rtoRunning: boolean;
  /** The backend can cut nodes off the network (compose). */
  canPartition: boolean;
  /** The selected node is cut off now. */
  partitioned: boolean;
  /** The monitor has the selected node in (or on its way into) maintenance. */
  maintenance: boolean;
  /** What the backend refuses, with the reason (attach). */
  refusals?: Partial<Record<Permission, string>>;
}

interface BindingBase<Id extends string> {
  id: Id;
  /** Display form, e.g. ['↑'] or ['q', 'Ctrl+C']. */
  keys: readonly string[];
  /** Shorter display form for the help bar, where every column counts. */
  barKeys?: readonly string[];
  match: (input: string, key: KeyPress) => boolean;
  /** Short, for the help bar. */
  label: string;
  /** Neighbours in one group share one help-bar item and one overlay and --help line. */
  group?: string;
  /** One sentence, for the help overlay and --help. */
  description: string;
  /** The README key table's text for this key (markdown). */
  doc: string;
  /** Shown in the help bar (every binding is in the overlay). */
  bar: boolean;
  /** Still handled while a confirmation prompt is open (every other key is ignored then). */
  inPrompt?: boolean;
  /** Neighbours sharing one overlay and --help line but not a help-bar item. */
  line?: string;
  /** Only offered when the backend can do it (partitions: compose only) or the walkthrough is open. */
  needs?: 'partition' | 'walkthrough';
  /** What the backend must allow (attach: host keys never, actions with --allow-actions). */
  permission?: Permission;
}

/** A kind of action a backend may refuse (the same names as the backend's). */
export type Permission = 'host' | 'actions' | 'profile';

/** A key that changes only the console: its handler lives in the App, one per id. */
export interface UiBinding<Id extends string = string> extends BindingBase<Id> {
  kind: 'ui';
}

export interface ConfirmRule<K extends TargetKind> {
  question: (target: Targets[K]) => string;
  /** When this holds the key runs at once: the direction that undoes a fault is never asked. */
  unless?: (target: Targets[K]) => boolean;
  /** What the prompt saw, besides the node, that must still hold at `y`. */
  holds?: 'process' | 'cut' | 'maintenance';
}

/** A key that makes one controller call on one typed target. */
export interface ActionBinding<K extends TargetKind = TargetKind, Id extends string = string> extends BindingBase<Id> {
  kind: 'action';
  target: K;
  /** For "no primary known: nothing to …". */
  verb?: string;
  /** null: runs without asking. */
  confirm: ConfirmRule<K> | null;
  /** Why this target is wrong for the key, said at the key press without a prompt; null: fine. */
  refuse?: (target: Targets[K]) => string | null;
  /** Harmless or undoing: runs even while a destructive action is busy. */
  free?: boolean;
  /** While this holds, the key stops what it started: at once, unasked, never blocked. */
  stops?: { while: (ctx: ActionContext) => boolean; run: (actions: ConsoleActions) => Promise<void> };
  /** `confirmed` is what the prompt named; undefined when nothing was asked. */
  run: (actions: ConsoleActions, target: Targets[K], confirmed: ConfirmedTarget | undefined) => Promise<void>;
}

/** Any action binding, whatever its target kind (a union, so `target` narrows the rest). */
export type AnyActionBinding = { [K in TargetKind]: ActionBinding<K> }[TargetKind];
export type Binding = UiBinding | AnyActionBinding;

const ui = <const Id extends string>(b: Omit<UiBinding<Id>, 'kind'>): UiBinding<Id> => ({ kind: 'ui', ...b });
const action = <const Id extends string, K extends TargetKind>(b: Omit<ActionBinding<K, Id>, 'kind'>): ActionBinding<K, Id> => ({
  kind: 'action',
  ...b,
});

const plain = (ch: string) => (input: string, key: KeyPress) => input === ch && !key.ctrl && !key.meta;
const who = (t: Targets['selected']) => (t.isPrimary ? `${t.node} (the primary)` : t.node);

// Order matters twice: it is the overlay's (and README's) order, and a narrow help bar drops
// items from the right (all but the last), so the fault keys come first and the arrows late.
// `k` is reserved for "kill primary", so selection uses arrows only (no vi keys).
const BINDINGS = [
  ui({
    id: 'help',
    keys: ['?'],
    match: plain('?'),
    label: 'help',
    description: 'Show or hide this help',
    doc: 'help overlay: every key, the active profile and each failure-detection setting with what it trades',
    bar: true,
    line: 'panes',
  }),
  ui({
    id: 'learn',
    keys: ['w'],
    match: plain('w'),
    label: 'learn',
    line: 'panes',
    description: 'the walkthrough: lessons on this cluster',
    doc: 'open or close the walkthrough pane: lessons that advance on what the live cluster does (see Learn)',
    bar: true,
  }),
  ui({
    id: 'learn-skip',
    keys: ['Tab'],
    match: (_input, key) => key.tab === true && !key.ctrl && !key.meta,
    label: 'skip',
    group: 'learn-step',
    description: 'Walkthrough: skip this step',
    doc: 'with the walkthrough open: skip the current step',
    bar: false,
    needs: 'walkthrough',
  }),
  ui({
    id: 'learn-answer',
    // One binding for both kinds of answer: a step is either a prediction or a number question.
    // '.' is typed with the digits; the key column stays narrow (the overlay has no width to spare).
    keys: ['0…9'],
    match: (input, key) => /^[0-9.]$/.test(input) && !key.ctrl && !key.meta,
    label: 'answer',
    group: 'learn-step',
    description: 'answer: the node in that row, or a number (digits and .)',
    doc:
      'with the walkthrough asking which node will be promoted: the node in that table row (1…9); ' +
      'asking for a number read off the screen: its digits and `.`',
    bar: false,
    needs: 'walkthrough',
  }),
  ui({
    id: 'learn-erase',
    keys: ['⌫'],
    match: (_input, key) => (key.backspace === true || key.delete === true) && !key.ctrl && !key.meta,
    label: 'erase',
    group: 'learn-number',
    description: 'Walkthrough number: erase (Backspace)',
    doc: 'Backspace, with the walkthrough asking for a number: erase the last character typed',
    bar: false,
    needs: 'walkthrough',
  }),
  ui({
    id: 'learn-submit',
    keys: ['Enter'],
    match: (_input, key) => key.return === true && !key.ctrl && !key.meta,
    label: 'submit',
    group: 'learn-number',
    description: 'submit it',
    doc: 'with the walkthrough asking for a number: submit the number typed; the verdict shows and the walkthrough goes on',
    bar: false,
    needs: 'walkthrough',
  }),
  action({
    id: 'failover',
    permission: 'actions',
    keys: ['f'],
    match: plain('f'),
    label: 'failover',
    group: 'failover',
    description: 'Controlled failover (asks first)',
    doc: 'controlled failover through the monitor (`perform_failover`) — asks first',
    bar: true,
    target: 'primary',
    verb: 'fail over',
    confirm: { question: (p) => `Fail over from ${p.node} (the primary) to a standby?` },
    run: (c, _p, confirmed) => c.failover(confirmed),
  }),
  action({
    id: 'promote',
    permission: 'actions',
    keys: ['F'],
    match: plain('F'),
    label: 'promote',
    // One overlay line with f: at 80x24 the overlay has no row to spare.
    group: 'failover',
    description: 'F: to the selected standby',
    doc: 'promote the selected standby through the monitor (`perform_promotion`): a failover to that node — asks first',
    // The bar keeps its columns for f and the fault keys; the overlay lists it.
    bar: false,
    target: 'selected',
    refuse: (n) => (n.isPrimary ? `${n.node} is the primary already: select a standby to promote` : null),
    confirm: { question: (n) => `Promote ${n.node} to primary (perform_promotion)?` },
    run: (c, n, confirmed) => c.promote(n.node, confirmed),
  }),
  action({
    id: 'kill',
    permission: 'host',
    keys: ['k'],
    match: plain('k'),
    label: 'kill',
    description: 'Kill the primary hard, no clean shutdown (asks first)',
    doc: 'kill the primary hard: SIGKILL of its keeper, postmaster and every backend — asks first',
    bar: true,
    target: 'primary',
    confirm: { question: (p) => `Kill ${p.node} (the primary) hard?` },
    run: (c, _p, confirmed) => c.killPrimary(confirmed),
  }),
  action({
    id: 'restart',
    permission: 'host',
    keys: ['r'],
    match: plain('r'),
    label: 'restart',
    description: 'Restart the selected node (asks first)',
    doc: 'restart the selected node — asks first',
    bar: true,
    target: 'selected',
    confirm: { question: (n) => `Restart ${who(n)}?` },
    run: (c, n, confirmed) => c.restart(n.node, confirmed),
  }),
  action({
    id: 'stop',
    permission: 'host',
    keys: ['s'],
    match: plain('s'),
    label: 'stop',
    description: 'Stop the selected node (asks first), or start it if stopped',
    doc: 'stop the selected node (asks first) or start it again',
    bar: true,
    target: 'selected',
    confirm: { question: (n) => `Stop ${who(n)}?`, unless: (n) => n.process === 'stopped', holds: 'process' },
    run: (c, n, confirmed) => c.toggleStop(n.node, confirmed),
  }),
  action({
    id: 'freeze',
    permission: 'host',
    keys: ['z'],
    match: plain('z'),
    label: 'freeze',
    description: 'Freeze the selected node (asks first), or thaw it',
    doc: 'freeze the selected node with SIGSTOP (asks first) or thaw it with SIGCONT',
    bar: true,
    target: 'selected',
    confirm: { question: (n) => `Freeze ${who(n)} (pause its processes)?`, unless: (n) => n.process === 'frozen', holds: 'process' },
    run: (c, n, confirmed) => c.toggleFreeze(n.node, confirmed),
  }),
  action({
    id: 'partition',
    permission: 'host',
    keys: ['p'],
    match: plain('p'),
    label: 'partition',
    description: 'Cut the selected node off the lab network (asks first), or reconnect it (compose only)',
    doc:
      'compose only (the console offers it nowhere else): cut the selected node off the lab network (asks first) or reconnect it; ' +
      "cutting off the primary starts the load and the split-brain watch (writes it acknowledges after another node's promotion, must stay 0). " +
      'A cut-off node stays cut off after `q` until `p` or `npx pgha-tui heal <node>`',
    // Compose-only: applicable() leaves it out of the bar and the overlay elsewhere.
    bar: true,
    needs: 'partition',
    target: 'selected',
    confirm: { question: (n) => `Cut ${who(n)} off the lab network?`, unless: (n) => n.cut, holds: 'cut' },
    run: (c, n, confirmed) => c.togglePartition(n.node, confirmed),
  }),
  action({
    id: 'maintenance',
    // Through the monitor's SQL API, like f: attach allows it with --allow-actions.
    permission: 'actions',
    keys: ['m'],
    match: plain('m'),
    label: 'maint',
    description: 'Maintenance for the selected node (asks first), or out of it',
    doc:
      "maintenance for the selected node through the monitor (`start_maintenance`; asks first), or out of it again; " +
      'on the primary the monitor fails over first',
    bar: true,
    target: 'selected',
    confirm: {
      question: (n) => (n.isPrimary ? `Put ${n.node} (the primary) into maintenance? The monitor fails over first.` : `Put ${n.node} into maintenance?`),
      unless: (n) => n.maintenance,
      holds: 'maintenance',
    },
    run: (c, n, confirmed) => c.toggleMaintenance(n.node, confirmed),
  }),
  action({
    id: 'load',
    permission: 'actions',
    keys: ['l'],
    match: plain('l'),
    label: 'load',
    description: 'Start or stop the load test',
    doc: 'start the load test, or stop it and check the ledger (lost writes in red)',
    bar: true,
    target: 'none',
    confirm: null,
    free: true,
    run: (c) => c.toggleLoad(),
  }),
  action({
    id: 'rto',
    permission: 'host',
    keys: ['t'],
    match: plain('t'),
    label: 'rto',
    description: 'Timed RTO run: kills the primary (asks first); t aborts',
    doc:
      'timed RTO run: load on, kill the primary, time to the first write on the new primary, restart the victim, ' +
      'wait for it to rejoin; `t` again aborts and restores',
    bar: true,
    target: 'primary',
    verb: 'kill',
    confirm: { question: (p) => `Time an RTO run: kill ${p.node} (the primary) hard?` },
    stops: { while: (ctx) => ctx.rtoRunning, run: (c) => c.toggleRto() },
    run: (c, _p, confirmed) => c.toggleRto(confirmed),
  }),
  action({
    id: 'profile',
    permission: 'profile',
    keys: ['P'],
    match: plain('P'),
    label: 'profile',
    description: 'Switch the monitor to the next tuning profile',
    doc: 'switch tuning profile (`default` ⇄ `fast`) on the monitor',
    bar: true,
    target: 'none',
    confirm: null,
    free: true,
    run: (c) => c.nextProfile(),
  }),
  ui({
    id: 'events',
    keys: ['e'],
    match: plain('e'),
    label: 'events',
    description: "Events pane: short lines or the monitor's full messages",
    doc: "events pane: one short line per transition (`node2  assigned catchingup`), or the monitor's full messages",
    // The pane's title names the key; the bar keeps its columns for the fault keys.
    bar: false,
  }),
  ui({
    id: 'select-up',
    keys: ['↑'],
    match: (_input, key) => key.upArrow,
    label: 'select',
    group: 'select',
    description: 'Select the node above',
    doc: 'select the node above',
    bar: true,
  }),
  ui({
    id: 'select-down',
    keys: ['↓'],
    match: (_input, key) => key.downArrow,
    label: 'select',
    group: 'select',
    description: 'Select the node below',
    doc: 'select the node below',
    bar: true,
  }),
  ui({
    id: 'confirm-yes',
    keys: ['y'],
    match: plain('y'),
    label: 'confirm',
    group: 'confirm',
    description: 'Answer a prompt: yes',
    doc: 'in a prompt: yes, run what it names',
    bar: false,
    inPrompt: true,
  }),
  ui({
    id: 'confirm-no',
    keys: ['n'],
    match: plain('n'),
    label: 'confirm',
    group: 'confirm',
    description: 'no',
    doc: 'in a prompt: no, cancel it',
    bar: false,
    inPrompt: true,
  }),
  ui({
    id: 'close',
    keys: ['Esc'],
    match: (_input, key) => key.escape,
    label: 'close',
    // One overlay line with y and n: at 80x24 the overlay has no row to spare.
    group: 'confirm',
    description: 'cancel (Esc also closes this help)',
    doc: 'cancel a prompt, or close the help overlay, or pass over the number the walkthrough asks for',
    bar: false,
    inPrompt: true,
  }),
  ui({
    id: 'quit',
    keys: ['q', 'Ctrl+C'],
    barKeys: ['q'],
    // Ctrl+C only arrives here when Ink is rendered with exitOnCtrlC: false.
    match: (input, key) => plain('q')(input, key) || (key.ctrl && input === 'c'),
    label: 'quit',
    description: 'Quit the console (the cluster keeps running)',
    doc: 'quit the console (works in every state, from the first frame; the cluster keeps running)',
    bar: true,
    // Quitting must always work, prompt or not: it changes nothing in the cluster.
    inPrompt: true,
  }),
] as const;

/** One of this console's bindings, with its literal id. */
export type KeyBinding = (typeof BINDINGS)[number];
export type BindingId = KeyBinding['id'];
/** The console commands the App implements, one handler each (the compiler checks the set). */
export type UiBindingId = Extract<KeyBinding, { kind: 'ui' }>['id'];

export const KEYMAP: readonly KeyBinding[] = BINDINGS;

/** The bindings that apply to this console: a key the backend cannot do is not advertised. */
export function applicable<B extends Binding>(bindings: readonly B[], caps: { canPartition: boolean; walkthrough?: boolean }): B[] {
  return bindings.filter((b) => (b.needs !== 'partition' || caps.canPartition) && (b.needs !== 'walkthrough' || caps.walkthrough === true));
}

/**
 * The bindings as this backend offers them: a refused key stays listed in the overlay, its
 * description replaced by why it is unavailable, and leaves the help bar.
 */
export function withRefusals<B extends Binding>(bindings: readonly B[], refusals: Partial<Record<Permission, string>> | undefined): B[] {
  if (!refusals) return [...bindings];
  return bindings.map((b) => {
    const why = b.permission ? refusals[b.permission] : undefined;
    return why ? { ...b, description: `unavailable: ${why}`, bar: false } : b;
  });
}

/** The first binding that claims this key press, if any. */
export function findBinding(input: string, key: KeyPress): KeyBinding | undefined {
  return KEYMAP.find((b) => b.match(input, key));
}

/**
 * Every binding a chunk of input claims, in order. Keys typed faster than a frame (or sent by a
 * script) arrive as one string like "?q"; printable chunks are split so none is lost.
 */
export function findBindings(input: string, key: KeyPress): KeyBinding[] {
  return findKeyPresses(input, key).map((p) => p.binding);
}

/** As findBindings, each with the character it claimed (a typed-ahead "15" is 1, then 5). */
export function findKeyPresses(input: string, key: KeyPress): { binding: KeyBinding; input: string }[] {
  const whole = findBinding(input, key);
  if (whole) return [{ binding: whole, input }];
  if (input.length <= 1 || key.ctrl || key.meta || key.escape) return [];
  return [...input].flatMap((ch) => {
    const binding = findBinding(ch, key);
    return binding ? [{ binding, input: ch }] : [];
  });
}
