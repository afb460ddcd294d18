// The headless drill: inject a fault into the primary under load, N times, measuring client RTO
// and phases each time; restore and wait for 1 primary + 2 secondaries between runs; then read
// the ledger back. Used by `pgha-tui drill`, bench:rto and the integration tests.
import type { ClusterBackend } from '../backends/backend.js';
import { ClusterPoller } from '../cluster/poller.js';
import { isReady, stateLine, waitUntil } from '../cluster/readiness.js';
import type { RouteHost } from '../cluster/multi-host.js';
import type { ClusterSnapshot, Endpoints } from '../cluster/types.js';
import { controlledFailover } from './failover.js';
import { LoadTest } from './loadtest.js';
import { applyProfile, readProfile } from './profile.js';
import { p95 } from '../lib/stats.js';
import { phaseAt, summarize } from './rto-phases.js';
import { RtoTimer } from './rto-timer.js';
import type { Fault, LedgerVerdict, RtoRun } from './types.js';

export interface DrillOptions {
  backend: ClusterBackend;
  endpoints: Endpoints;
  fault: Fault;
  runs: number;
  clients: number;
  profile?: string;
  maxRtoS?: number;
  /** Per-run record, as printed by `drill --json`. */
  onRun?: (line: DrillRunLine) => void;
  progress?: (line: string) => void;
  healthyTimeoutMs?: number;
  rtoTimeoutMs?: number;
  rejoinTimeoutMs?: number;
  /** The formation to watch (default: default). */
  formation?: string;
  /** Load clients connect through these hosts, as a multi-host read-write URI (see LoadTest). */
  route?: RouteHost[];
  /** Abort (a signal): undo the fault in progress, stop the load, check the ledger, return. */
  signal?: AbortSignal;
}

export interface DrillRunLine {
  run: number;
  fault: Fault;
  victim: string;
  newPrimary: string | null;
  status: RtoRun['status'];
  clientRtoS: number | null;
  /** Seconds after the fault at which each phase was seen (null: not seen). */
  phasesS: Record<string, number | null>;
  error: string | null;
}

export interface DrillSummary {
  runs: number;
  fault: Fault;
  profile: string;
  medianRtoS: number | null;
  p95RtoS: number | null;
  maxRtoS: number | null;
  acknowledged: number;
  lost: number;
  unknown: number;
  failedRuns: number;
  verdict: LedgerVerdict;
  /** Cut short by opts.signal. */
  interrupted: boolean;
  ok: boolean;
  /** Every acknowledged id, for an independent check (not printed). */
  acknowledgedIds: number[];
  runsDetail: DrillRunLine[];
}

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

export function runLine(run: RtoRun, n: number): DrillRunLine {
  const phasesS: Record<string, number | null> = {};
  for (const p of run.phases) {
    if (p.name === 'fault') continue;
    const at = phaseAt(run, p.name);
    phasesS[p.name] = at === null ? null : r3((at - run.startedAt) / 1000);
  }
  return { run: n, fault: run.fault, victim: run.victim, newPrimary: run.newPrimary, status: run.status, clientRtoS: r3(run.clientRtoS), phasesS, error: run.error };
}

class Interrupted extends Error {}

/** Ready for the next run: the monitor's rule, and one node alone answers read-write. */
function readyForRun(poller: ClusterPoller, expected: number, timeoutMs: number, signal?: AbortSignal): Promise<ClusterSnapshot> {
  let last: ClusterSnapshot | null = null;
  return waitUntil(
    async () => {
      last = await poller.tick();
      return isReady(last.nodes, { healthGood: true, expected }) && last.primary && last.writableNodes.length === 1 ? last : null;
    },
    {
      timeoutMs,
      intervalMs: 500,
      signal,
      aborted: () => new Interrupted('interrupted'),
      timedOut: () => new Error(`the cluster did not return to 1 primary + 2 secondaries (${stateLine(last?.nodes ?? [])})`),
    },
  );
}

/** Interrupted before the load started: nothing was written, nothing to read back. */
function emptyVerdict(): LedgerVerdict {
  return { checkedAt: Date.now(), readFrom: '', acknowledged: 0, present: 0, lost: 0, lostSample: [], unknown: 0, unknownCommitted: 0, ok: true };
}

export async function drill(opts: DrillOptions): Promise<DrillSummary> {
  const say = opts.progress ?? (() => undefined);
  if (opts.profile) {
    await applyProfile(opts.endpoints.monitorAdmin, opts.profile);
    say(`profile ${opts.profile} applied on the monitor`);
  }
  // An attached role may not read the monitor's settings: the drill runs without the name.
  const profile = (await readProfile(opts.endpoints.monitorAdmin).catch(() => ({ name: 'unknown' }))).name;
  const formation = opts.formation ?? 'default';
  const poller = new ClusterPoller({ endpoints: opts.endpoints, formation, backend: opts.backend.kind, profile: () => profile, tickBudgetMs: 2000 });
  poller.start();
  const load = new LoadTest({ endpoints: opts.endpoints, clients: opts.clients, formation, route: opts.route });
  const timer = new RtoTimer({
    backend: opts.backend,
    load,
    onEvent: (l) => poller.onEvent(l),
    currentPrimary: () => poller.current()?.primary ?? null,
    failover: () => controlledFailover(opts.endpoints.monitor, poller.formation),
  });
  const runs: RtoRun[] = [];
  let verdict: LedgerVerdict | null = null;
  const signal = opts.signal;
  // The timer undoes its own fault when aborted (start / thaw) before measure() returns.
  const onAbort = () => timer.abort();
  signal?.addEventListener('abort', onAbort);
  const expected = opts.backend.nodeNames().length;
  const healthy = () => readyForRun(poller, expected, opts.healthyTimeoutMs ?? 180_000, signal);
  try {
    await healthy();
    load.start();
    for (let i = 1; i <= opts.runs && !signal?.aborted; i++) {
      await healthy();
      say(`run ${i}/${opts.runs}: ${opts.fault} ${poller.current()?.primary ?? '?'}`);
      if (signal?.aborted) break; // measure() starts un-aborted: do not let it begin now
      const run = await timer.measure(opts.fault, { rtoTimeoutMs: opts.rtoTimeoutMs, rejoinTimeoutMs: opts.rejoinTimeoutMs });
      runs.push(run);
      opts.onRun?.(runLine(run, i));
      if (run.status !== 'done') break;
    }
    if (!signal?.aborted) await healthy().catch(() => undefined);
  } catch (err) {
    // Interrupted while waiting (for health, or for a first write before any fault): nothing to undo.
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    verdict = load.isRunning || load.ledger.acknowledged.length > 0
      ? await load.stop().catch((err: unknown) => {
          say(`ledger check failed: ${String(err)}`);
          return null;
        })
      : emptyVerdict();
    poller.stop();
  }
  if (!verdict) throw new Error('could not read the ledger back from a primary');
  const rtos = runs.map((r) => r.clientRtoS).filter((x): x is number => x !== null);
  const s = summarize(runs.filter((r) => r.status === 'done'));
  const interrupted = signal?.aborted ?? false;
  // An interrupted drill fails, but the runs it never began are not failed runs.
  const failedRuns = runs.filter((r) => r.status !== 'done').length + (interrupted ? 0 : opts.runs - runs.length);
  const maxRto = s.maxS;
  const ok = !interrupted && verdict.lost === 0 && failedRuns === 0 && (opts.maxRtoS === undefined || (maxRto !== null && maxRto <= opts.maxRtoS));
  return {
    runs: runs.length,
    fault: opts.fault,
    profile,
    medianRtoS: r3(s.medianS),
    p95RtoS: r3(p95(rtos)),
    maxRtoS: r3(maxRto),
    acknowledged: verdict.acknowledged,
    lost: verdict.lost,
    unknown: verdict.unknown,
    failedRuns,
    verdict,
    interrupted,
    ok,
    acknowledgedIds: load.ledger.acknowledged,
    runsDetail: runs.map((r, i) => runLine(r, i + 1)),
  };
}
