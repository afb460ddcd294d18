// "Read a number off the screen" steps: the user types what a pane shows (a standby's lag, the
// seconds detection took) and the answer is judged against what the screen really showed. A shown
// value that moves counts for a few seconds after it was on screen. Pure: the engine samples.
import type { NumberQuestion, View } from './types.js';

/** A figure as it was on screen, and when. */
export interface Sample {
  at: number;
  text: string;
}

/** The longest answer kept: nobody reads more digits off a pane. */
export const MAX_TYPED = 10;

/** The typed text as a number: digits with at most one '.'; null when it is not one (or empty). */
export function parseAnswer(typed: string): number | null {
  if (!/^(\d+\.?\d*|\.\d+)$/.test(typed)) return null;
  const n = Number(typed);
  return Number.isFinite(n) ? n : null;
}

/** The number a figure starts with ("1.5 kB" → 1.5); null when it has none ("–"). */
export function figureValue(text: string): number | null {
  const m = /^-?\d+(\.\d+)?/.exec(text.trim());
  return m ? Number(m[0]) : null;
}

/** The unit after a figure's number ("1.5 kB" → "kB"), '' when none. */
function unitOf(text: string): string {
  return text.trim().replace(/^-?\d+(\.\d+)?\s*/, '');
}

/** Keeps the samples a question may still be judged against: its window, and always the last one. */
export function keepSamples(samples: readonly Sample[], now: number, windowMs: number, max = 30): Sample[] {
  const last = samples.at(-1);
  const kept = samples.filter((s) => now - s.at <= windowMs).slice(-max);
  return kept.length === 0 && last ? [last] : kept;
}

export interface Verdict {
  right: boolean;
  /** The figure the answer was compared with (the closest one shown). */
  shown: string;
  lines: string[];
}

const trim = (n: number) => String(Number(n.toFixed(2)));

/**
 * The verdict on an answer: right when it is within the tolerance of a figure shown in the window
 * (the closest one is named). Null when nothing was shown to compare with.
 */
export function judge(q: NumberQuestion, answer: number, samples: readonly Sample[], v: View): Verdict | null {
  const figures = samples.map((s) => ({ text: s.text, value: figureValue(s.text) })).filter((f): f is { text: string; value: number } => f.value !== null);
  if (figures.length === 0) return null;
  const closest = figures.reduce((a, b) => (Math.abs(b.value - answer) < Math.abs(a.value - answer) ? b : a));
  const tol = q.tolerance(closest.value, closest.text);
  const right = Math.abs(closest.value - answer) <= tol + 1e-9;
  const unit = unitOf(closest.text);
  const within = `within ${trim(tol)}${unit ? ` ${unit}` : ''}`;
  return {
    right,
    shown: closest.text,
    lines: [`You read ${trim(answer)}${unit ? ` ${unit}` : ''}; ${q.what(v)} ${closest.text}: ${right ? `right (${within})` : `wrong (right is ${within})`}.`, q.explain(v)],
  };
}
