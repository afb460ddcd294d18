// The local backend: a monitor and three nodes as real pg_autoctl processes on this host, each in
// its own session, all state (data, logs, pg_autoctl's XDG dirs, our pid records) in one lab dir.
import { spawnSync } from 'node:child_process';
import { accessSync, chownSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureDataset } from '../cluster/dataset.js';
import { fetchNodes } from '../cluster/monitor.js';
import { connect, queryOnce } from '../cluster/pg.js';
import type { ConnInfo, Endpoints, MonitorNodeRow, ProcessState } from '../cluster/types.js';
import { WRITABLE_STATES } from '../cluster/types.js';
import { UserError } from '../lib/errors.js';
import { type ClusterBackend, type Progress } from './backend.js';
import { createLabDir, foreignError, inspectLabDir, MARKER, newMarker, protectedDir, removeCreated, writableBy, type CreatedDirs, type LabMarker } from './lab-dir.js';
import { initDataDir, newPassword, newPasswords, passfile, readPrivate, REPLICATOR, writePrivate, type LabPasswords } from './local-auth.js';
import { EXPORTER_ROLE, findMonitoringTools, MONITORING_PROCS } from './local-monitoring.js';
import { LocalMonitoring, type MonitoringUrls } from './local-monitoring-stack.js';
import { findTools, resolveRunAs, superuserName, type LocalTools, type RunAs } from './local-env.js';
import { asUser, clearStalePidFile, isAlive, isLabProcess, isStopped, postmasterOf, processTree, sessionMembers, signal, signalTree, spawnDetached, waitGone, type ProcId } from './proc.js';
import { sleep } from '../lib/time.js';
import { portFree } from '../lib/ports.js';

export interface LocalOptions {
  labDir: string;
  basePort: number;
  /** Whether --base-port was given explicitly (then it must match an existing lab). */
  basePortExplicit: boolean;
  scale: number;
  formation?: string;
  upTimeoutMs?: number;
  /** Start the monitoring stack too (it then keeps starting with every up). */
  monitoring?: boolean;
  /** Where Alertmanager sends alerts (default: base port + 13 on loopback). */
  alertWebhook?: string | null;
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
  private readonly labDir: string;
  private passwordsCache: LabPasswords | null = null;

  constructor(private readonly opts: LocalOptions) {
    this.formation = opts.formation ?? 'default';
    this.labDir = resolve(opts.labDir);
  }

  get where(): string {
    return this.labDir;
  }

  // Layout: the lab dir and everything at its top level belong to whoever runs pgha-tui (root,
  // usually); only pg/ belongs to the user that runs PostgreSQL. So what decides what we signal
  // (pids/), what we open (logs/) and the console's passwords (secrets/) cannot be touched by it.
  private path(...p: string[]): string {
    return join(this.labDir, ...p);
  }

  /** pg_autoctl's and PostgreSQL's own tree: data dirs, backup dirs, XDG dirs, their passfile. */
  private pg(...p: string[]): string {
    return join(this.labDir, 'pg', ...p);
  }

  /** The lab's marker, or null when there is no lab; a directory that is not ours is an error. */
  private lab(): LabMarker | null {
    const protectedWhy = protectedDir(this.labDir);
    if (protectedWhy) throw new UserError(`lab directory ${this.labDir}: ${protectedWhy}; pgha-tui never makes, uses or removes a lab there`, 2);
    const st = inspectLabDir(this.labDir);
    if (st.kind === 'lab') return st.marker;
    if (st.kind === 'foreign') throw foreignError(this.labDir, st.reason);
    return null;
  }

  private hasLab(): boolean {
    return this.lab() !== null;
  }

  async exists(): Promise<boolean> {
    return this.hasLab();
  }

  async needsUp(): Promise<boolean> {
    return !this.hasLab() || [MONITOR, ...this.nodeNames()].some((n) => !this.running(n));
  }

  /** The base port of the existing lab wins; an explicit different one is an input error. */
  basePort(): number {
    const lab = this.lab();
    if (lab && this.opts.basePortExplicit && lab.basePort !== this.opts.basePort) {
      throw new UserError(
        `the lab in ${this.labDir} uses base port ${lab.basePort}, not ${this.opts.basePort}: drop --base-port or pick another --lab-dir`,
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

  /** The uid every process of the lab runs as. */
  private labUid(): number {
    return resolveRunAs()?.uid ?? process.geteuid?.() ?? -1;
  }

  private passwords(): LabPasswords {
    if (!this.passwordsCache) {
      try {
        this.passwordsCache = JSON.parse(readPrivate(this.path('secrets', 'passwords.json'))) as LabPasswords;
      } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`the lab in ${this.labDir} has no readable secrets/passwords.json: it cannot be used`);
      }
    }
    return this.passwordsCache;
  }

  monitorConn(user = 'autoctl_node'): ConnInfo {
    const p = this.passwords();
    return { host: '127.0.0.1', port: this.portOf(MONITOR), user, database: 'pg_auto_failover', password: user === 'autoctl_node' ? p.autoctlNode : p.superuser };
  }

  nodeConn(name: string): ConnInfo {
    return { host: '127.0.0.1', port: this.portOf(name), user: this.superuser(), database: 'healthcare_db', password: this.passwords().superuser };
  }

  async endpoints(): Promise<Endpoints> {
    return {
      monitor: this.monitorConn(),
      monitorAdmin: this.monitorConn(this.superuser()),
      nodes: Object.fromEntries(this.nodeNames().map((n) => [n, this.nodeConn(n)])),
    };
  }

  /** A libpq passfile for the user who started the lab (pgha-tui psql, pgbench). */
  clientPassfile(): string {
    return this.path('secrets', 'pgpass');
  }

  // ---- processes -------------------------------------------------------------------------

  private pidFile(name: string): string {
    return this.path('pids', `${name}.json`);
  }

  /** pids/ must be our own directory that nobody else can write, or its records mean nothing. */
  private pidsTrusted(): boolean {
    try {
      const st = lstatSync(this.path('pids'));
      return st.isDirectory() && st.uid === process.geteuid?.() && (st.mode & 0o022) === 0;
    } catch {
      return false;
    }
  }

  private recorded(name: string): ProcId | null {
    if (!this.pidsTrusted()) return null;
    try {
      const id = JSON.parse(readFileSync(this.pidFile(name), 'utf8')) as ProcId;
      return Number.isInteger(id.pid) && id.pid > 1 && Number.isInteger(id.startTime) ? id : null;
    } catch {
      return null;
    }
  }

  /** Provably the lab's: the lab's user, working inside the lab. */
  private ours = (pid: number): boolean => isLabProcess(pid, this.labUid(), this.labDir);

  /** Our running process for a node (or the monitor), or null. */
  running(name: string): ProcId | null {
    const id = this.recorded(name);
    return id && isAlive(id) && this.ours(id.pid) ? id : null;
  }

  private env(tools: LocalTools): NodeJS.ProcessEnv {
    return {
      // A minimal PATH: root's PATH may hold dirs that `postgres` cannot read.
      PATH: `${tools.pgBinDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: this.pg(),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      // Keepers, walreceivers, pg_basebackup and pg_rewind find their passwords here.
      PGPASSFILE: this.pg('pgpass'),
      XDG_CONFIG_HOME: this.pg('xdg', 'config'),
      XDG_DATA_HOME: this.pg('xdg', 'data'),
      XDG_RUNTIME_DIR: this.pg('xdg', 'run'),
    };
  }

  /** pg_autoctl keeps its config per PGDATA under XDG_CONFIG_HOME; present once `create` has run. */
  private created(name: string): boolean {
    return existsSync(join(this.pg('xdg', 'config', 'pg_autoctl'), this.pg(name), 'pg_autoctl.cfg'));
  }

  private commandFor(name: string, tools: LocalTools): string[] {
    const pgdata = this.pg(name);
    if (this.created(name)) return ['run', '--pgdata', pgdata];
    // --skip-pg-hba: pg_hba.conf is ours (local-auth.ts); pg_autoctl would add trust lines.
    const common = ['--pgdata', pgdata, '--pgport', String(this.portOf(name)), '--pgctl', join(tools.pgBinDir, 'pg_ctl'), '--hostname', '127.0.0.1', '--skip-pg-hba', '--no-ssl'];
    if (name === MONITOR) return ['create', 'monitor', ...common];
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

  /**
   * `create monitor` has no --listen and starts PostgreSQL with -h '*' (its pg_hba.conf, ours,
   * admits loopback only, but nothing should listen beyond it): create it without --run, set its
   * listen address in its own config, then run it like every other node.
   */
  private createMonitor(tools: LocalTools, runAs: RunAs | null): void {
    const log = this.path('logs', `${MONITOR}.log`);
    const env = this.env(tools);
    runLogged(runAs, [tools.pgAutoctl, ...this.commandFor(MONITOR, tools)], env, this.pg(), log, `creating the monitor failed; see ${log}`);
    runLogged(runAs, [tools.pgAutoctl, 'config', 'set', '--pgdata', this.pg(MONITOR), 'postgresql.listen_addresses', '127.0.0.1'], env, this.pg(), log, `configuring the monitor failed; see ${log}`);
  }

  /** Remove a file in pg/ with the privileges of the user who owns pg/, never root's. */
  private unlinkAsLab = (path: string): void => {
    runAsLab(resolveRunAs(), ['rm', '-f', '--', path]);
  };

  private async launch(name: string, tools: LocalTools, runAs: RunAs | null): Promise<ProcId> {
    clearStalePidFile(join(this.pg('xdg', 'run', 'pg_autoctl'), this.pg(name), 'pg_autoctl.pid'), this.unlinkAsLab);
    clearStalePidFile(join(this.pg(name), 'postmaster.pid'), this.unlinkAsLab);
    const id = spawnDetached({
      command: tools.pgAutoctl,
      args: this.commandFor(name, tools),
      env: this.env(tools),
      cwd: this.pg(),
      logFile: this.path('logs', `${name}.log`),
      runAs,
    });
    writeFileSync(this.pidFile(name), JSON.stringify(id), { mode: 0o600 });
    // setpriv starts as root and execs pg_autoctl as the lab's user a moment later; until then the
    // process would fail the ownership test and look like one that is not ours (or exited).
    const until = Date.now() + 5_000;
    while (isAlive(id) && !this.ours(id.pid) && Date.now() < until) await sleep(5);
    return id;
  }

  // ---- up / down -------------------------------------------------------------------------

  /**
   * The checks a fresh lab needs before anything is created: as root, the user that runs
   * PostgreSQL must be able to enter the lab dir but not write into it or rename it.
   */
  private checkPlace(runAs: RunAs | null, existing: boolean): void {
    if (!runAs) return;
    if (existing && writableBy(this.labDir, runAs)) {
      throw new UserError(`--lab-dir ${this.labDir}: user ${runAs.name} can write into it; as root the lab needs a directory only root can write`, 2);
    }
    // The nearest existing ancestor: a place where runAs could swap our directory for its own.
    let anc = dirname(this.labDir);
    while (!existsSync(anc)) anc = dirname(anc);
    const st = statSync(anc);
    if (writableBy(anc, runAs) && (st.mode & 0o1000) === 0) {
      throw new UserError(`--lab-dir ${this.labDir}: user ${runAs.name} can write into ${anc}; pick a directory under one only root can write (or /tmp)`, 2);
    }
    this.checkTraversable(runAs, existing ? this.labDir : anc);
  }

  /** `postgres` must be able to reach the lab dir through every existing parent. */
  private checkTraversable(runAs: RunAs, from: string): void {
    let dir = from;
    for (;;) {
      const st = statSync(dir);
      const ok = (st.mode & 0o001) !== 0 || (st.uid === runAs.uid && (st.mode & 0o100) !== 0) || (st.gid === runAs.gid && (st.mode & 0o010) !== 0);
      if (!ok) throw new UserError(`user ${runAs.name} cannot enter ${dir}, on the way to the lab dir: pick another --lab-dir (default for root: /var/lib/pgha-tui/lab)`, 2);
      if (dir === '/') break;
      dir = dirname(dir);
    }
  }

  private checkSocketDir(runAs: RunAs | null): void {
    if (runAs) {
      // Debian creates the socket dir at boot; containers and fresh CI machines may not have it.
      // Only ever created here, never chowned when it exists: it is the system's.
      if (!existsSync(SOCKET_DIR)) {
        mkdirSync(SOCKET_DIR, { recursive: true, mode: 0o2775 });
        chownSync(SOCKET_DIR, runAs.uid, runAs.gid);
      }
      return;
    }
    try {
      accessSync(SOCKET_DIR, constants.W_OK);
    } catch {
      throw new UserError(`PostgreSQL's socket directory ${SOCKET_DIR} is not writable by you: run as root, or add yourself to the postgres group (sudo adduser $USER postgres) and log in again`);
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

  /**
   * Everything a fresh lab needs before the first process starts: marker, our own directories,
   * generated passwords, and the monitor's and node1's data directories (initdb + pg_hba + roles).
   */
  private async createLab(tools: LocalTools, runAs: RunAs | null): Promise<void> {
    const owner = runAs ? { uid: runAs.uid, gid: runAs.gid } : null;
    for (const d of ['pids', 'logs', 'secrets']) mkdirSync(this.path(d), { mode: 0o700 });
    mkdirSync(this.pg(), { mode: 0o700 });
    if (owner) chownSync(this.pg(), owner.uid, owner.gid); // made by us a moment ago: ours to give
    this.ensureXdgDirs();
    const su = this.superuser();
    const pw = newPasswords();
    writePrivate(this.path('secrets', 'passwords.json'), `${JSON.stringify(pw)}\n`);
    writePrivate(this.path('secrets', 'pgpass'), passfile(pw, su));
    writePrivate(this.pg('pgpass'), passfile(pw, su), owner);
    this.passwordsCache = pw;
    const env = this.env(tools);
    const exporterPw = newPassword();
    writePrivate(this.path('secrets', 'exporter-password'), `${exporterPw}
`);
    const exporter = { name: EXPORTER_ROLE, password: exporterPw, inRoles: ['pg_monitor'] };
    // Both at once: initdb is most of a fresh lab's set-up time.
    await Promise.all([
      initDataDir({ pgdata: this.pg(MONITOR), roles: [{ name: 'autoctl_node', password: pw.autoctlNode }, exporter] }, tools, runAs, su, pw, env, this.pg()),
      initDataDir({ pgdata: this.pg('node1'), roles: [{ name: REPLICATOR, password: pw.replicator, replication: true }, exporter] }, tools, runAs, su, pw, env, this.pg()),
    ]);
    // The marker goes last: a directory holds a lab only once everything above exists.
    const marker = newMarker(this.opts.basePort, this.formation, this.opts.scale);
    writeFileSync(this.path(MARKER), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o644, flag: 'wx' });
  }

  /**
   * pg_autoctl's XDG dirs, made by the lab's user inside pg/. Without XDG_RUNTIME_DIR pg_autoctl
   * puts its pid file in /tmp/pg_autoctl, outside the lab, where a stale one is never cleared.
   */
  private ensureXdgDirs(): void {
    runAsLab(resolveRunAs(), ['mkdir', '-p', '-m', '0700', this.pg('xdg', 'config'), this.pg('xdg', 'data'), this.pg('xdg', 'run')]);
  }

  /** Undo a fresh lab: pg/ is removed as the user that owns it, the rest by us, then our dirs. */
  private removeFreshLab(created: CreatedDirs): void {
    this.removeContents();
    removeCreated(created);
  }

  /** Remove what a lab holds; only the names we create, nothing else found in the directory. */
  private removeContents(): void {
    // pg/'s contents go with the privileges of the user who could have put links in there; pg/
    // itself sits in our directory, so we remove it (rmdir follows nothing).
    if (existsSync(this.pg())) {
      runAsLab(resolveRunAs(), ['find', this.pg(), '-xdev', '-mindepth', '1', '-delete']);
      rmdirSync(this.pg());
    }
    for (const name of [MARKER, 'pids', 'logs', 'secrets', 'monitoring']) rmSync(this.path(name), { recursive: true, force: true });
  }

  async up(progress: Progress, signal: AbortSignal): Promise<void> {
    const tools = findTools();
    if (this.opts.monitoring) findMonitoringTools(); // a missing package is named before anything starts
    const runAs = resolveRunAs();
    const state = inspectLabDir(this.labDir);
    if (state.kind === 'foreign') throw foreignError(this.labDir, state.reason);
    const fresh = state.kind !== 'lab';
    const everything = [MONITOR, ...this.nodeNames()];
    const toStart = everything.filter((n) => !this.running(n));
    this.refuseFrozen(everything);
    if (fresh) this.checkPlace(runAs, state.kind === 'empty');
    else this.checkComplete();
    this.checkSocketDir(runAs);
    await this.checkPortsFree(toStart);
    const withMonitoring = this.opts.monitoring || (!fresh && this.monitoringStack().configured());
    if (withMonitoring) await this.monitoringStack().checkPorts();
    let created: CreatedDirs | null = null;
    const started: string[] = [];
    try {
      if (fresh) {
        created = state.kind === 'empty' ? { dirs: [], labDirExisted: true } : createLabDir(this.labDir);
        progress(`creating a new lab in ${this.labDir} (PostgreSQL ${tools.version}, ports ${this.opts.basePort}-${this.opts.basePort + 3})`);
        await this.createLab(tools, runAs);
      } else {
        progress(`restarting the lab in ${this.labDir} from its data`);
        this.ensureXdgDirs();
      }
      if (toStart.includes(MONITOR)) {
        if (!this.created(MONITOR)) {
          progress('creating the monitor');
          this.createMonitor(tools, runAs);
        }
        progress('starting the monitor');
        await this.launch(MONITOR, tools, runAs);
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
        await this.launch(first, tools, runAs);
        started.push(first);
        await this.waitRegistered(first, signal);
        for (const n of rest) {
          progress(`starting ${n}`);
          await this.launch(n, tools, runAs);
          started.push(n);
        }
      } else {
        for (const n of nodes) {
          progress(`starting ${n}`);
          await this.launch(n, tools, runAs);
          started.push(n);
        }
      }
      await this.waitHealthy(progress, signal);
      progress('cluster ready: 1 primary + 2 secondaries');
      if (withMonitoring) await this.monitoringStack().start(progress, this.opts.alertWebhook ?? null, started, signal);
    } catch (err) {
      progress(`start failed; stopping what this run started (${started.join(', ') || 'nothing'})`);
      await this.stopAll(started);
      if (!fresh) throw err;
      // The logs go with the half-made lab: show the end of the one the error names first.
      const log = err instanceof UserError ? /see (\S+\.log)/.exec(err.message)?.[1] : undefined;
      if (log) for (const line of tailOf(log, 20)) progress(`  ${line}`);
      if (created) this.removeFreshLab(created);
      progress(`removed what this start created in ${this.labDir}`);
      throw err;
    }
  }

  /**
   * pg_autoctl would initdb a missing data dir with trust for everyone: the monitor's and node1's
   * must be the ones we made (standbys are cloned from a primary, pg_hba.conf included).
   */
  private checkComplete(): void {
    for (const n of [MONITOR, 'node1']) {
      if (!this.created(n) && !existsSync(this.pg(n, 'PG_VERSION'))) {
        throw new UserError(`the lab in ${this.labDir} is incomplete (${n}'s data directory is missing): remove it with pgha-tui down --volumes and start again`);
      }
    }
  }

  /** A frozen process of the lab cannot start or answer: say so now instead of timing out. */
  private refuseFrozen(names: string[]): void {
    const frozen = names.filter((n) => {
      const id = this.running(n);
      return id !== null && isStopped(id);
    });
    if (frozen.length > 0) {
      throw new UserError(`${frozen.join(', ')} ${frozen.length > 1 ? 'are' : 'is'} frozen (SIGSTOP): thaw with ${frozen.map((n) => `pgha-tui thaw ${n}`).join('; ')}`);
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
        this.refuseFrozen([MONITOR]);
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
      if (Date.now() > until) throw new UserError(`${name} did not register with the monitor in time; see ${this.path('logs', `${name}.log`)}`);
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
          const scale = this.lab()?.scale ?? this.opts.scale;
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
      this.refuseFrozen([MONITOR, ...this.nodeNames()]);
      if (Date.now() > until) throw new UserError(`the cluster did not reach 1 primary + 2 secondaries in time (${line}); logs in ${this.path('logs')}`);
      await sleep(300);
    }
  }

  /** Stop the given processes cleanly (SIGTERM: pg_autoctl stops Postgres fast), then hard. */
  private async stopAll(names: string[]): Promise<void> {
    const leaders = names.map((n) => this.running(n)).filter((x): x is ProcId => x !== null);
    const orphans = names.filter((n) => !this.running(n)).flatMap((n) => this.orphansOf(n));
    const everything = [...leaders.flatMap((id) => processTree(id.pid).filter(this.ours)), ...orphans];
    for (const id of leaders) {
      signalTree(id, 'SIGCONT', this.ours); // a frozen process cannot act on SIGTERM
      signal(id.pid, 'SIGTERM');
    }
    for (const pid of orphans) {
      signal(pid, 'SIGCONT');
      signal(pid, 'SIGTERM');
    }
    if (!(await waitGone(everything, 30_000))) {
      for (const id of leaders) signalTree(id, 'SIGKILL', this.ours);
      for (const pid of orphans.filter(this.ours)) signal(pid, 'SIGKILL');
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
    const pm = postmasterOf(this.pg(name), this.labUid());
    if (pm) pids.push(...processTree(pm));
    return [...new Set(pids)].filter(this.ours);
  }

  async down(opts: { volumes: boolean }, progress: Progress): Promise<void> {
    if (opts.volumes) {
      const why = protectedDir(this.labDir);
      if (why) throw new UserError(`refusing to remove ${this.labDir}: ${why}`, 2);
    }
    if (!this.hasLab()) {
      progress(`no lab in ${this.labDir}`);
      return;
    }
    const all = [...MONITORING_PROCS, ...this.nodeNames(), MONITOR];
    const running = all.filter((n) => this.running(n));
    progress(running.length ? `stopping ${running.join(', ')}` : 'nothing is running');
    // All of them: a node whose pg_autoctl died may have left processes behind.
    await this.stopAll(all);
    if (opts.volumes) {
      this.removeContents();
      const left = readdirSync(this.labDir);
      if (left.length === 0) {
        rmdirSync(this.labDir);
        progress(`removed ${this.labDir}`);
      } else {
        progress(`removed the lab; kept ${this.labDir} itself, which holds files pgha-tui did not make (${left.slice(0, 3).join(', ')})`);
      }
    }
  }

  // ---- monitoring ---------------------------------------------------------------------------

  private monitoringStack(): LocalMonitoring {
    return new LocalMonitoring({
      basePort: this.basePort(),
      runAs: resolveRunAs(),
      path: (...p) => this.path(...p),
      pg: (...p) => this.pg(...p),
      running: (n) => this.running(n),
      record: (n, id) => writeFileSync(this.pidFile(n), JSON.stringify(id), { mode: 0o600 }),
      portFree,
      monitorAdmin: () => this.monitorConn(this.superuser()),
      primaryAdmin: async () => {
        const writer = (await this.monitorRows()).find((r) => r.reportedState === 'primary' || r.reportedState === 'wait_primary');
        if (!writer) throw new UserError('no primary to create the exporter role on: try again once the cluster has one');
        return { ...this.nodeConn(writer.name), database: 'postgres' };
      },
      names: async () => ({
        ports: Object.fromEntries([MONITOR, ...this.nodeNames()].map((n) => [n, this.portOf(n)])),
        ids: Object.fromEntries((await this.monitorRows()).map((r) => [r.name, r.nodeId])),
      }),
    });
  }

  /** Where Prometheus and Alertmanager answer, when this lab runs them. */
  monitoring(): MonitoringUrls | null {
    if (!this.hasLab() || !this.running('prometheus')) return null;
    return this.monitoringStack().urls();
  }

  /** Tell the lab's Prometheus where the console serves /metrics (null: it stopped). */
  announceConsoleMetrics(port: number | null): void {
    if (this.hasLab()) this.monitoringStack().announceConsole(port);
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
    const tree = processTree(id.pid).filter(this.ours);
    signalTree(id, 'SIGKILL', this.ours);
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
    await this.launch(node, findTools(), resolveRunAs());
  }

  async processState(node: string): Promise<ProcessState> {
    this.portOf(node);
    const id = this.running(node);
    if (!id) return 'stopped';
    return isStopped(id) ? 'frozen' : 'running';
  }

  async freeze(node: string, on: boolean): Promise<void> {
    const id = this.mustRun(node);
    signalTree(id, on ? 'SIGSTOP' : 'SIGCONT', this.ours);
  }
}

/** Run a short command as the lab's user (as root) or as ourselves; failures are errors. */
function runAsLab(runAs: RunAs | null, argv: string[]): void {
  const [cmd, args] = asUser(runAs, argv);
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) throw new Error(`${argv.join(' ')}: ${(res.stderr ?? '').trim() || res.signal}`);
}

/** Run a pg_autoctl step to completion as the lab's user, appending its output to a log of ours. */
function runLogged(runAs: RunAs | null, argv: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string, failure: string): void {
  const fd = openSync(logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const [cmd, args] = asUser(runAs, argv);
    const res = spawnSync(cmd, args, { stdio: ['ignore', fd, fd], env, cwd, timeout: 120_000 });
    if (res.status !== 0) throw new UserError(failure);
  } finally {
    closeSync(fd);
  }
}

/** The last lines of a log file of ours (logs/ is not writable by the lab's user). */
function tailOf(file: string, n: number): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}
