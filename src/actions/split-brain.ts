// The split-brain check for a network partition: before the primary is cut off, open a connection
// to it through its published port (which does not cross the lab network), then keep writing one
// row at a time. Every write it acknowledges after another node was promoted is a split-brain
// write. With pg_auto_failover's synchronous replication the old primary cannot commit without a
// standby, so the count must stay 0; the test asserts it.
// A commit whose wait for the standby is cancelled (pg_cancel_backend) returns success with only a
// WARNING although nothing was replicated: that *is* an acknowledged write and is counted as one.
// pg_auto_failover instead shuts the old primary down (its keeper demotes it once it has seen
// neither the monitor nor a standby for network_partition_timeout), which ends the session with an
// error: not acknowledged.
import { EventEmitter } from 'node:events';
import { connect, destroy, errorLine, type Connect, type PgClient } from '../cluster/pg.js';
import type { ClusterEvent, ConnInfo } from '../cluster/types.js';
import type { SplitBrainWatch } from './types.js';

const PROMOTED = new Set(['wait_primary', 'primary']);

export class SplitBrainWatcher extends EventEmitter {
  private client: PgClient | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private nextId: number;
  private readonly acks: number[] = [];
  private st: SplitBrainWatch;

  constructor(
    private readonly node: string,
    private readonly conn: ConnInfo,
    private readonly now: () => number = Date.now,
    private readonly connectTo: Connect = connect,
  ) {
    super();
    this.nextId = this.now() * 1000 + 500_000_000;
    this.st = { node, promotedAt: null, promoted: null, acknowledged: 0, afterPromotion: 0, pending: 0, pendingSince: null, ended: null, running: false };
  }

  state(): SplitBrainWatch {
    return this.st;
  }

  private set(patch: Partial<SplitBrainWatch>): void {
    this.st = { ...this.st, ...patch };
    this.emit('change', this.st);
  }

  /** Connect to the node while it is still reachable; call before cutting it off. */
  async start(): Promise<void> {
    // No query timeout: a commit waiting for a standby that is gone just waits, and that wait is
    // the point (it is never acknowledged).
    this.client = await this.connectTo(this.conn, { connectTimeoutMs: 3000, applicationName: 'pgha-tui split-brain watch' });
    this.running = true;
    this.set({ running: true });
    this.loop = this.writeLoop();
  }

  /** Feed monitor events: the first promotion of another node starts the split-brain window. */
  onEvent(ev: ClusterEvent): void {
    if (this.st.promotedAt !== null || ev.kind !== 'state' || !ev.nodeName || ev.nodeName === this.node) return;
    if (PROMOTED.has(ev.reportedState ?? '')) {
      this.set({ promotedAt: ev.at, promoted: ev.nodeName, afterPromotion: this.acks.filter((t) => t > ev.at).length });
    }
  }

  private async writeLoop(): Promise<void> {
    while (this.running && this.client) {
      const id = ++this.nextId;
      this.set({ pending: 1, pendingSince: this.now() });
      try {
        await this.client.query(
          `INSERT INTO audit_log (actor, action, context, load_id) VALUES ('pgha-split-brain', 'write', '{}', ${id})`,
        );
        const at = this.now();
        this.acks.push(at);
        const after = this.st.promotedAt !== null && at > this.st.promotedAt ? this.st.afterPromotion + 1 : this.st.afterPromotion;
        this.set({ acknowledged: this.st.acknowledged + 1, afterPromotion: after, pending: 0, pendingSince: null });
      } catch (err) {
        // The old primary was demoted or went away: nothing more it can acknowledge on this link.
        if (this.running) this.set({ pending: 0, pendingSince: null, ended: errorLine(err) });
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    this.running = false;
    this.set({ running: false, pending: 0, pendingSince: null });
  }

  async stop(): Promise<SplitBrainWatch> {
    this.running = false;
    if (this.client) destroy(this.client);
    this.client = null;
    await this.loop;
    return this.st;
  }
}
