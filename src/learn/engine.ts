// The walkthrough's engine: which lesson and step is current, what the step sees (snapshot,
// console state, monitor events since it began), and when it advances. Pure and clock-injected,
// so every lesson's conditions run in unit tests against recorded sequences.
import type { ConsoleState } from '../actions/types.js';
import type { ClusterEvent, ClusterSnapshot } from '../cluster/types.js';
import { judge, keepSamples, MAX_TYPED, parseAnswer, type Sample } from './number-question.js';
import type { Lesson, Memory, Step, View } from './types.js';

export interface Position {
  /** 0-based lesson index. */
  lesson: number;
  /** 0-based step index within the lesson. */
  step: number;
}

export interface Observed {
  snap: ClusterSnapshot | null;
  console: ConsoleState | null;
  /** The node under the table's cursor. */
  selected: string | null;
}

export interface StepView {
  lessonNo: number;
  lessons: number;
  title: string;
  stepNo: number;
  steps: number;
  lines: string[];
  key: string | null;
  highlight: string[];
  predict: boolean;
  /** The step asks for a number: digits, '.', Backspace and Enter go to the answer. */
  number: boolean;
  /** Every lesson is done. */
  finished: boolean;
}

const eventKey = (e: ClusterEvent) => `${e.at}|${e.nodeName}|${e.reportedState}|${e.goalState}`;

/**
 * Events a step keeps: far more than one failover or maintenance sends (a few dozen), so a
 * condition never misses its own; the oldest go first when a step waits through many.
 */
export const STEP_EVENTS_MAX = 1000;

export class Walkthrough {
  private pos: Position;
  private since: number;
  private mem: Memory = {};
  private events: ClusterEvent[] = [];
  private seen = new Set<string>();
  private last: Observed = { snap: null, console: null, selected: null };
  private entered = false;
  /** A number step: what the user typed so far, and the figures the screen showed. */
  private typed = '';
  private samples: Sample[] = [];
  /** The verdict on the last number answered, shown above the step after it. */
  private echo: string[] = [];

  constructor(
    readonly lessons: readonly Lesson[],
    private readonly backend: string,
    start: Position = { lesson: 0, step: 0 },
    private readonly now: () => number = Date.now,
  ) {
    this.pos = clampPosition(lessons, start);
    this.since = now();
  }

  position(): Position {
    return { ...this.pos };
  }

  private lesson(): Lesson | undefined {
    return this.lessons[this.pos.lesson];
  }

  private step(): Step | undefined {
    return this.lesson()?.steps[this.pos.step];
  }

  private view(): View {
    return { snap: this.last.snap, console: this.last.console, selected: this.last.selected, events: this.events, since: this.since, mem: this.mem, backend: this.backend };
  }

  /** Feed one observation; returns true when the step advanced. One step per observation at most. */
  observe(o: Observed): boolean {
    // Before the first snapshot there is nothing to remember or judge (the pane may open first).
    if (!o.snap) return false;
    this.last = o;
    // Only the keys of the snapshot's own window are remembered: an event that left the window
    // (the feed keeps the last few hundred) never comes back, so the set stays that small.
    const seen = new Set<string>();
    for (const e of o.snap?.events ?? []) {
      if (e.kind !== 'state' || e.at < this.since) continue;
      const k = eventKey(e);
      const known = this.seen.has(k) || seen.has(k);
      seen.add(k);
      if (known) continue;
      // Health as the notification said, else as the snapshot showed when the event arrived:
      // later snapshots must not rewrite what the node's health was at that moment.
      this.events.push({ ...e, health: e.health ?? o.snap?.nodes.find((n) => n.name === e.nodeName)?.health ?? null });
    }
    this.seen = seen;
    if (this.events.length > STEP_EVENTS_MAX) this.events.splice(0, this.events.length - STEP_EVENTS_MAX);
    const step = this.step();
    if (!step) return false;
    this.enter(step);
    this.sample(step);
    if (!step.done(this.view())) return false;
    this.advance();
    return true;
  }

  /** Tab: the next step, whatever the cluster does. */
  skip(): void {
    if (this.step()) this.advance();
  }

  /** A prediction: the node the user named. Never blocks: the step's own condition decides. */
  answer(node: string): boolean {
    const step = this.step();
    if (!step?.predict) return false;
    this.mem.prediction = node;
    return true;
  }

  /** The current step asks for a number. */
  asksNumber(): boolean {
    return this.step()?.ask !== undefined;
  }

  /** One typed character of a number answer (a digit or '.'); false when no number is asked. */
  type(ch: string): boolean {
    if (!this.step()?.ask || !/^[0-9.]$/.test(ch) || this.typed.length >= MAX_TYPED) return false;
    this.typed += ch;
    return true;
  }

  /** Backspace in a number answer. */
  erase(): boolean {
    if (!this.step()?.ask || this.typed === '') return false;
    this.typed = this.typed.slice(0, -1);
    return true;
  }

  /**
   * Enter: judge the typed number against what the screen showed, remember answer and verdict,
   * and go on. False (nothing happens) when it is not a number or nothing was shown yet.
   */
  submit(): boolean {
    const step = this.step();
    const answer = parseAnswer(this.typed);
    if (!step?.ask || answer === null) return false;
    const verdict = judge(step.ask, answer, keepSamples(this.samples, this.now(), step.ask.windowMs), this.view());
    if (!verdict) return false;
    this.mem.answer = answer;
    this.mem.verdict = verdict.lines[0] ?? null;
    this.advance();
    this.echo = verdict.lines;
    return true;
  }

  /** The figure a number step asks for, as the screen shows it now. */
  private sample(step: Step): void {
    if (!step.ask) return;
    const text = step.ask.shown(this.view());
    const now = this.now();
    if (text !== null) this.samples.push({ at: now, text });
    this.samples = keepSamples(this.samples, now, step.ask.windowMs);
  }

  private enter(step: Step): void {
    if (this.entered) return;
    this.entered = true;
    // When the lesson (or a resumed step of it) began: what happened before is not its doing.
    this.mem.lessonStart ??= this.since;
    if (step.enter) Object.assign(this.mem, step.enter(this.view()));
  }

  private advance(): void {
    const lesson = this.lesson()!;
    if (this.pos.step + 1 < lesson.steps.length) this.pos = { lesson: this.pos.lesson, step: this.pos.step + 1 };
    else {
      this.pos = { lesson: this.pos.lesson + 1, step: 0 };
      this.mem = {};
    }
    const next = this.step();
    if (!next?.keepEvents) {
      this.since = this.now();
      this.events = [];
      this.seen.clear();
    }
    this.entered = false;
    this.typed = '';
    this.samples = [];
    this.echo = [];
    if (!next) return;
    this.enter(next);
    // A question can be answered before the next snapshot: what the screen shows counts already.
    this.sample(next);
  }

  /** What the pane shows now. */
  current(): StepView {
    const lesson = this.lesson();
    const step = this.step();
    if (!lesson || !step) {
      return { lessonNo: this.lessons.length, lessons: this.lessons.length, title: 'done', stepNo: 0, steps: 0, lines: [...this.echo, 'Every lesson is done. pgha-tui learn 1 starts again.'], key: null, highlight: [], predict: false, number: false, finished: true };
    }
    const v = this.view();
    return {
      lessonNo: this.pos.lesson + 1,
      lessons: this.lessons.length,
      title: lesson.title,
      stepNo: this.pos.step + 1,
      steps: lesson.steps.length,
      lines: [...this.echo, ...step.text(v).slice(0, 6), ...(step.ask ? [`your answer: ${this.typed}_`] : [])],
      key: step.key ?? null,
      highlight: step.highlight?.(v) ?? [],
      predict: step.predict ?? false,
      number: step.ask !== undefined,
      finished: false,
    };
  }
}

export function clampPosition(lessons: readonly Lesson[], p: Position): Position {
  if (!Number.isInteger(p.lesson) || p.lesson < 0 || p.lesson >= lessons.length) return { lesson: 0, step: 0 };
  const steps = lessons[p.lesson]!.steps.length;
  return { lesson: p.lesson, step: Number.isInteger(p.step) && p.step >= 0 && p.step < steps ? p.step : 0 };
}
