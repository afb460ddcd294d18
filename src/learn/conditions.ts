// Small predicates the lessons are written with. Each reads the live snapshot or the monitor's
// own notifications since the step began, never a timer.
import type { ClusterEvent } from '../cluster/types.js';
import type { View } from './types.js';

/** A node reported this state since the step began (optionally: not this node). */
export function reported(v: View, state: string, opts: { node?: string | null; not?: string | null } = {}): ClusterEvent | undefined {
  return v.events.find(
    (e) => e.reportedState === state && (opts.node == null || e.nodeName === opts.node) && (opts.not == null || e.nodeName !== opts.not),
  );
}

/** The monitor assigned this state since the step began. */
export function assigned(v: View, state: string, opts: { node?: string | null } = {}): ClusterEvent | undefined {
  return v.events.find((e) => e.goalState === state && (opts.node == null || e.nodeName === opts.node));
}

/** The node's current reported and assigned states are both `state`. */
export function settledAs(v: View, node: string | null | undefined, state: string): boolean {
  const n = v.snap?.nodes.find((x) => x.name === node);
  return n !== undefined && n.reportedState === state && n.assignedState === state;
}

/** One primary and every other node a settled secondary, all healthy. */
export function healthy(v: View): boolean {
  const s = v.snap;
  if (!s || !s.monitor.reachable || !s.primary) return false;
  return s.nodes.every((n) =>
    n.name === s.primary ? n.reportedState === 'primary' && n.assignedState === 'primary' : n.reportedState === 'secondary' && n.assignedState === 'secondary',
  );
}

export function primaryOf(v: View): string | null {
  return v.snap?.primary ?? null;
}

/** Another node than `before` is the read-write primary now and reports primary or wait_primary. */
export function newPrimary(v: View, before: string | null | undefined): string | null {
  const p = v.snap?.primary ?? null;
  if (!p || p === before) return null;
  const n = v.snap!.nodes.find((x) => x.name === p);
  return n && (n.reportedState === 'primary' || n.reportedState === 'wait_primary') ? p : null;
}

export const str = (x: string | number | null | undefined): string | null => (typeof x === 'string' ? x : null);
