// One local lab directory: where everything lives in it, its marker and ports, its passwords and
// the connections they open. The other local modules take a LocalLab and add one concern each.
import { join, resolve } from 'node:path';
import type { ConnInfo } from '../../cluster/types.js';
import { UserError } from '../../lib/errors.js';
import { resolveRunAs, superuserName } from './env.js';
import { foreignError, inspectLabDir, protectedDir, type LabMarker } from './lab-dir.js';
import { readPrivate, type LabPasswords } from './auth.js';
import { PidRecords } from './pid-records.js';

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

export const MONITOR = 'monitor';

export class LocalLab {
  readonly labDir: string;
  readonly formation: string;
  readonly pids: PidRecords;
  private passwordsCache: LabPasswords | null = null;

  constructor(readonly opts: LocalOptions) {
    this.formation = opts.formation ?? 'default';
    this.labDir = resolve(opts.labDir);
    this.pids = new PidRecords(this.labDir, (...p) => this.path(...p), () => this.labUid());
  }

  // Layout: the lab dir and everything at its top level belong to whoever runs pgha-tui (root,
  // usually); only pg/ belongs to the user that runs PostgreSQL. So what decides what we signal
  // (pids/), what we open (logs/) and the console's passwords (secrets/) cannot be touched by it.
  path(...p: string[]): string {
    return join(this.labDir, ...p);
  }

  /** pg_autoctl's and PostgreSQL's own tree: data dirs, backup dirs, XDG dirs, their passfile. */
  pg(...p: string[]): string {
    return join(this.labDir, 'pg', ...p);
  }

  logFile(name: string): string {
    return this.path('logs', `${name}.log`);
  }

  /** The lab's marker, or null when there is no lab; a directory that is not ours is an error. */
  marker(): LabMarker | null {
    const protectedWhy = protectedDir(this.labDir);
    if (protectedWhy) throw new UserError(`lab directory ${this.labDir}: ${protectedWhy}; pgha-tui never makes, uses or removes a lab there`, 2);
    const st = inspectLabDir(this.labDir);
    if (st.kind === 'lab') return st.marker;
    if (st.kind === 'foreign') throw foreignError(this.labDir, st.reason);
    return null;
  }

  hasLab(): boolean {
    return this.marker() !== null;
  }

  /** The base port of the existing lab wins; an explicit different one is an input error. */
  basePort(): number {
    const lab = this.marker();
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

  /** The port of the monitor or a node; an unknown name is bad input. */
  portOf(name: string): number {
    const base = this.basePort();
    if (name === MONITOR) return base;
    const i = NODE_SPECS.findIndex((n) => n.name === name);
    if (i < 0) throw new UserError(`no node named "${name}" (nodes: ${this.nodeNames().join(', ')})`, 2);
    return base + 1 + i;
  }

  superuser(): string {
    return superuserName(resolveRunAs());
  }

  /** The uid every process of the lab runs as. */
  labUid(): number {
    return resolveRunAs()?.uid ?? process.geteuid?.() ?? -1;
  }

  passwords(): LabPasswords {
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

  /** A fresh lab's passwords, known before they could be read back. */
  rememberPasswords(pw: LabPasswords): void {
    this.passwordsCache = pw;
  }

  monitorConn(user = 'autoctl_node'): ConnInfo {
    const p = this.passwords();
    return { host: '127.0.0.1', port: this.portOf(MONITOR), user, database: 'pg_auto_failover', password: user === 'autoctl_node' ? p.autoctlNode : p.superuser };
  }

  nodeConn(name: string): ConnInfo {
    return { host: '127.0.0.1', port: this.portOf(name), user: this.superuser(), database: 'healthcare_db', password: this.passwords().superuser };
  }
}
