// A prompt names a node; `y` must act on that node or on none. Between the two the cluster may
// have moved (a failover, a node gone, someone else's stop): then refuse instead of acting on a
// node the user never confirmed.
import type { ProcessState } from '../cluster/types.js';

export interface ConfirmedTarget {
  node: string;
  /** The prompt named the node as the primary (k, f, t): it must still be the primary. */
  asPrimary: boolean;
  /** The process state the prompt was decided on (s and z pick their direction from it). */
  process?: ProcessState;
  /** Whether the node was cut off when the prompt was decided (p picks its direction from it). */
  cut?: boolean;
  /** Whether the node was in maintenance when the prompt was decided (m picks its direction from it). */
  maintenance?: boolean;
}

export interface ClusterNow {
  primary: string | null;
  nodes: readonly string[];
  /** The target's process state now; undefined when not asked. */
  process?: ProcessState;
  cut?: boolean;
  maintenance?: boolean;
}

/** Why the confirmed action must not run now, or null when the cluster still matches the prompt. */
export function targetRefusal(t: ConfirmedTarget, now: ClusterNow): string | null {
  if (!now.nodes.includes(t.node)) return `${t.node} is no longer in the cluster: nothing done`;
  if (t.asPrimary && now.primary !== t.node) {
    return now.primary === null
      ? `${t.node} is no longer the primary (no node reports read-write now): nothing done`
      : `the primary moved from ${t.node} to ${now.primary} since the prompt: nothing done`;
  }
  if (t.process !== undefined && now.process !== undefined && now.process !== t.process) {
    return `${t.node} is ${now.process} now, not ${t.process} as when asked: nothing done`;
  }
  if (t.cut !== undefined && now.cut !== undefined && now.cut !== t.cut) {
    return `${t.node} was ${now.cut ? 'cut off' : 'reconnected'} since the prompt: nothing done`;
  }
  if (t.maintenance !== undefined && now.maintenance !== undefined && now.maintenance !== t.maintenance) {
    return `${t.node} went ${now.maintenance ? 'into' : 'out of'} maintenance since the prompt: nothing done`;
  }
  return null;
}
