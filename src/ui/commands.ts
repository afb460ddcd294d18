// What an action key does, decided from its binding and plain data: run it now, ask first, or
// say why not. Pure, so every confirmation rule is tested without rendering.
import type { ConfirmedTarget } from '../actions/target.js';
import type { ConsoleActions } from '../actions/types.js';
import type { ActionBinding, ActionContext, AnyActionBinding, TargetKind, Targets } from './bindings.js';

export type { ActionContext } from './bindings.js';

/** One controller call, made when the key runs or the prompt is answered `y`. */
export interface ActionCall {
  /** For the message if the call itself fails. */
  name: string;
  run: (actions: ConsoleActions) => Promise<void>;
}

export type ActionPlan =
  | { kind: 'run'; call: ActionCall }
  | { kind: 'confirm'; question: string; call: ActionCall }
  | { kind: 'message'; text: string };

export const CONFIRM_HINT = 'y = yes, Esc = cancel';
export const NOT_AVAILABLE = 'not available here';

const NEEDS_TEXT = { partition: 'network partitions need the compose backend' } as const;

export function promptText(question: string): string {
  return `${question} ${CONFIRM_HINT}`;
}

export function waitingText(busyLabel: string): string {
  return `waiting: ${busyLabel} is still running`;
}

const say = (text: string): ActionPlan => ({ kind: 'message', text });

/** The binding's target as of this key press, or why there is none. */
function resolve(b: AnyActionBinding, ctx: ActionContext): { target: Targets[TargetKind] } | { missing: string } {
  switch (b.target) {
    case 'none':
      return { target: null };
    case 'primary':
      return ctx.primary === null ? { missing: `no primary known: nothing to ${b.verb ?? b.id}` } : { target: { node: ctx.primary } };
    case 'selected':
      if (ctx.selected === null) return { missing: 'no node selected' };
      return { target: { node: ctx.selected, isPrimary: ctx.selected === ctx.primary, process: ctx.process, cut: ctx.partitioned, maintenance: ctx.maintenance } };
  }
}

/** What `y` must still find: the node the prompt named, in the role and state it named. */
function confirmedTarget(b: AnyActionBinding, target: Targets[TargetKind]): ConfirmedTarget | undefined {
  if (target === null) return undefined;
  if (b.target === 'primary') return { node: target.node, asPrimary: true };
  const t = target as Targets['selected'];
  const seen: ConfirmedTarget = { node: t.node, asPrimary: false };
  if (b.confirm?.holds === 'process' && t.process !== undefined) seen.process = t.process;
  if (b.confirm?.holds === 'cut') seen.cut = t.cut;
  if (b.confirm?.holds === 'maintenance') seen.maintenance = t.maintenance;
  return seen;
}

export function planAction(binding: AnyActionBinding, ctx: ActionContext): ActionPlan {
  // The union narrows per target kind in resolve(); here one shape runs them all.
  const b = binding as ActionBinding<TargetKind>;
  if (!ctx.available) return say(`${b.id}: ${NOT_AVAILABLE}`);
  const refused = b.permission ? ctx.refusals?.[b.permission] : undefined;
  if (refused) return say(`${b.keys[0]} (${b.label}): ${refused}`);
  const stop = b.stops;
  if (stop?.while(ctx)) return { kind: 'run', call: { name: b.id, run: stop.run } };
  // One destructive action at a time: a second fault mid-failover measures nothing.
  if (!b.free && ctx.busy !== null) return say(waitingText(ctx.busy));
  if (b.needs === 'partition' && !ctx.canPartition) return say(NEEDS_TEXT.partition);

  const found = resolve(binding, ctx);
  if ('missing' in found) return say(found.missing);
  const target = found.target;
  const wrong = b.refuse?.(target);
  if (wrong) return say(wrong);
  if (b.confirm === null || b.confirm.unless?.(target)) return { kind: 'run', call: { name: b.id, run: (c) => b.run(c, target, undefined) } };
  // The prompt names the target of this moment; y acts on it only if it still is.
  const confirmed = confirmedTarget(binding, target);
  return { kind: 'confirm', question: b.confirm.question(target), call: { name: b.id, run: (c) => b.run(c, target, confirmed) } };
}
