// Where to write: the node the monitor assigns a writable state. Shared by all load clients and
// cached briefly, so a failover does not turn into a stampede of monitor queries.
import { Link } from '../cluster/link.js';
import type { Connect } from '../cluster/pg.js';
import type { ConnInfo } from '../cluster/types.js';
import { WRITABLE_STATES } from '../cluster/types.js';

const SQL = `SELECT nodename, assigned_group_state::text AS goal, current_group_state::text AS cur
               FROM pgautofailover.current_state($1)`;

export class PrimaryLocator {
  private readonly link: Link;
  private cached: { at: number; name: string | null } | null = null;
  private pending: Promise<string | null> | null = null;

  constructor(
    monitor: ConnInfo,
    private readonly formation = 'default',
    private readonly ttlMs = 100,
    private readonly now: () => number = Date.now,
    connect?: Connect,
  ) {
    this.link = new Link(monitor, { connectTimeoutMs: 1000, queryTimeoutMs: 2000, now, connect });
  }

  /** The monitor's choice of primary, or null when there is none (mid-failover, monitor down). */
  async primary(): Promise<string | null> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.name;
    this.pending ??= this.lookup().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async lookup(): Promise<string | null> {
    let name: string | null = null;
    try {
      const rows = await this.link.use(async (c) => (await c.query<{ nodename: string; goal: string; cur: string }>(SQL, [this.formation])).rows);
      // Prefer a node both assigned and reporting a writable state; during promotion the goal
      // leads the report, and writing to the candidate a moment early costs only a retry.
      const writable = rows.filter((r) => WRITABLE_STATES.has(r.goal));
      name = (writable.find((r) => WRITABLE_STATES.has(r.cur)) ?? writable[0])?.nodename ?? null;
    } catch {
      name = null;
    }
    this.cached = { at: this.now(), name };
    return name;
  }

  close(): void {
    this.link.close();
  }
}
