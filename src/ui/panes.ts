// The load and RTO panes as lines of coloured segments: plain data in, text out, no Ink. The
// components only draw these, and the layout counts them, so both agree on every pane's height.
import type { LedgerVerdict, LoadStats, RtoPhase, RtoPhaseName, RtoRun, RtoSummary, SplitBrainWatch } from '../actions/types.js';
import { UNKNOWN, type UiColor } from './format.js';

export interface Segment {
  text: string;
  color?: UiColor;
  bold?: boolean;
  dim?: boolean;
}

export type Line = Segment[];

/** Full detail, or fewer lines when the terminal is short. */
export type PaneDetail = 'full' | 'compact';

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Terminal columns of a text: the panes hold no double-width characters. */
const columns = (text: string) => [...text].length;

/**
 * A line folded at word boundaries into lines of at most `width` columns, continuation lines
 * indented, styles kept: a long line keeps its end (when a promotion happened, how a link ended)
 * instead of being cut. A word longer than a whole line is split.
 */
export function wrapLine(line: Line, width: number, indent = '  '): Line[] {
  if (columns(lineText(line)) <= width || width <= columns(indent) + 8) return [line];
  const out: Line[] = [];
  let cur: Line = [];
  let used = 0;
  let fresh = true; // nothing but the indent on the current line yet
  const put = (seg: Segment, text: string) => {
    const last = cur[cur.length - 1];
    if (last && last.color === seg.color && last.bold === seg.bold && last.dim === seg.dim) last.text += text;
    else cur.push({ ...seg, text });
    used += columns(text);
    fresh = false;
  };
  const breakLine = () => {
    const last = cur[cur.length - 1];
    if (last) last.text = last.text.trimEnd();
    out.push(cur.filter((s) => s.text !== ''));
    cur = [{ text: indent }];
    used = columns(indent);
    fresh = true;
  };
  for (const seg of line) {
    for (const token of seg.text.match(/\S+\s*|\s+/g) ?? []) {
      let t = fresh && out.length > 0 ? token.trimStart() : token;
      while (t !== '') {
        const word = t.trimEnd();
        if (used + columns(word) <= width) {
          put(seg, t);
          t = '';
        } else if (!fresh) {
          breakLine();
          t = t.trimStart();
        } else {
          const room = Math.max(1, width - used);
          put(seg, [...t].slice(0, room).join(''));
          t = [...t].slice(room).join('');
          if (t !== '') breakLine();
        }
      }
    }
  }
  if (!fresh || out.length === 0) breakLine();
  return out;
}

export function wrapLines(lines: readonly Line[], width: number): Line[] {
  return lines.flatMap((l) => wrapLine(l, width));
}

/** One line of at most `max` characters: errors can be multi-line and very long. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Seconds to one decimal: RTO figures are not meaningful below 0.1 s. */
export function formatRto(seconds: number | null): string {
  return seconds === null || !Number.isFinite(seconds) ? UNKNOWN : `${seconds.toFixed(1)} s`;
}

// ---- Load ----

const stat = (label: string, value: number, alarm?: UiColor): Segment[] => [
  { text: `  ${label} `, dim: true },
  value > 0 && alarm ? { text: String(value), color: alarm } : { text: String(value) },
];

export function verdictLine(v: LedgerVerdict): Line {
  if (v.ok) {
    return [
      {
        text: `${v.lost} lost of ${v.acknowledged} acknowledged (unknown: ${v.unknown}, of which ${v.unknownCommitted} committed)`,
        color: 'green',
        bold: true,
      },
      { text: `  read back from ${v.readFrom}`, dim: true },
    ];
  }
  const sample = v.lostSample.length > 0 ? `  e.g. ids ${v.lostSample.slice(0, 5).join(', ')}` : '';
  return [
    { text: `${v.lost} LOST of ${v.acknowledged} acknowledged`, color: 'red', bold: true },
    { text: `${sample}  read back from ${v.readFrom}`, dim: true },
  ];
}

/** The load pane's pictures (sparkline.ts): writes per second, and each standby's lag. */
export interface LoadPictures {
  writes: Line | null;
  lag: Line[];
}

export function loadLines(
  load: LoadStats | null,
  verdict: LedgerVerdict | null,
  detail: PaneDetail,
  pictures: LoadPictures = { writes: null, lag: [] },
): Line[] {
  const running = load?.running ?? false;
  const head: Line = [
    { text: 'Load', bold: true },
    running ? { text: ' running', color: 'green' } : { text: ' stopped', dim: true },
  ];
  const lines: Line[] = [head];
  if (load) {
    head.push(
      { text: `  ${load.clients} clients → ${load.target ?? UNKNOWN}` },
      { text: `  ${Math.round(load.tps)} tx/s`, bold: true },
    );
    if (detail === 'full' && pictures.writes) lines.push(pictures.writes);
    lines.push([
      { text: 'acknowledged ', dim: true },
      { text: String(load.acknowledged) },
      ...stat('errors', load.errors, 'red'),
      ...stat('reconnects', load.reconnects, 'yellow'),
      ...stat('unknown', load.unknown, 'yellow'),
    ]);
    if (detail === 'full' && load.route) lines.push([{ text: 'route ', dim: true }, { text: load.route }]);
    if (detail === 'full' && load.lastError !== null) {
      lines.push([{ text: 'last error ', dim: true }, { text: oneLine(load.lastError), color: 'red' }]);
    }
    if (detail === 'full') lines.push(...pictures.lag);
  }
  if (verdict) lines.push(verdictLine(verdict));
  return lines;
}

// ---- split brain ----

function waiting(w: SplitBrainWatch, nowMs: number): string {
  if (!w.pending) return '';
  const s = w.pendingSince === null ? '' : ` for ${((nowMs - w.pendingSince) / 1000).toFixed(0)} s`;
  return `, 1 waiting for a standby${s}`;
}

/** The partitioned old primary's writes: green while none was acknowledged after the promotion. */
export function splitBrainLine(w: SplitBrainWatch, nowMs: number): Line {
  const window =
    w.promotedAt === null
      ? { text: 'no other node promoted yet', dim: true }
      : { text: `${w.promoted} promoted ${((nowMs - w.promotedAt) / 1000).toFixed(0)} s ago`, dim: true };
  return [
    { text: `split-brain watch on ${w.node}: `, bold: true },
    {
      text: `${w.afterPromotion} writes acknowledged after the promotion`,
      color: w.afterPromotion === 0 ? 'green' : 'red',
      bold: true,
    },
    { text: ` (${w.acknowledged} in all${waiting(w, nowMs)}) · `, dim: true },
    window,
    ...(w.ended ? [{ text: ` · link closed: ${w.ended}`, dim: true }] : []),
  ];
}

// ---- RTO ----

/** Seconds from a GUC in milliseconds ("30000" -> "30 s"); as given when it is not a number. */
function msAsSeconds(ms: string): string {
  const n = Number(ms);
  return Number.isFinite(n) ? `${trimSeconds(n / 1000)} s` : ms;
}

const trimSeconds = (s: number) => (Number.isInteger(s) ? String(s) : s.toFixed(1));

/**
 * Why writes are not back although a node was promoted: pg_auto_failover keeps the new primary
 * read-only (stop_replication) until primary_demote_timeout has passed, so that an old primary
 * that is only cut off has shut itself down first.
 */
export function writesHeldLine(nodes: readonly string[], demoteTimeoutMs: string | null, profile: string): Line {
  const wait = demoteTimeoutMs === null ? '' : ` (${msAsSeconds(demoteTimeoutMs)}, profile ${profile})`;
  return [
    { text: `${nodes.join(', ')} promoted but read-only`, color: 'yellow', bold: true },
    { text: `: writes wait for primary_demote_timeout${wait}, the old primary's time to demote itself` },
  ];
}

/** "+1.25 s" from the fault, or "…" until the phase (or the fault itself) has happened. */
export function phaseOffset(phase: RtoPhase, faultAt: number | null): string {
  if (phase.at === null || faultAt === null) return '…';
  return `+${((phase.at - faultAt) / 1000).toFixed(2)} s`;
}

function runStatus(run: RtoRun, nowMs: number): Segment {
  switch (run.status) {
    case 'running':
      // Writes are back once clientRtoS is set; the run only ends when the victim has rejoined.
      return run.clientRtoS !== null
        ? { text: `  client RTO ${formatRto(run.clientRtoS)} · waiting for ${run.victim} to rejoin`, color: 'green', bold: true }
        : { text: `  running ${((nowMs - run.startedAt) / 1000).toFixed(1)} s`, color: 'yellow', bold: true };
    case 'done':
      return { text: `  client RTO ${formatRto(run.clientRtoS)}`, color: 'green', bold: true };
    case 'aborted':
      return { text: `  aborted${run.error ? `: ${oneLine(run.error)}` : ''}`, color: 'yellow' };
    case 'failed':
      return { text: `  failed: ${oneLine(run.error ?? 'no reason given')}`, color: 'red', bold: true };
  }
}

/** Last few runs newest last: their client RTO, or what became of them. */
function historyLine(history: readonly RtoRun[], summary: RtoSummary): Line {
  const recent = history
    .slice(-5)
    .map((r) => (r.status === 'done' ? formatRto(r.clientRtoS) : r.status))
    .join('  ');
  return [
    { text: 'history ', dim: true },
    { text: recent },
    {
      text: `   min ${formatRto(summary.minS)} / median ${formatRto(summary.medianS)} / max ${formatRto(summary.maxS)}`,
      bold: true,
    },
    { text: ` (${summary.runs} runs)`, dim: true },
  ];
}

export interface RtoView {
  current: RtoRun | null;
  history: readonly RtoRun[];
  summary: RtoSummary;
}

/** Per phase, what bounds it (phase-bounds.ts), and the width to fit it in. */
export interface PhaseNotes {
  bounds: Partial<Record<RtoPhaseName, string>>;
  width: number;
}

export function rtoLines(rto: RtoView, nowMs: number, detail: PaneDetail, notes?: PhaseNotes): Line[] {
  // With no run in progress, the pane describes the last finished one (history is oldest first).
  const run = rto.current ?? rto.history[rto.history.length - 1] ?? null;
  const lines: Line[] = [];
  if (run) {
    const to = run.newPrimary ? ` → ${run.newPrimary}` : '';
    lines.push([{ text: 'RTO', bold: true }, { text: `  #${run.id} ${run.fault} ${run.victim}${to}` }, runStatus(run, nowMs)]);
    const faultAt = run.phases.find((p) => p.name === 'fault')?.at ?? null;
    if (detail === 'full') {
      const width = Math.max(0, ...run.phases.map((p) => p.name.length));
      for (const p of run.phases) {
        const pending = p.at === null;
        const head = `  ${p.name.padEnd(width)}  ${phaseOffset(p, faultAt).padStart(8)}`;
        const line: Line = [
          { text: head, dim: pending },
          { text: p.detail ? `  ${oneLine(p.detail)}` : '', dim: true },
        ];
        const bound = notes?.bounds[p.name];
        if (!bound) {
          lines.push(line);
          continue;
        }
        // Beside the phase when it fits, else on its own line under the phase's detail.
        const beside: Line = [...line, { text: `  ← ${bound}`, color: 'cyan', dim: true }];
        if (columns(lineText(beside)) <= notes.width) lines.push(beside);
        else {
          const pad = ' '.repeat(columns(head) + 2);
          lines.push(line, ...wrapLine([{ text: `${pad}← ${bound}`, color: 'cyan', dim: true }], notes.width, `${pad}  `));
        }
      }
    } else if (run.phases.length > 0) {
      lines.push([{ text: `  ${run.phases.map((p) => `${p.name} ${phaseOffset(p, faultAt)}`).join('  ')}` }]);
    }
  } else {
    lines.push([{ text: 'RTO', bold: true }]);
  }
  if (rto.history.length > 0) lines.push(historyLine(rto.history, rto.summary));
  return lines;
}
