// The last minute as one line of bars: acknowledged writes per second (a failover shows as a run
// of zeros) and each standby's replication lag. Plain numbers in, lines out, no Ink.
import type { ClusterSnapshot } from '../cluster/types.js';
import { formatBytes, UNKNOWN, type UiColor } from './format.js';
import type { Line, Segment } from './panes.js';

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** Nothing at all in that second: stands out from the lowest bar. */
export const ZERO = '·';
/** No measurement for that second (before the start, node not answering). */
export const NO_DATA = ' ';

/** One character per value, scaled to `top` (the largest value when not given). */
export function sparkline(values: readonly (number | null)[], top?: number): string {
  const max = top ?? Math.max(0, ...values.map((v) => v ?? 0));
  return values
    .map((v) => {
      if (v === null) return NO_DATA;
      if (v <= 0 || max <= 0) return ZERO;
      return BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * BARS.length) - 1)]!;
    })
    .join('');
}

/** Bars and zeros as segments, so a run of zeros can carry its own colour. */
function sparkSegments(spark: string, zeroColor: UiColor | undefined, barColor: UiColor): Segment[] {
  return (spark.match(new RegExp(`${ZERO}+|[^${ZERO}]+`, 'g')) ?? []).map((run) =>
    run.startsWith(ZERO) ? { text: run, color: zeroColor, dim: zeroColor === undefined } : { text: run, color: barColor },
  );
}

const LABEL_WIDTH = 10;
const TAIL_WIDTH = 14;

/** Seconds of history that fit the width beside the label and the figure after it. */
export function sparkSeconds(width: number, seconds = 60): number {
  return Math.max(0, Math.min(seconds, width - LABEL_WIDTH - TAIL_WIDTH));
}

const newest = (values: readonly (number | null)[], n: number) => values.slice(Math.max(0, values.length - n));

/** "writes/s ▇▇▇▇····▃▇▇  max 1840": the zeros of a failover in red. */
export function writesSparkLine(perSecond: readonly (number | null)[], width: number): Line | null {
  const shown = newest(perSecond, sparkSeconds(width));
  if (shown.length === 0 || shown.every((v) => v === null)) return null;
  const max = Math.max(0, ...shown.map((v) => v ?? 0));
  return [
    { text: 'writes/s'.padEnd(LABEL_WIDTH), dim: true },
    ...sparkSegments(sparkline(shown, max), 'red', 'green'),
    { text: `  max ${max}`, dim: true },
  ];
}

/** One snapshot's lag per node, in bytes (null: not known). */
export interface LagSample {
  at: number;
  lag: Record<string, number | null>;
}

/** The samples of the last `keepMs`, with this snapshot's added once. */
export function addLagSample(samples: readonly LagSample[], snap: ClusterSnapshot, keepMs = 61_000): LagSample[] {
  if (samples.some((s) => s.at === snap.at)) return [...samples];
  const lag: Record<string, number | null> = {};
  // The primary's own "lag" is 0 by definition: a node that was primary then has no lag to draw.
  for (const n of snap.nodes) lag[n.name] = n.probe.reachable && n.name !== snap.primary ? n.lagBytes : null;
  return [...samples.filter((s) => s.at > snap.at - keepMs), { at: snap.at, lag }];
}

/** The node's lag in each of the last `seconds` whole seconds (the last sample in each), oldest first. */
export function lagSeries(samples: readonly LagSample[], node: string, nowMs: number, seconds = 60): (number | null)[] {
  const current = Math.floor(nowMs / 1000);
  const out: (number | null)[] = Array(seconds).fill(null);
  for (const s of samples) {
    const i = Math.floor(s.at / 1000) - (current - seconds + 1);
    if (i >= 0 && i < seconds) out[i] = s.lag[node] ?? null;
  }
  return out;
}

/** "node2 lag ▁▁▂█▁  max 1.5 kB": replay lag as the primary sees it. */
export function lagSparkLine(node: string, series: readonly (number | null)[], width: number): Line | null {
  const shown = newest(series, sparkSeconds(width));
  if (shown.length === 0) return null;
  const known = shown.filter((v): v is number => v !== null);
  const max = known.length > 0 ? Math.max(...known) : null;
  return [
    { text: `${node} lag`.padEnd(LABEL_WIDTH), dim: true },
    ...sparkSegments(sparkline(shown, max ?? 0), undefined, 'cyan'),
    { text: `  max ${max === null ? UNKNOWN : formatBytes(max)}`, dim: true },
  ];
}
