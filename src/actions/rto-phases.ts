// Pure bookkeeping of one RTO run: which monitor notification or client ack marks which phase.
// Phases are taken from the monitor's `state` NOTIFYs (stamped on arrival, same host clock as the
// fault and the acks), so the timeline is what really happened, not a polling artefact.
import { median } from '../lib/stats.js';
import type { ClusterEvent } from '../cluster/types.js';
import type { Fault, RtoPhase, RtoPhaseName, RtoRun, RtoSummary } from './types.js';

export const PHASES: RtoPhaseName[] = ['fault', 'detected', 'election', 'promotion', 'first-write', 'rejoined'];

const DEMOTION_GOALS = new Set(['draining', 'demote_timeout', 'demoted', 'stop_replication']);
const ELECTION_STATES = new Set(['report_lsn', 'prepare_promotion', 'fast_forward']);
const PROMOTED_STATES = new Set(['wait_primary', 'primary']);

export function newRun(id: number, fault: Fault, victim: string, at: number): RtoRun {
  return {
    id,
    fault,
    victim,
    newPrimary: null,
    startedAt: at,
    clientRtoS: null,
    phases: PHASES.map((name) => ({ name, at: name === 'fault' ? at : null, detail: name === 'fault' ? `${fault} ${victim}` : null })),
    status: 'running',
    error: null,
  };
}

export function phaseAt(run: RtoRun, name: RtoPhaseName): number | null {
  return run.phases.find((p) => p.name === name)?.at ?? null;
}

function mark(run: RtoRun, name: RtoPhaseName, at: number, detail: string): RtoRun {
  if (phaseAt(run, name) !== null) return run;
  return { ...run, phases: run.phases.map((p): RtoPhase => (p.name === name ? { name, at, detail } : p)) };
}

/** Fold one monitor event into the run. Events from before the fault are ignored. */
export function applyEvent(run: RtoRun, ev: ClusterEvent): RtoRun {
  if (ev.at < run.startedAt) return run;
  let r = run;
  const victimQuoted = `"${run.victim}"`;
  if (ev.kind === 'state' && ev.nodeName === run.victim && (DEMOTION_GOALS.has(ev.goalState ?? '') || ev.health === 'bad')) {
    r = mark(r, 'detected', ev.at, ev.health === 'bad' ? `${run.victim} marked unhealthy` : `${run.victim} assigned ${ev.goalState}`);
  }
  if (ev.kind === 'log' && ev.text.includes(victimQuoted) && /unhealthy/.test(ev.text)) {
    r = mark(r, 'detected', ev.at, `${run.victim} marked unhealthy`);
  }
  if (ev.kind === 'state' && (ELECTION_STATES.has(ev.goalState ?? '') || ELECTION_STATES.has(ev.reportedState ?? ''))) {
    r = mark(r, 'election', ev.at, `${ev.nodeName ?? '?'} ${ev.reportedState ?? '?'} -> ${ev.goalState ?? '?'}`);
  }
  if (ev.kind === 'state' && ev.nodeName && ev.nodeName !== run.victim && PROMOTED_STATES.has(ev.reportedState ?? '')) {
    r = mark(r, 'promotion', ev.at, `${ev.nodeName} reported ${ev.reportedState}`);
    if (!r.newPrimary) r = { ...r, newPrimary: ev.nodeName };
  }
  // Rejoin counts only once the new primary has taken a write (the victim was secondary before
  // a controlled failover started too, for an instant, in some transitions).
  if (ev.kind === 'state' && ev.nodeName === run.victim && ev.reportedState === 'secondary' && phaseAt(r, 'first-write') !== null) {
    r = mark(r, 'rejoined', ev.at, `${run.victim} back as secondary`);
  }
  return r;
}

/** Fold one acknowledged write into the run: the first one on another node ends the outage. */
export function applyAck(run: RtoRun, ack: { at: number; node: string }): RtoRun {
  if (ack.at < run.startedAt || ack.node === run.victim || run.clientRtoS !== null) return run;
  const r = mark(run, 'first-write', ack.at, `first acknowledged write on ${ack.node}`);
  return { ...r, newPrimary: r.newPrimary ?? ack.node, clientRtoS: (ack.at - run.startedAt) / 1000 };
}

export function summarize(history: RtoRun[]): RtoSummary {
  const xs = history.map((r) => r.clientRtoS).filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (xs.length === 0) return { runs: 0, minS: null, medianS: null, maxS: null };
  return { runs: xs.length, minS: xs[0]!, medianS: median(xs), maxS: xs[xs.length - 1]! };
}
