// A lesson is data: steps with short text, the key they name, and the condition on the live
// cluster that completes them. No React here; the console draws what the engine says.
import type { ConsoleState } from '../actions/types.js';
import type { ClusterEvent, ClusterSnapshot } from '../cluster/types.js';

/** What a lesson remembers between its steps (the primary before a failover, a prediction). */
export type Memory = Record<string, string | number | null>;

/** What a step's condition and text see. */
export interface View {
  snap: ClusterSnapshot | null;
  console: ConsoleState | null;
  /** Monitor `state` notifications since the step began, oldest first. */
  events: readonly ClusterEvent[];
  /** Epoch ms when the step began. */
  since: number;
  mem: Memory;
  backend: string;
  /** The node under the table's cursor. */
  selected: string | null;
}

export interface Step {
  /** At most 6 short lines, plain words. */
  text: (v: View) => string[];
  /** The key the step asks for, shown as "press X". */
  key?: string;
  /** Holds once the real cluster did what the step waits for. */
  done: (v: View) => boolean;
  /** Node names to highlight in the table. */
  highlight?: (v: View) => string[];
  /** Runs once as the step begins: what to remember for later steps. */
  enter?: (v: View) => Memory;
  /**
   * Keep the previous step's events and start: the step after a prediction, which the user may
   * answer by pressing the key at once (then the event that ended the prediction is this one's).
   */
  keepEvents?: boolean;
  /** A prediction: the keys 1..n name the node in table row n; answering never blocks. */
  predict?: boolean;
  /**
   * A number read off the screen: the user types it (digits, '.', Enter) and the verdict is shown
   * as the next step begins. A step is either a prediction or a number question.
   */
  ask?: NumberQuestion;
}

export interface Lesson {
  title: string;
  /** Only the compose lab can do it (partitions). */
  composeOnly?: boolean;
  steps: Step[];
}

/** A number read off the screen (a standby's lag, how long detection took), judged on Enter. */
export interface NumberQuestion {
  /** The figure the screen shows now, as it reads there ("1.5 kB", "2.03 s"); null: none yet. */
  shown: (v: View) => string | null;
  /** How long a shown figure still counts as "right now" (it moves). */
  windowMs: number;
  /** How far off an answer may be from a shown figure (in its unit) and still be right. */
  tolerance: (shown: number, text: string) => number;
  /** What the figure is, for the verdict: "node2's Lag column showed", "the run's detection took". */
  what: (v: View) => string;
  /** What the number means, one sentence. */
  explain: (v: View) => string;
}
