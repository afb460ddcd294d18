// What `up` waits for on a local lab: the monitor answering, node1 registered, then the cluster
// ready by the shared rule, plus what only this backend adds: reports made after this start,
// the dataset loaded, and every process still alive and not frozen.
import { ensureDataset } from '../../cluster/dataset.js';
import { queryOnce } from '../../cluster/pg.js';
import { isReady, monitorRows, stateLine, waitUntil } from '../../cluster/readiness.js';
import { WRITABLE_STATES, type MonitorNodeRow } from '../../cluster/types.js';
import { UserError } from '../../lib/errors.js';
import type { Progress } from '../backend.js';
import { refuseFrozen } from './faults.js';
import { MONITOR, type LocalLab } from './lab.js';

const timeout = (lab: LocalLab) => lab.opts.upTimeoutMs ?? 180_000;

export async function waitMonitor(lab: LocalLab, signal: AbortSignal): Promise<void> {
  let lastError: unknown = null;
  await waitUntil(
    async () => {
      try {
        await queryOnce(lab.monitorConn(), 'SELECT 1 FROM pgautofailover.formation LIMIT 1', [], { connectTimeoutMs: 1000 });
        return true;
      } catch (err) {
        lastError = err;
        if (!lab.pids.running(MONITOR)) throw new UserError(`the monitor exited during start; see ${lab.logFile(MONITOR)}`);
        refuseFrozen(lab, [MONITOR]);
        return null;
      }
    },
    { timeoutMs: timeout(lab), intervalMs: 200, signal, timedOut: () => new UserError(`the monitor did not become ready: ${String(lastError)}; see ${lab.logFile(MONITOR)}`) },
  );
}

export async function waitRegistered(lab: LocalLab, name: string, signal: AbortSignal): Promise<void> {
  await waitUntil(
    async () => {
      const rows = await monitorRows(lab.monitorConn(), lab.formation).catch(() => []);
      if (rows.some((r) => r.name === name)) return true;
      if (!lab.pids.running(name)) throw new UserError(`${name} exited during start; see ${lab.logFile(name)}`);
      return null;
    },
    { timeoutMs: timeout(lab), intervalMs: 150, signal, timedOut: () => new UserError(`${name} did not register with the monitor in time; see ${lab.logFile(name)}`) },
  );
}

/**
 * On a restart, the node the monitor last knew as primary, if it is among those to start. It is
 * started first: the monitor fails a primary over as soon as its keeper reports Postgres not
 * running while a standby reports healthy, startup grace period or not.
 */
export async function lastPrimary(lab: LocalLab, toStart: readonly string[]): Promise<string | null> {
  const rows = await monitorRows(lab.monitorConn(), lab.formation).catch(() => [] as MonitorNodeRow[]);
  const p = rows.find((r) => WRITABLE_STATES.has(r.assignedState) || WRITABLE_STATES.has(r.reportedState));
  return p && toStart.includes(p.name) ? p.name : null;
}

/**
 * Until the keeper reports, after `since`, that its Postgres runs; at most `limitMs`, then the
 * others start anyway (a primary that does not come up is what failover is for).
 */
export async function waitPgRunning(lab: LocalLab, name: string, since: number, signal: AbortSignal, limitMs = 30_000): Promise<void> {
  const late = new Error(`${name} is not running yet`);
  await waitUntil(
    async () => {
      const row = (await monitorRows(lab.monitorConn(), lab.formation).catch(() => [] as MonitorNodeRow[])).find((r) => r.name === name);
      if (row && (row.reportTime ?? 0) >= since && row.reportedPgIsRunning === true) return true;
      if (!lab.pids.running(name)) throw new UserError(`${name} exited during start; see ${lab.logFile(name)}`);
      return null;
    },
    { timeoutMs: limitMs, intervalMs: 200, signal, timedOut: () => late },
  ).catch((err: unknown) => {
    if (err !== late) throw err;
  });
}

/**
 * Wait for 1 primary + 2 secondaries. Meanwhile: load the dataset once a primary accepts writes,
 * and ask for an immediate CHECKPOINT while standbys clone — pg_basebackup otherwise waits for
 * a spread checkpoint (measured: 92 s of a 98 s bootstrap).
 */
export async function waitReady(lab: LocalLab, progress: Progress, signal: AbortSignal): Promise<void> {
  // On a restart the monitor still holds the states of before the stop: only reports made
  // after this start count (keepers report every second).
  const since = Date.now();
  let loaded = false;
  let lastLine = '';
  await waitUntil(
    async () => {
      const rows = await monitorRows(lab.monitorConn(), lab.formation).catch(() => [] as MonitorNodeRow[]);
      const line = stateLine(rows);
      if (line && line !== lastLine) progress(line);
      lastLine = line;
      const writer = rows.find((r) => WRITABLE_STATES.has(r.reportedState) && WRITABLE_STATES.has(r.assignedState));
      if (writer) {
        const cloning = rows.some((r) => r.reportedState === 'wait_standby' || r.reportedState === 'catchingup');
        if (cloning) await queryOnce({ ...lab.nodeConn(writer.name), database: 'postgres' }, 'CHECKPOINT').catch(() => undefined);
        if (!loaded && (writer.reportTime ?? 0) >= since) loaded = await loadDataset(lab, writer.name, progress);
      }
      const fresh = rows.every((r) => (r.reportTime ?? 0) >= since);
      if (loaded && fresh && isReady(rows, { expected: lab.nodeNames().length })) return true;
      for (const n of lab.nodeNames()) {
        if (!lab.pids.running(n)) throw new UserError(`${n} exited during start; see ${lab.logFile(n)}`);
      }
      refuseFrozen(lab, [MONITOR, ...lab.nodeNames()]);
      return null;
    },
    { timeoutMs: timeout(lab), intervalMs: 300, signal, timedOut: () => new UserError(`the cluster did not reach 1 primary + 2 secondaries in time (${lastLine}); logs in ${lab.path('logs')}`) },
  );
}

/** true once the dataset is there; false while the primary does not accept connections yet. */
async function loadDataset(lab: LocalLab, writer: string, progress: Progress): Promise<boolean> {
  const scale = lab.marker()?.scale ?? lab.opts.scale;
  // Not accepting connections yet is normal this early: try again next round.
  const res = await ensureDataset(lab.nodeConn(writer), { scale }).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'ECONNREFUSED' || /starting up|shutting down/.test(String(err))) return null;
    throw err;
  });
  if (res === 'loaded') progress(`healthcare_db loaded on ${writer} (scale ${scale})`);
  return res !== null;
}
