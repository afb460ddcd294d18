// Replays recorded (or hand-written) snapshot lines through the walkthrough engine, with the
// engine's clock at each line's time, the way the console feeds it once a second.
import { readFileSync } from 'node:fs';
import type { ConsoleState, LedgerVerdict, LoadStats, RtoRun, SplitBrainWatch } from '../../../src/actions/types.js';
import type { ClusterEvent, ClusterSnapshot, NodeSnapshot } from '../../../src/cluster/types.js';
import { Walkthrough, type Position, type StepView } from '../../../src/learn/engine.js';
import { LESSONS } from '../../../src/learn/lessons/index.js';
import { consoleState } from '../../ui/fake-controller.js';
import { probe, row } from '../fixtures.js';

export interface Line {
  at: number;
  primary: string | null;
  monitorReachable?: boolean;
  nodes: Array<Partial<NodeSnapshot> & { name: string; reportedState: string; assignedState: string }>;
  events: Array<{ at: number; nodeName: string | null; reportedState: string | null; goalState: string | null }>;
  /** scripts/learn/record-console.mjs: the parts of the console state that changed at this line. */
  console?: Partial<RecordedConsole>;
}

type RecordedRun = Pick<RtoRun, 'id' | 'fault' | 'victim' | 'newPrimary' | 'startedAt' | 'clientRtoS' | 'status'> & { phases: Array<{ name: RtoRun['phases'][number]['name']; at: number | null }> };

export interface RecordedConsole {
  profile: string;
  gucs: Array<{ name: string; value: string }>;
  load: Pick<LoadStats, 'running' | 'acknowledged'> | null;
  verdict: Pick<LedgerVerdict, 'checkedAt' | 'acknowledged' | 'lost' | 'unknown' | 'unknownCommitted'> | null;
  rto: { current: RecordedRun | null; history: RecordedRun[] };
  processes: ConsoleState['processes'];
  /** With --partition (compose): nodes cut off, and the split-brain watch as the lessons read it. */
  partitioned?: string[];
  splitBrain?: Pick<SplitBrainWatch, 'node' | 'running' | 'promotedAt' | 'promoted' | 'afterPromotion'> | null;
}

export function readLines(path: string): Line[] {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

/** Snapshots as the poller would give them: events accumulate in a window, like snapshot.events. */
export function snapshots(lines: readonly Line[]): ClusterSnapshot[] {
  const window: ClusterEvent[] = [];
  return lines.map((l) => {
    for (const e of l.events) window.push({ ...e, kind: 'state', nodeId: null, text: '' });
    return {
      at: l.at,
      formation: 'default',
      backend: 'local',
      profile: 'fast',
      monitor: { reachable: l.monitorReachable ?? true, unreachableSince: null, error: null },
      // Recorded lag wins; older recordings have none.
      nodes: l.nodes.map((n, i) => ({ ...row(n.name, i + 1), lagBytes: 0, lagSeconds: 0, ...n, probe: probe() }) as NodeSnapshot),
      primary: l.primary,
      writableNodes: l.primary ? [l.primary] : [],
      events: window.slice(-200),
    };
  });
}

const runOf = (r: RecordedRun): RtoRun => ({ ...r, phases: r.phases.map((p) => ({ ...p, detail: null })), error: null });

/**
 * The console state at each line, as the console had it: each line's changed parts over the
 * previous state, filled out to the whole ConsoleState shape the lessons read.
 */
export function consoles(lines: readonly Line[]): Partial<ConsoleState>[] {
  let cur: Partial<RecordedConsole> = {};
  return lines.map((l) => {
    cur = { ...cur, ...l.console };
    const load = cur.load ? { clients: 4, startedAt: null, tps: 0, errors: 0, reconnects: 0, unknown: 0, lastError: null, target: null, lastAckAt: null, perSecond: [], ...cur.load } : null;
    const verdict = cur.verdict ? { readFrom: '', present: cur.verdict.acknowledged - cur.verdict.lost, lostSample: [], ok: cur.verdict.lost === 0, ...cur.verdict } : null;
    const history = (cur.rto?.history ?? []).map(runOf);
    return {
      profile: cur.profile ?? '…',
      gucs: (cur.gucs ?? []).map((g) => ({ ...g, tradeoff: '' })),
      load,
      verdict,
      rto: { current: cur.rto?.current ? runOf(cur.rto.current) : null, history, summary: { runs: history.length, minS: null, medianS: null, maxS: null } },
      processes: cur.processes ?? {},
      partitioned: cur.partitioned ?? [],
      splitBrain: cur.splitBrain ? { acknowledged: 0, pending: 0, pendingSince: null, ended: null, ...cur.splitBrain } : null,
    };
  });
}

export interface ReplayOptions {
  start: Position;
  backend?: string;
  console?: (snap: ClusterSnapshot, i: number) => Partial<ConsoleState>;
  selected?: (snap: ClusterSnapshot, i: number) => string | null;
  /** Called after every observation with the step now current (answer predictions here). */
  each?: (w: Walkthrough, view: StepView, snap: ClusterSnapshot) => void;
}

/** Every step view shown, in order (one per change of position). */
export function replay(snaps: readonly ClusterSnapshot[], o: ReplayOptions): { w: Walkthrough; shown: StepView[] } {
  let now = snaps[0]?.at ?? 0;
  const w = new Walkthrough(LESSONS, o.backend ?? 'local', o.start, () => now);
  const shown: StepView[] = [];
  snaps.forEach((snap, i) => {
    now = snap.at;
    w.observe({ snap, console: consoleState(o.console?.(snap, i) ?? {}), selected: o.selected?.(snap, i) ?? null });
    const v = w.current();
    const last = shown.at(-1);
    if (!last || last.lessonNo !== v.lessonNo || last.stepNo !== v.stepNo) shown.push(v);
    else shown[shown.length - 1] = v;
    o.each?.(w, v, snap);
  });
  return { w, shown };
}
