// The local backend: a monitor and three nodes as real pg_autoctl processes on this host, each in
// its own session, all state (data, logs, pg_autoctl's XDG dirs, our pid records) in one lab dir.
// This class only sequences: each step lives in the module named after its concern.
import { readdirSync, rmdirSync } from 'node:fs';
import type { Endpoints, ProcessState } from '../../cluster/types.js';
import { monitorRows } from '../../cluster/readiness.js';
import { UserError } from '../../lib/errors.js';
import { portFree } from '../../lib/ports.js';
import type { ClusterBackend, Progress } from '../backend.js';
import { checkComplete, checkPlace, checkSocketDir, createLab, ensureXdgDirs, removeContents, removeFreshLab, tailOf } from './bootstrap.js';
import { findTools, resolveRunAs } from './env.js';
import * as faults from './faults.js';
import { LocalLab, MONITOR, type LocalOptions } from './lab.js';
import { createLabDir, foreignError, inspectLabDir, protectedDir, type CreatedDirs } from './lab-dir.js';
import { checkPortsFree, created, createMonitor, launch, stopAll } from './launcher.js';
import { findMonitoringTools, MONITORING_PROCS } from './monitoring-config.js';
import { LocalMonitoring, type MonitoringUrls } from './monitoring-stack.js';
import { lastPrimary, waitMonitor, waitPgRunning, waitReady, waitRegistered } from './start-waits.js';

export class LocalBackend implements ClusterBackend {
  readonly kind = 'local' as const;
  private readonly lab: LocalLab;

  constructor(private readonly opts: LocalOptions) {
    this.lab = new LocalLab(opts);
  }

  get where(): string {
    return this.lab.labDir;
  }

  async exists(): Promise<boolean> {
    return this.lab.hasLab();
  }

  async needsUp(): Promise<boolean> {
    return !this.lab.hasLab() || [MONITOR, ...this.nodeNames()].some((n) => !this.lab.pids.running(n));
  }

  nodeNames(): string[] {
    return this.lab.nodeNames();
  }

  async endpoints(): Promise<Endpoints> {
    return {
      monitor: this.lab.monitorConn(),
      monitorAdmin: this.lab.monitorConn(this.lab.superuser()),
      nodes: Object.fromEntries(this.nodeNames().map((n) => [n, this.lab.nodeConn(n)])),
    };
  }

  async up(progress: Progress, signal: AbortSignal): Promise<void> {
    const lab = this.lab;
    const tools = findTools();
    if (this.opts.monitoring) findMonitoringTools(); // a missing package is named before anything starts
    const runAs = resolveRunAs();
    const state = inspectLabDir(lab.labDir);
    if (state.kind === 'foreign') throw foreignError(lab.labDir, state.reason);
    const fresh = state.kind !== 'lab';
    const everything = [MONITOR, ...this.nodeNames()];
    const toStart = everything.filter((n) => !lab.pids.running(n));
    faults.refuseFrozen(lab, everything);
    if (fresh) checkPlace(lab, runAs, state.kind === 'empty');
    else checkComplete(lab);
    checkSocketDir(runAs);
    await checkPortsFree(lab, toStart);
    const withMonitoring = this.opts.monitoring || (!fresh && this.monitoringStack().configured());
    if (withMonitoring) await this.monitoringStack().checkPorts();
    let createdDirs: CreatedDirs | null = null;
    const started: string[] = [];
    const start = async (name: string) => {
      progress(`starting ${name}`);
      await launch(lab, name, tools, runAs);
      started.push(name);
    };
    try {
      if (fresh) {
        createdDirs = state.kind === 'empty' ? { dirs: [], labDirExisted: true } : createLabDir(lab.labDir);
        progress(`creating a new lab in ${lab.labDir} (PostgreSQL ${tools.version}, ports ${this.opts.basePort}-${this.opts.basePort + 3})`);
        await createLab(lab, tools, runAs);
      } else {
        progress(`restarting the lab in ${lab.labDir} from its data`);
        ensureXdgDirs(lab);
      }
      if (toStart.includes(MONITOR)) {
        if (!created(lab, MONITOR)) {
          progress('creating the monitor');
          createMonitor(lab, tools, runAs);
        }
        progress('starting the monitor');
        await launch(lab, MONITOR, tools, runAs);
        started.push(MONITOR);
      }
      await waitMonitor(lab, signal);
      progress(`monitor ready on port ${lab.portOf(MONITOR)}`);
      const nodes = toStart.filter((n) => n !== MONITOR);
      const [first, ...rest] = nodes;
      if (first && !created(lab, first) && first === 'node1') {
        // node1 registers first so it becomes the first primary (priority 100); the others
        // start as soon as it is registered, cloning while it finishes initialising.
        await start(first);
        await waitRegistered(lab, first, signal);
        for (const n of rest) await start(n);
      } else {
        const primary = fresh ? null : await lastPrimary(lab, nodes);
        if (primary) {
          const since = Date.now();
          await start(primary);
          progress(`waiting for ${primary}, the last primary, to run its Postgres before its standbys start`);
          await waitPgRunning(lab, primary, since, signal);
        }
        for (const n of nodes) if (n !== primary) await start(n);
      }
      await waitReady(lab, progress, signal);
      progress('cluster ready: 1 primary + 2 secondaries');
      if (withMonitoring) await this.monitoringStack().start(progress, this.opts.alertWebhook ?? null, started, signal);
    } catch (err) {
      progress(`start failed; stopping what this run started (${started.join(', ') || 'nothing'})`);
      await stopAll(lab, started);
      if (!fresh) throw err;
      // The logs go with the half-made lab: show the end of the one the error names first.
      const log = err instanceof UserError ? /see (\S+\.log)/.exec(err.message)?.[1] : undefined;
      if (log) for (const line of tailOf(log, 20)) progress(`  ${line}`);
      if (createdDirs) removeFreshLab(lab, createdDirs);
      progress(`removed what this start created in ${lab.labDir}`);
      throw err;
    }
  }

  async down(opts: { volumes: boolean }, progress: Progress): Promise<void> {
    const lab = this.lab;
    if (opts.volumes) {
      const why = protectedDir(lab.labDir);
      if (why) throw new UserError(`refusing to remove ${lab.labDir}: ${why}`, 2);
    }
    if (!lab.hasLab()) {
      progress(`no lab in ${lab.labDir}`);
      return;
    }
    const all = [...MONITORING_PROCS, ...this.nodeNames(), MONITOR];
    const running = all.filter((n) => lab.pids.running(n));
    progress(running.length ? `stopping ${running.join(', ')}` : 'nothing is running');
    // All of them: a node whose pg_autoctl died may have left processes behind.
    await stopAll(lab, all);
    if (opts.volumes) {
      removeContents(lab);
      const left = readdirSync(lab.labDir);
      if (left.length === 0) {
        rmdirSync(lab.labDir);
        progress(`removed ${lab.labDir}`);
      } else {
        progress(`removed the lab; kept ${lab.labDir} itself, which holds files pgha-tui did not make (${left.slice(0, 3).join(', ')})`);
      }
    }
  }

  private monitoringStack(): LocalMonitoring {
    const lab = this.lab;
    const rows = () => monitorRows(lab.monitorConn(), lab.formation);
    return new LocalMonitoring({
      basePort: lab.basePort(),
      runAs: resolveRunAs(),
      path: (...p) => lab.path(...p),
      pg: (...p) => lab.pg(...p),
      running: (n) => lab.pids.running(n),
      record: (n, id) => lab.pids.record(n, id),
      portFree,
      monitorAdmin: () => lab.monitorConn(lab.superuser()),
      primaryAdmin: async () => {
        const writer = (await rows()).find((r) => r.reportedState === 'primary' || r.reportedState === 'wait_primary');
        if (!writer) throw new UserError('no primary to create the exporter role on: try again once the cluster has one');
        return { ...lab.nodeConn(writer.name), database: 'postgres' };
      },
      names: async () => ({
        ports: Object.fromEntries([MONITOR, ...this.nodeNames()].map((n) => [n, lab.portOf(n)])),
        ids: Object.fromEntries((await rows()).map((r) => [r.name, r.nodeId])),
      }),
    });
  }

  /** Where Prometheus and Alertmanager answer, when this lab runs them. */
  monitoring(): MonitoringUrls | null {
    if (!this.lab.hasLab() || !this.lab.pids.running('prometheus')) return null;
    return this.monitoringStack().urls();
  }

  /** Tell the lab's Prometheus where the console serves /metrics (null: it stopped). */
  announceConsoleMetrics(port: number | null): void {
    if (this.lab.hasLab()) this.monitoringStack().announceConsole(port);
  }

  kill(node: string): Promise<void> {
    return faults.kill(this.lab, node);
  }

  stop(node: string): Promise<void> {
    return faults.stop(this.lab, node);
  }

  start(node: string): Promise<void> {
    return faults.start(this.lab, node);
  }

  async processState(node: string): Promise<ProcessState> {
    return faults.processState(this.lab, node);
  }

  async freeze(node: string, on: boolean): Promise<void> {
    faults.freeze(this.lab, node, on);
  }
}
