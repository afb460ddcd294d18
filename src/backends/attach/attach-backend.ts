// Attach to a pg_auto_failover formation that runs elsewhere, through its monitor's SQL API only:
// the node list, hosts and ports come from the monitor, each node is reached at its registered
// host:port with the URI's credentials (or PGPASSWORD / the password file). There is no host
// access, so every process fault is refused; the monitor's actions need --allow-actions.
import { redactUri, uriOf } from '../../cluster/conn-uri.js';
import { fetchFormations, fetchNodes } from '../../cluster/monitor.js';
import { connect, errorLine } from '../../cluster/pg.js';
import { resolveAddress, type ResolveRule } from '../../cluster/resolve.js';
import type { ConnInfo, Endpoints, MonitorNodeRow, ProcessState } from '../../cluster/types.js';
import { UserError } from '../../lib/errors.js';
import type { ClusterBackend, Permission } from '../backend.js';

export interface AttachOptions {
  monitor: ConnInfo;
  formation: string;
  /** Role and database on the nodes when they differ from the monitor URI's user / the formation's dbname. */
  nodeUser: string | null;
  nodeDbname: string | null;
  allowActions: boolean;
  allowProfile: boolean;
  /** Other addresses for registered hosts (--resolve), for the probes and the multi-host route. */
  resolve: ResolveRule[];
}

export const HOST_REFUSAL = 'needs host access: attached through the monitor only (kill, stop, freeze, restart and partition are lab-only)';

export class AttachBackend implements ClusterBackend {
  readonly kind = 'attach' as const;
  readonly where: string;
  private rows: MonitorNodeRow[] = [];
  private dbname = '';

  constructor(readonly opts: AttachOptions) {
    this.where = `formation ${opts.formation} via monitor ${uriOf(opts.monitor)}`;
  }

  /** Read the formation and its nodes from the monitor: exit 1 when it does not answer, 2 when the formation is unknown. */
  async load(): Promise<void> {
    let client;
    try {
      client = await connect(this.opts.monitor, { connectTimeoutMs: 5000, queryTimeoutMs: 5000, applicationName: 'pgha-tui attach' });
    } catch (err) {
      throw new UserError(`monitor ${uriOf(this.opts.monitor)} does not answer: ${redactUri(errorLine(err))}`, 1);
    }
    try {
      const formations = await fetchFormations(client).catch((err: unknown) => {
        throw new UserError(`monitor ${uriOf(this.opts.monitor)}: cannot read pgautofailover.formation (${redactUri(errorLine(err))}); see README "Attach to your own formation" for the grants`, 1);
      });
      const f = formations.find((x) => x.formation === this.opts.formation);
      if (!f) {
        throw new UserError(`formation "${this.opts.formation}" is not on this monitor (formations: ${formations.map((x) => x.formation).join(', ') || 'none'})`, 2);
      }
      this.dbname = f.dbname;
      this.rows = await fetchNodes(client, this.opts.formation);
      // A rule that reaches no node is a typo more often than not: say so rather than probe the wrong place.
      const unused = this.opts.resolve.find((rule) => !this.rows.some((r) => resolveAddress([rule], r.host, r.port)));
      if (unused) {
        const at = (h: { host: string; port: number | null }) => `${h.host.includes(':') ? `[${h.host}]` : h.host}${h.port === null ? '' : `:${h.port}`}`;
        throw new UserError(`--resolve ${at(unused.from)}=${at(unused.to)}: no node of formation ${this.opts.formation} registered as ${at(unused.from)} (registered: ${this.rows.map((r) => at(r)).join(', ')})`, 2);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async up(): Promise<void> {
    throw new UserError('attached to a formation: pgha-tui neither creates nor starts it (up is for the labs)', 2);
  }

  async down(): Promise<void> {
    throw new UserError('attached to a formation: pgha-tui does not stop it (down is for the labs)', 2);
  }

  async exists(): Promise<boolean> {
    return true;
  }

  async needsUp(): Promise<boolean> {
    return false;
  }

  private nodeConn(row: MonitorNodeRow, resolved = true): ConnInfo {
    const m = this.opts.monitor;
    const ci: ConnInfo = { ...m, host: row.host, port: row.port, user: this.opts.nodeUser ?? m.user, database: this.opts.nodeDbname ?? this.dbname };
    const to = resolved ? resolveAddress(this.opts.resolve, row.host, row.port) : null;
    return to ? { ...ci, ...to, registeredHost: row.host } : ci;
  }

  /** The nodes at the addresses they registered, in nodeNames() order (what pg_autoctl show uri prints). */
  registeredNodes(): ConnInfo[] {
    return this.nodeNames().map((n) => this.nodeConn(this.rows.find((r) => r.name === n)!, false));
  }

  async endpoints(): Promise<Endpoints> {
    // Profiles go to the same role: --allow-profile is checked before, and the monitor decides.
    return { monitor: this.opts.monitor, monitorAdmin: this.opts.monitor, nodes: Object.fromEntries(this.rows.map((r) => [r.name, this.nodeConn(r)])) };
  }

  nodeNames(): string[] {
    return [...this.rows].sort((a, b) => b.candidatePriority - a.candidatePriority || a.nodeId - b.nodeId).map((r) => r.name);
  }

  async processState(): Promise<ProcessState> {
    // Unknown from here; "running" keeps the console from offering to start anything.
    return 'running';
  }

  refusal(p: Permission): string | null {
    if (p === 'host') return HOST_REFUSAL;
    if (p === 'actions' && !this.opts.allowActions) return 'read-only: attached without --allow-actions';
    if (p === 'profile' && !this.opts.allowProfile) return 'read-only: changing the monitor\'s GUCs is formation-wide and needs --allow-profile';
    return null;
  }

  private refuse(what: string): never {
    throw new UserError(`${what} ${HOST_REFUSAL}`, 2);
  }

  async kill(): Promise<void> {
    this.refuse('kill');
  }

  async stop(): Promise<void> {
    this.refuse('stop');
  }

  async start(): Promise<void> {
    this.refuse('start');
  }

  async freeze(_node: string, on: boolean): Promise<void> {
    this.refuse(on ? 'freeze' : 'thaw');
  }
}
