// When is the cluster ready? One rule and one wait loop for `up` on both backends, the drill
// between runs and the tests; each caller adds only the condition that is its own.
import { sleep } from '../lib/time.js';
import { fetchNodes } from './monitor.js';
import { connect } from './pg.js';
import type { ConnInfo, MonitorNodeRow } from './types.js';

/** What the rule reads of a node: the monitor's rows, a snapshot's nodes and `status --json` all have it. */
export interface ReadinessRow {
  name: string;
  reportedState: string;
  assignedState: string;
  health?: string;
}

export interface ReadyRule {
  /** How many nodes the formation has (3 in every lab). */
  expected?: number;
  /** Also require the monitor's health check to pass on every node (a standby it has not marked good is no failover candidate). */
  healthGood?: boolean;
}

/**
 * "1 primary + N-1 secondaries" as the monitor reports it: exactly N nodes, each in the state the
 * monitor assigned it (a node still on its way to an assigned state does not count).
 */
export function isReady(rows: readonly ReadinessRow[], rule: ReadyRule = {}): boolean {
  const expected = rule.expected ?? 3;
  const settled = (state: string) => rows.filter((r) => r.reportedState === state && r.assignedState === state).length;
  if (rows.length !== expected || settled('primary') !== 1 || settled('secondary') !== expected - 1) return false;
  return !rule.healthGood || rows.every((r) => r.health === 'good');
}

/** `node1=primary node2=secondary …`: the progress line and the timeout message of every wait. */
export function stateLine(rows: readonly ReadinessRow[]): string {
  return rows.map((r) => `${r.name}=${r.reportedState}`).join(' ');
}

/** The monitor's rows on a connection of their own, with short timeouts: for waits, not the poller. */
export async function monitorRows(monitor: ConnInfo, formation: string): Promise<MonitorNodeRow[]> {
  const c = await connect(monitor, { connectTimeoutMs: 1000, queryTimeoutMs: 3000 });
  try {
    return await fetchNodes(c, formation);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** The error once the time is up (asked after the last check failed). */
  timedOut: () => Error;
  /** The error when the signal fires; default: the signal's reason. */
  aborted?: () => Error;
}

/**
 * Ask `check` until it returns a value, every intervalMs. A check that throws ends the wait
 * at once with its error (a node that exited, a frozen one): no point waiting out the timeout.
 */
export async function waitUntil<T>(check: () => Promise<T | null>, opts: WaitOptions): Promise<T> {
  const until = Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted) throw opts.aborted ? opts.aborted() : opts.signal.reason;
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > until) throw opts.timedOut();
    await sleep(opts.intervalMs);
  }
}
