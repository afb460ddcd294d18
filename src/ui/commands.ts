// What an action key does, decided from plain data: run it now, ask first, or say why not.
// Pure, so every confirmation rule is tested without rendering.
import type { ConfirmedTarget } from '../actions/target.js';
import type { ConsoleActions, ProcessState } from '../actions/types.js';

export type ActionKey = 'failover' | 'kill' | 'restart' | 'stop' | 'freeze' | 'partition' | 'load' | 'rto' | 'profile';

/** One controller call; `node` only for the per-node actions, `target` for the asked ones. */
export interface ActionCall {
  method: keyof ConsoleActions;
  node?: string;
  /** What the prompt named: the controller refuses when the cluster no longer matches it. */
  target?: ConfirmedTarget;
}

export type ActionPlan =
  | { kind: 'run'; call: ActionCall }
  | { kind: 'confirm'; question: string; call: ActionCall }
  | { kind: 'message'; text: string };

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
}

export const CONFIRM_HINT = 'y = yes, Esc = cancel';
export const NOT_AVAILABLE = 'not available here';

export function promptText(question: string): string {
  return `${question} ${CONFIRM_HINT}`;
}

export function waitingText(busyLabel: string): string {
  return `waiting: ${busyLabel} is still running`;
}

const run = (method: keyof ConsoleActions, node?: string): ActionPlan => ({
  kind: 'run',
  call: node === undefined ? { method } : { method, node },
});
const ask = (question: string, method: keyof ConsoleActions, target: ConfirmedTarget, perNode: boolean): ActionPlan => ({
  kind: 'confirm',
  question,
  call: perNode ? { method, node: target.node, target } : { method, target },
});
const say = (text: string): ActionPlan => ({ kind: 'message', text });

export function planAction(action: ActionKey, ctx: ActionContext): ActionPlan {
  if (!ctx.available) return say(`${action}: ${NOT_AVAILABLE}`);
  // Harmless or undoing: never blocked, never asked.
  if (action === 'load') return run('toggleLoad');
  if (action === 'profile') return run('nextProfile');
  if (action === 'rto' && ctx.rtoRunning) return run('toggleRto');
  // One destructive action at a time: a second fault mid-failover measures nothing.
  if (ctx.busy !== null) return say(waitingText(ctx.busy));
  if (action === 'partition' && !ctx.canPartition) return say('network partitions need the compose backend');

  const primary = ctx.primary;
  if (action === 'failover' || action === 'kill' || action === 'rto') {
    if (primary === null) return say(`no primary known: nothing to ${action === 'failover' ? 'fail over' : 'kill'}`);
    // The prompt names the primary of this moment; y acts on it only if it still is.
    const asPrimary = { node: primary, asPrimary: true };
    if (action === 'failover') return ask(`Fail over from ${primary} (the primary) to a standby?`, 'failover', asPrimary, false);
    if (action === 'kill') return ask(`Kill ${primary} (the primary) hard?`, 'killPrimary', asPrimary, false);
    return ask(`Time an RTO run: kill ${primary} (the primary) hard?`, 'toggleRto', asPrimary, false);
  }

  const node = ctx.selected;
  if (node === null) return say('no node selected');
  const who = node === primary ? `${node} (the primary)` : node;
  // Stop, freeze and partition pick their direction from what was seen at the key press.
  const target: ConfirmedTarget = ctx.process === undefined ? { node, asPrimary: false } : { node, asPrimary: false, process: ctx.process };
  switch (action) {
    case 'restart':
      return ask(`Restart ${who}?`, 'restart', { node, asPrimary: false }, true);
    case 'stop':
      return ctx.process === 'stopped' ? run('toggleStop', node) : ask(`Stop ${who}?`, 'toggleStop', target, true);
    case 'freeze':
      return ctx.process === 'frozen' ? run('toggleFreeze', node) : ask(`Freeze ${who} (pause its processes)?`, 'toggleFreeze', target, true);
    case 'partition':
      if (!ctx.canPartition) return say('network partitions need the compose backend');
      return ctx.partitioned ? run('togglePartition', node) : ask(`Cut ${who} off the lab network?`, 'togglePartition', { node, asPrimary: false, cut: false }, true);
  }
}

/** Make the call on the actions object (no node argument where none belongs; no target unasked). */
export function invoke(actions: ConsoleActions, call: ActionCall): Promise<void> {
  const method = actions[call.method] as (...args: unknown[]) => Promise<void> | void;
  const args: unknown[] = call.node === undefined ? [] : [call.node];
  if (call.target !== undefined) args.push(call.target);
  return Promise.resolve(method.apply(actions, args));
}
