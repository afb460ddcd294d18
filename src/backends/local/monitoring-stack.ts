// Starting and stopping the local lab's monitoring processes, and the exporter's database role.
// The lab (local-backend.ts) lends what it already knows: its paths, its pid records, how it signals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { queryOnce } from '../../cluster/pg.js';
import type { ConnInfo } from '../../cluster/types.js';
import { UserError } from '../../lib/errors.js';
import { type Progress } from '../backend.js';
import { newPassword, readPrivate, scramVerifier, writePrivate } from './auth.js';
import type { RunAs } from './env.js';
import {
  consoleTargets, CONSOLE_TARGETS, EXPORTER_ROLE, exporterPassfile, findMonitoringTools, MONITORING_PROCS, monitoringPorts, procSpecs, readyUrl, renderAll, writeConfig,
  type LabNames, type MonitoringPorts, type MonitoringProc,
} from './monitoring-config.js';
import { asUser, signal, spawnDetached, type ProcId } from '../proc.js';
import { sleep } from '../../lib/time.js';

export interface MonitoringHost {
  basePort: number;
  runAs: RunAs | null;
  /** A path at the lab's top level (ours). */
  path(...p: string[]): string;
  /** A path in pg/ (the lab user's). */
  pg(...p: string[]): string;
  running(name: string): ProcId | null;
  record(name: string, id: ProcId): void;
  portFree(port: number): Promise<boolean>;
  /** Superuser connections to the monitor and to the current primary. */
  monitorAdmin(): ConnInfo;
  primaryAdmin(): Promise<ConnInfo>;
  names(): Promise<LabNames>;
}

export interface MonitoringUrls {
  prometheus: string;
  alertmanager: string;
  exporter: string;
}

export class LocalMonitoring {
  readonly ports: MonitoringPorts;

  constructor(private readonly host: MonitoringHost) {
    this.ports = monitoringPorts(host.basePort);
  }

  private dir(...p: string[]): string {
    return this.host.path('monitoring', ...p);
  }

  /** Set up once by `up --monitoring`; from then on `up` keeps it running. */
  configured(): boolean {
    return existsSync(this.dir('prometheus.yml'));
  }

  urls(): MonitoringUrls {
    return {
      prometheus: `http://127.0.0.1:${this.ports.prometheus}`,
      alertmanager: `http://127.0.0.1:${this.ports.alertmanager}`,
      exporter: `http://127.0.0.1:${this.ports.exporter}/metrics`,
    };
  }

  /** The exporter's password: generated on first use, kept in secrets/ like the lab's others. */
  private password(): { value: string; fresh: boolean } {
    const file = this.host.path('secrets', 'exporter-password');
    if (existsSync(file)) return { value: readPrivate(file).trim(), fresh: false };
    const value = newPassword();
    writePrivate(file, `${value}\n`);
    return { value, fresh: true };
  }

  /**
   * The exporter's role on the primary (standbys get it by replication) and on the monitor,
   * created for a lab made before monitoring existed; its read grant on the monitor's node table
   * (the extension is made by pg_autoctl after our initdb, so the grant cannot come earlier).
   */
  private async ensureRole(): Promise<string> {
    const pw = this.password();
    const verifier = scramVerifier(pw.value);
    for (const conn of [this.host.monitorAdmin(), await this.host.primaryAdmin()]) {
      const exists = (await queryOnce(conn, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [EXPORTER_ROLE])).length > 0;
      // The verifier, never the password, travels in the statement.
      if (!exists) await queryOnce(conn, `CREATE ROLE ${EXPORTER_ROLE} LOGIN PASSWORD '${verifier}' IN ROLE pg_monitor`);
      else if (pw.fresh) await queryOnce(conn, `ALTER ROLE ${EXPORTER_ROLE} PASSWORD '${verifier}'`);
    }
    const monitor = this.host.monitorAdmin();
    await queryOnce(monitor, `GRANT USAGE ON SCHEMA pgautofailover TO ${EXPORTER_ROLE}`);
    await queryOnce(monitor, `GRANT SELECT ON pgautofailover.node TO ${EXPORTER_ROLE}`);
    return pw.value;
  }

  /**
   * State dirs and the exporter's password file in pg/, made by the lab's user itself: root never
   * creates or writes inside a directory that user can write.
   */
  private prepareState(password: string): void {
    const state = this.host.pg('monitoring');
    runAsLab(this.host.runAs, ['sh', '-c', 'umask 077 && mkdir -p "$1/prometheus" "$1/alertmanager" && cat > "$1/exporter.pgpass"', 'sh', state], exporterPassfile(password));
  }

  /** Before anything starts: the stack's ports must be free (unless ours already hold them). */
  async checkPorts(): Promise<void> {
    for (const p of MONITORING_PROCS.filter((n) => !this.host.running(n))) {
      const port = this.ports[p];
      if (!(await this.host.portFree(port))) throw new UserError(`port ${port} (for ${p}) is already in use: stop what uses it or pick another range with --base-port`, 2);
    }
  }

  /** Start whatever of the stack is not running; the names it started go into `started`. */
  async start(progress: Progress, webhookUrl: string | null, started: string[], abort: AbortSignal): Promise<void> {
    const tools = findMonitoringTools();
    await this.checkPorts();
    const toStart = MONITORING_PROCS.filter((p) => !this.host.running(p));
    progress(`monitoring: exporter ${this.ports.exporter}, Prometheus ${this.ports.prometheus}, Alertmanager ${this.ports.alertmanager}`);
    const password = await this.ensureRole();
    if (!existsSync(this.dir())) mkdirSync(this.dir(), { mode: 0o755 });
    const names = await this.host.names();
    renderAll(this.dir(), names, this.ports, webhookUrl ?? `http://127.0.0.1:${this.ports.webhook}/alerts`);
    this.prepareState(password);
    // Those already running re-read their rendered config (e.g. a new --alert-webhook).
    for (const p of ['prometheus', 'alertmanager'] as const) {
      const id = this.host.running(p);
      if (id && !toStart.includes(p)) signal(id.pid, 'SIGHUP');
    }
    const uris = Object.values(names.ports).map((port) => `127.0.0.1:${port}/${port === this.host.basePort ? 'pg_auto_failover' : 'postgres'}?sslmode=disable&connect_timeout=1&application_name=postgres_exporter`);
    const specs = procSpecs(tools, this.dir(), this.host.pg('monitoring'), this.ports, uris);
    for (const p of toStart) {
      const spec = specs[p];
      const id = spawnDetached({ ...spec, cwd: this.host.pg('monitoring'), logFile: this.host.path('logs', `${p}.log`), runAs: this.host.runAs });
      this.host.record(p, id);
      started.push(p);
    }
    for (const p of toStart) await this.waitReady(p, abort);
    progress(`monitoring ready: Prometheus ${this.urls().prometheus}, Alertmanager ${this.urls().alertmanager}`);
  }

  private async waitReady(p: MonitoringProc, signal: AbortSignal): Promise<void> {
    const until = Date.now() + 60_000;
    const log = this.host.path('logs', `${p}.log`);
    for (;;) {
      signal.throwIfAborted();
      const ok = await fetch(readyUrl(p, this.ports), { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      if (ok) return;
      if (!this.host.running(p)) throw new UserError(`${p} exited during start; see ${log}`);
      if (Date.now() > until) throw new UserError(`${p} did not become ready; see ${log}`);
      await sleep(200);
    }
  }

  /** Point Prometheus at the console's /metrics, or at nothing (port null). */
  announceConsole(port: number | null): void {
    if (this.configured()) writeConfig(this.dir(CONSOLE_TARGETS), consoleTargets(port));
  }
}

/** Run a short command as the lab's user, with stdin; failures are errors. */
function runAsLab(runAs: RunAs | null, argv: string[], input: string): void {
  const [cmd, args] = asUser(runAs, argv);
  const res = spawnSync(cmd, args, { input, stdio: ['pipe', 'ignore', 'pipe'], encoding: 'utf8', timeout: 30_000 });
  if (res.status !== 0) throw new Error(`preparing the monitoring state failed: ${(res.stderr ?? '').trim() || res.signal}`);
}

