// The local backend: a monitor and three nodes as real pg_autoctl processes on this host, each in
// its own session, all state (data, logs, pg_autoctl's XDG dirs, our pid records) in one lab dir.
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ensureDataset } from '../cluster/dataset.js';
import { fetchNodes } from '../cluster/monitor.js';
import { connect, queryOnce } from '../cluster/pg.js';
import type { ConnInfo, Endpoints, MonitorNodeRow } from '../cluster/types.js';
import { WRITABLE_STATES } from '../cluster/types.js';
import type { ProcessState } from '../actions/types.js';
import { type ClusterBackend, type Progress, UserError } from './backend.js';
import { findTools, resolveRunAs, superuserName, type LocalTools, type RunAs } from './local-env.js';
import { clearStalePidFile, isAlive, isStopped, postmasterOf, processTree, sessionMembers, signal, signalTree, sleep, spawnDetached, waitGone, type ProcId } from './proc.js';

export interface LocalOptions {
  labDir: string;
  basePort: number;
  /** Whether --base-port was given explicitly (then it must match an existing lab). */
  basePortExplicit: boolean;
  scale: number;
  formation?: string;
  upTimeoutMs?: number;
}

export interface LabFile {
  version: 1;
  basePort: number;
  formation: string;
  scale: number;
  createdAt: string;
}

export const NODE_SPECS = [
  { name: 'node1', priority: 100 },
  { name: 'node2', priority: 90 },
  { name: 'node3', priority: 80 },
] as const;

const MONITOR = 'monitor';
const SOCKET_DIR = '/var/run/postgresql';

export class LocalBackend implements ClusterBackend {
  readonly kind = 'local' as const;
  private readonly formation: string;

  constructor(private readonly opts: LocalOptions) {
    this.formation = opts.formation ?? 'default';
  }

  get where(): string {
    return this.opts.labDir;
  }

  private path(...p: string[]): string {
    return join(this.opts.labDir, ...p);
  }

  private hasLab(): boolean {
    return existsSync(this.path('lab.json'));
  }

  async exists(): Promise<boolean> {
    return this.hasLab();
  }

  async needsUp(): Promise<boolean> {
    return !this.hasLab() || [MONITOR, ...this.nodeNames()].some((n) => !this.running(n));
  }

  readLab(): LabFile | null {
    try {
      return JSON.parse(readFileSync(this.path('lab.json'), 'utf8')) as LabFile;
    } catch {
      return null;
    }
  }

  /** The base port of the existing lab wins; an explicit different one is an input error. */
  basePort(): number {
    const lab = this.readLab();
    if (lab && this.opts.basePortExplicit && lab.basePort !== this.opts.basePort) {
      throw new UserError(
        `the lab in ${this.opts.labDir} uses base port ${lab.basePort}, not ${this.opts.basePort}: drop --base-port or pick another --lab-dir`,
        2,
      );
    }
    return lab?.basePort ?? this.opts.basePort;
  }

  nodeNames(): string[] {
    return NODE_SPECS.map((n) => n.name);
  }

  private portOf(name: string): number {
    const base = this.basePort();
    if (name === MONITOR) return base;
    const i = NODE_SPECS.findIndex((n) => n.name === name);
    if (i < 0) throw new UserError(`no node named "${name}" (nodes: ${this.nodeNames().join(', ')})`, 2);
    return base + 1 + i;
  }

  private superuser(): string {
    return superuserName(resolveRunAs());
  }

  monitorConn(user = 'autoctl_node'): ConnInfo {
    return { host: '127.0.0.1', port: this.portOf(MONITOR), user, database: 'pg_auto_failover' };
  }

  nodeConn(name: string): ConnInfo {
    return { host: '127.0.0.1', port: this.portOf(name), user: this.superuser(), database: 'healthcare_db' };
  }

  async endpoints(): Promise<Endpoints> {
    return {
      monitor: this.monitorConn(),
      monitorAdmin: this.monitorConn(this.superuser()),
      nodes: Object.fromEntries(this.nodeNames().map((n) => [n, this.nodeConn(n)])),
    };
  }

  // ---- processes -------------------------------------------------------------------------

  private pidFile(name: string): string {
    return this.path('pids', `${name}.json`);
  }

  private recorded(name: string): ProcId | null {
    try {
      return JSON.parse(readFileSync(this.pidFile(name), 'utf8')) as ProcId;
    } catch {
      return null;
    }
  }

  /** Our running process for a node (or the monitor), or null. */
  running(name: string): ProcId | null {
    const id = this.recorded(name);
    return id && isAlive(id) ? id : null;
  }

  private env(tools: LocalTools): NodeJS.ProcessEnv {
    return {
      // A minimal PATH: root's PATH may hold dirs that `postgres` cannot read.
      PATH: `${tools.pgBinDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: this.opts.labDir,
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      XDG_CONFIG_HOME: this.path('xdg', 'config'),
      XDG_DATA_HOME: this.path('xdg', 'data'),
      XDG_RUNTIME_DIR: this.path('xdg', 'run'),
    };
  }

  /** pg_autoctl keeps its config per PGDATA under XDG_CONFIG_HOME; present once `create` has run. */
  private created(name: string): boolean {
    return existsSync(join(this.path('xdg', 'config', 'pg_autoctl'), this.path(name), 'pg_autoctl.cfg'));
  }

  private commandFor(name: string, tools: LocalTools): string[] {
    const pgdata = this.path(name);
    if (this.created(name)) return ['run', '--pgdata', pgdata];
    const common = ['--pgdata', pgdata, '--pgport', String(this.portOf(name)), '--pgctl', join(tools.pgBinDir, 'pg_ctl'), '--hostname', '127.0.0.1', '--auth', 'trust', '--no-ssl'];
    if (name === MONITOR) return ['create', 'monitor', ...common, '--run'];
    const spec = NODE_SPECS.find((n) => n.name === name)!;
    const monitorUri = `postgres://autoctl_node@127.0.0.1:${this.portOf(MONITOR)}/pg_auto_failover?sslmode=disable`;
    return [
      'create', 'postgres', ...common,
      '--listen', '127.0.0.1',
      '--name', name,
      '--formation', this.formation,
      '--monitor', monitorUri,
      '--dbname', 'healthcare_db',
      '--candidate-priority', String(spec.priority),
      '--replication-quorum', 'true',
      '--run',
    ];
  }

  private launch(name: string, tools: LocalTools, runAs: RunAs | null): ProcId {
    clearStalePidFile(join(this.path('xdg', 'run', 'pg_autoctl'), this.path(name), 'pg_autoctl.pid'));
    clearStalePidFile(join(this.path(name), 'postmaster.pid'));
    const id = spawnDetached({
      command: tools.pgAutoctl,
      args: this.commandFor(name, tools),
      env: this.env(tools),
      cwd: this.opts.labDir,
      logFile: this.path('logs', `${name}.log`),
      runAs,
    });
    writeFileSync(this.pidFile(name), JSON.stringify(id));
    return id;
  }

  // ---- up / down -------------------------------------------------------------------------

  private prepareDirs(runAs: RunAs | null, fresh: boolean): void {
    const parent = join(this.opts.labDir, '..');
    mkdirSync(parent, { recursive: true });
    if (fresh) mkdirSync(this.opts.labDir, { recursive: true, mode: 0o750 });
    for (const d of ['logs', 'pids', 'xdg/config', 'xdg/data', 'xdg/run']) mkdirSync(this.path(d), { recursive: true, mode: 0o700 });
    if (runAs) {
      for (const d of ['', 'logs', 'xdg', 'xdg/config', 'xdg/data', 'xdg/run']) chownSync(this.path(d), runAs.uid, runAs.gid);
      // Debian creates the socket dir at boot; containers and fresh CI machines may not have it.
      mkdirSync(SOCKET_DIR, { recursive: true, mode: 0o2775 });
      chownSync(SOCKET_DIR, runAs.uid, runAs.gid);
      this.checkTraversable(runAs);
    } else {
      try {
        accessSync(SOCKET_DIR, constants.W_OK);
      } catch {
        throw new UserError(`PostgreSQL's socket directory ${SOCKET_DIR} is not writable by you: run as root, or add yourself to the postgres group (sudo adduser $USER postgres) and log in again`);
      }
    }
  }

  /** `postgres` must be able to reach the lab dir through every parent. */
  private checkTraversable(runAs: RunAs): void {
    let dir = this.opts.labDir;
    while (dir !== '/' && dir !== '.') {
      dir = join(dir, '..');
      const st = statSync(dir);
      const ok = (st.mode & 0o001) !== 0 || (st.uid === runAs.uid && (st.mode & 0o100) !== 0) || (st.gid === runAs.gid && (st.mode & 0o010) !== 0);
      if (!ok) throw new UserError(`user ${runAs.name} cannot enter ${dir}, a parent of the lab dir: pick another --lab-dir (default for root: /var/lib/pgha-tui/lab)`, 2);
      if (dir === '/') break;
    }
  }

  private async checkPortsFree(names: string[]): Promise<void> {
    for (const name of names) {
      const port = this.portOf(name);
      if (!(await portFree(port))) {
        throw new UserError(`port ${port} (for ${name}) is already in use: stop what uses it or pick another range with --base-port`, 2);
      }
    }
  }

  async up(progress: Progress, signal: AbortSignal): Promise<void> {
    const tools = findTools();
    const runAs = resolveRunAs();
    const fresh = !this.hasLab();
    const everything = [MONITOR, ...this.nodeNames()];
    const toStart = everything.filter((n) => !this.running(n));
    await this.checkPortsFree(toStart);
    this.prepareDirs(runAs, fresh);
    if (fresh) {
      const lab: LabFile = { version: 1, basePort: this.opts.basePort, formation: this.formation, scale: this.opts.scale, createdAt: new Date().toISOString() };
      writeFileSync(this.path('lab.json'), `${JSON.stringify(lab, null, 2)}\n`);
      progress(`creating a new lab in ${this.opts.labDir} (PostgreSQL ${tools.version}, ports ${this.basePort()}-${this.basePort() + 3})`);
    } else {
      progress(`restarting the lab in ${this.opts.labDir} from its data`);
    }
    const started: string[] = [];
    try {
      if (toStart.includes(MONITOR)) {
        progress('starting the monitor');
        this.launch(MONITOR, tools, runAs);
        started.push(MONITOR);
      }
      await this.waitMonitor(signal);
      progress(`monitor ready on port ${this.portOf(MONITOR)}`);
      const nodes = toStart.filter((n) => n !== MONITOR);
      const [first, ...rest] = nodes;
      if (first && !this.created(first) && first === 'node1') {
        // node1 registers first so it becomes the first primary (priority 100); the others
        // start as soon as it is registered, cloning while it finishes initialising.
        progress('starting node1');
        this.launch(first, tools, runAs);
        started.push(first);
        await this.waitRegistered(first, signal);
        for (const n of rest) {
          progress(`starting ${n}`);
          this.launch(n, tools, runAs);
          started.push(n);
        }
      } else {
        for (const n of nodes) {
          progress(`starting ${n}`);
          this.launch(n, tools, runAs);
          started.push(n);
        }
      }
      await this.waitHealthy(progress, signal);
      progress('cluster ready: 1 primary + 2 secondaries');
    } catch (err) {
      progress(`start failed; stopping what this run started (${started.join(', ') || 'nothing'})`);
      await this.stopAll(started);
      if (!fresh) throw err;
      // Remove the half-made lab, but keep its logs when the error points to them.
      const kept = err instanceof UserError && err.message.includes(this.opts.labDir) ? this.keepLogs() : null;
      rmSync(this.opts.labDir, { recursive: true, force: true });
      if (kept && err instanceof UserError) throw new UserError(err.message.replaceAll(this.opts.labDir, kept), err.exitCode);
      throw err;
    }
  }

  /** Move logs/ and each node's PostgreSQL log/ to <lab-dir>-failed-up; returns that dir or null. */
  private keepLogs(): string | null {
    const dest = `${this.opts.labDir}-failed-up`;
    try {
      rmSync(dest, { recursive: true, force: true });
      for (const rel of ['logs', ...[MONITOR, ...this.nodeNames()].map((n) => join(n, 'log'))]) {
        const from = this.path(rel);
        if (!existsSync(from)) continue;
        mkdirSync(dirname(join(dest, rel)), { recursive: true });
        renameSync(from, join(dest, rel));
      }
      return existsSync(dest) ? dest : null;
    } catch {
      return null;
    }
  }

  private deadline(): number {
    return Date.now() + (this.opts.upTimeoutMs ?? 180_000);
  }

  private async waitMonitor(signal: AbortSignal): Promise<void> {
    const until = this.deadline();
    for (;;) {
      signal.throwIfAborted();
      try {
        await queryOnce(this.monitorConn(), 'SELECT 1 FROM pgautofailover.formation LIMIT 1', [], { connectTimeoutMs: 1000 });
        return;
      } catch (err) {
        if (!this.running(MONITOR)) throw new UserError(`the monitor exited during start; see ${this.path('logs', 'monitor.log')}`);
        if (Date.now() > until) throw new UserError(`the monitor did not become ready: ${String(err)}; see ${this.path('logs', 'monitor.log')}`);
      }
      await sleep(200);
    }
  }

  private async monitorRows(): Promise<MonitorNodeRow[]> {
    const c = await connect(this.monitorConn(), { connectTimeoutMs: 1000, queryTimeoutMs: 3000 });
    try {
      return await fetchNodes(c, this.formation);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  private async waitRegistered(name: string, signal: AbortSignal): Promise<void> {
    const until = this.deadline();
    for (;;) {
      signal.throwIfAborted();
      const rows = await this.monitorRows().catch(() => []);
      if (rows.some((r) => r.name === name)) return;
      if (!this.running(name)) throw new UserError(`${name} exited during start; see ${this.path('logs', `${name}.log`)}`);
      if (Date.now() > until) throw new UserError(`${name} did not register with the monitor in time`);
      await sleep(150);
    }
  }

  /**
   * Wait for 1 primary + 2 secondaries. Meanwhile: load the dataset once a primary accepts writes,
   * and ask for an immediate CHECKPOINT while standbys clone — pg_basebackup otherwise waits for
   * a spread checkpoint (measured: 92 s of a 98 s bootstrap).
   */
  private async waitHealthy(progress: Progress, signal: AbortSignal): Promise<void> {
    const until = this.deadline();
    // On a restart the monitor still holds the states of before the stop: only reports made
    // after this start count (keepers report every second).
    const since = Date.now();
    let loaded = false;
    let lastLine = '';
    for (;;) {
      signal.throwIfAborted();
      const rows = await this.monitorRows().catch(() => [] as MonitorNodeRow[]);
      const line = rows.map((r) => `${r.name}=${r.reportedState}`).join(' ');
      if (line && line !== lastLine) progress(line);
      lastLine = line;
      const writer = rows.find((r) => WRITABLE_STATES.has(r.reportedState) && WRITABLE_STATES.has(r.assignedState));
      if (writer) {
        const cloning = rows.some((r) => r.reportedState === 'wait_standby' || r.reportedState === 'catchingup');
        if (cloning) await queryOnce({ ...this.nodeConn(writer.name), database: 'postgres' }, 'CHECKPOINT').catch(() => undefined);
        if (!loaded && (writer.reportTime ?? 0) >= since) {
          const scale = this.readLab()?.scale ?? this.opts.scale;
          // Not accepting connections yet is normal this early: try again next round.
          const res = await ensureDataset(this.nodeConn(writer.name), { scale }).catch((err: unknown) => {
            if ((err as { code?: string }).code === 'ECONNREFUSED' || /starting up|shutting down/.test(String(err))) return null;
            throw err;
          });
          if (res === 'loaded') progress(`healthcare_db loaded on ${writer.name} (scale ${scale})`);
          loaded = res !== null;
        }
      }
      const primaries = rows.filter((r) => r.reportedState === 'primary' && r.assignedState === 'primary');
      const secondaries = rows.filter((r) => r.reportedState === 'secondary' && r.assignedState === 'secondary');
      const fresh = rows.every((r) => (r.reportTime ?? 0) >= since);
      if (loaded && fresh && rows.length === 3 && primaries.length === 1 && secondaries.length === 2) return;
      for (const n of this.nodeNames()) {
        if (!this.running(n)) throw new UserError(`${n} exited during start; see ${this.path('logs', `${n}.log`)}`);
      }
      if (Date.now() > until) throw new UserError(`the cluster did not reach 1 primary + 2 secondaries in time (${line}); logs in ${this.path('logs')}`);
      await sleep(300);
    }
  }

  /** Stop the given processes cleanly (SIGTERM: pg_autoctl stops Postgres fast), then hard. */
  private async stopAll(names: string[]): Promise<void> {
    const leaders = names.map((n) => this.running(n)).filter((x): x is ProcId => x !== null);
    const orphans = names.filter((n) => !this.running(n)).flatMap((n) => this.orphansOf(n));
    const everything = [...leaders.flatMap((id) => processTree(id.pid)), ...orphans];
    for (const id of leaders) {
      signalTree(id, 'SIGCONT'); // a frozen process cannot act on SIGTERM
      signal(id.pid, 'SIGTERM');
    }
    for (const pid of orphans) {
      signal(pid, 'SIGCONT');
      signal(pid, 'SIGTERM');
    }
    if (!(await waitGone(everything, 30_000))) {
      for (const id of leaders) signalTree(id, 'SIGKILL');
      for (const pid of orphans) signal(pid, 'SIGKILL');
      await waitGone(everything, 5_000);
    }
  }

  /**
   * What is left of a node whose pg_autoctl died (killed, or crashed during start): its children
   * keep its session, and its postmaster runs in a session of its own.
   */
  private orphansOf(name: string): number[] {
    const id = this.recorded(name);
    const pids = id ? sessionMembers(id) : [];
    const pm = postmasterOf(this.path(name));
    if (pm) pids.push(...processTree(pm));
    return [...new Set(pids)];
  }


  async down(opts: { volumes: boolean }, progress: Progress): Promise<void> {
    if (!this.hasLab()) {
      progress(`no lab in ${this.opts.labDir}`);
      return;
    }
    const running = [...this.nodeNames(), MONITOR].filter((n) => this.running(n));
    progress(running.length ? `stopping ${running.join(', ')}` : 'nothing is running');
    // All of them: a node whose pg_autoctl died may have left processes behind.
    await this.stopAll([...this.nodeNames(), MONITOR]);
    if (opts.volumes) {
      rmSync(this.opts.labDir, { recursive: true, force: true });
      progress(`removed ${this.opts.labDir}`);
    }
  }

  // ---- faults ------------------------------------------------------------------------------

  private mustRun(node: string): ProcId {
    this.portOf(node); // validates the name
    const id = this.running(node);
    if (!id) throw new UserError(`${node} is not running`);
    return id;
  }

  async kill(node: string): Promise<void> {
    const id = this.mustRun(node);
    const tree = processTree(id.pid);
    signalTree(id, 'SIGKILL');
    await waitGone(tree, 5_000);
  }

  async stop(node: string): Promise<void> {
    this.mustRun(node);
    await this.stopAll([node]);
  }

  async start(node: string): Promise<void> {
    this.portOf(node);
    if (this.running(node)) return;
    await this.checkPortsFree([node]);
    this.launch(node, findTools(), resolveRunAs());
  }

  async processState(node: string): Promise<ProcessState> {
    this.portOf(node);
    const id = this.running(node);
    if (!id) return 'stopped';
    return isStopped(id) ? 'frozen' : 'running';
  }

  async freeze(node: string, on: boolean): Promise<void> {
    const id = this.mustRun(node);
    signalTree(id, on ? 'SIGSTOP' : 'SIGCONT');
  }
}

/** Free when we can bind it on loopback ourselves. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
