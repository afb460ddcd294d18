// The event log: seeded with pgautofailover.last_events, then fed by LISTEN on the monitor's
// `state` and `log` channels (pushed by the monitor, so no polling and no missed transitions
// between ticks). Reconnects on its own; the poller calls ensure() every tick.
import { EventEmitter } from 'node:events';
import { fetchLastEvents, parseNotification } from './monitor.js';
import { connect, destroy, type Connect, type PgClient } from './pg.js';
import type { ClusterEvent, ConnInfo } from './types.js';

export class EventFeed extends EventEmitter {
  private client: PgClient | null = null;
  private connecting = false;
  private readonly list: ClusterEvent[] = [];

  constructor(
    private readonly monitor: ConnInfo,
    private readonly formation: string,
    private readonly limit = 200,
    private readonly now: () => number = Date.now,
    private readonly connectTo: Connect = connect,
  ) {
    super();
  }

  get events(): ClusterEvent[] {
    return this.list;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Open the LISTEN connection if it is not open; never throws. */
  async ensure(): Promise<void> {
    if (this.client || this.connecting) return;
    this.connecting = true;
    try {
      const client = await this.connectTo(this.monitor, { connectTimeoutMs: 2000, applicationName: 'pgha-tui events' });
      client.on('error', () => this.drop(client));
      client.on('end', () => this.drop(client));
      client.on('notification', (n) => {
        const ev = parseNotification(n.channel, n.payload, this.now());
        if (ev) this.push(ev);
      });
      await client.query('LISTEN state');
      await client.query('LISTEN log');
      // Seed after LISTEN so nothing falls between the two; duplicates are filtered in push().
      const seed = await fetchLastEvents(client, this.formation, 30);
      for (const ev of seed) this.push(ev);
      this.client = client;
    } catch {
      /* the monitor is down; the snapshot already says so */
    } finally {
      this.connecting = false;
    }
  }

  private push(ev: ClusterEvent): void {
    // One sentence can be two nodes' events at one instant (demote_timeout and stop_replication).
    const dup = this.list.some((e) => e.at === ev.at && e.text === ev.text && e.nodeName === ev.nodeName && e.goalState === ev.goalState);
    if (dup) return;
    this.list.push(ev);
    this.list.sort((a, b) => a.at - b.at);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
    this.emit('event', ev);
  }

  private drop(client: PgClient): void {
    if (this.client === client) this.client = null;
    destroy(client);
  }

  close(): void {
    if (this.client) this.drop(this.client);
  }
}
