// The live SnapshotSource: once a second, one query to the monitor and one to each node, each on
// its own persistent connection, then one ClusterSnapshot. A frozen or dead endpoint never
// delays the tick beyond `tickBudgetMs`: its last answer is used and it is marked as not answering.
import { assembleSnapshot } from './assemble.js';
import { EventFeed } from './event-feed.js';
import { Link } from './link.js';
import { fetchNodes } from './monitor.js';
import { probeNode, unreachableProbe } from './probe.js';
import type { Connect } from './pg.js';
import type { SnapshotSource } from './snapshot-source.js';
import type { BackendKind, ClusterEvent, ClusterSnapshot, Endpoints, MonitorNodeRow, NodeProbe } from './types.js';

export interface PollerOptions {
  endpoints: Endpoints;
  formation?: string;
  backend: BackendKind;
  profile: () => string;
  intervalMs?: number;
  /** Longest a tick waits for slow endpoints before drawing what it has. */
  tickBudgetMs?: number;
  /** An endpoint silent for longer than this is shown as not answering. */
  staleAfterMs?: number;
  now?: () => number;
  /** Listen for events (the headless status command does not need them). */
  events?: boolean;
  connect?: Connect;
}

export class ClusterPoller implements SnapshotSource {
  private readonly monitor: Link;
  private readonly nodes: Map<string, Link>;
  private readonly feed: EventFeed | null;
  private rows: MonitorNodeRow[] = [];
  private readonly probes: Record<string, NodeProbe> = {};
  private last: ClusterSnapshot | null = null;
  private readonly listeners = new Set<(s: ClusterSnapshot) => void>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  ticks = 0;
  /** Queries sent since start (monitor, probes; LISTEN traffic excluded). */
  queries = 0;
  readonly formation: string;
  private readonly now: () => number;

  constructor(private readonly opts: PollerOptions) {
    this.now = opts.now ?? Date.now;
    this.formation = opts.formation ?? 'default';
    const linkOpts = { connectTimeoutMs: 1500, queryTimeoutMs: 3000, now: this.now, connect: opts.connect };
    this.monitor = new Link(opts.endpoints.monitor, linkOpts);
    this.nodes = new Map(Object.entries(opts.endpoints.nodes).map(([name, ci]) => [name, new Link(ci, linkOpts)]));
    this.feed = opts.events === false ? null : new EventFeed(opts.endpoints.monitor, this.formation, 200, this.now, opts.connect);
    this.feed?.on('event', () => this.emitSoon());
    // Until the monitor answers, show the nodes we know of so a dead monitor still gives a table.
    this.rows = [...this.nodes.keys()].map((name, i) => placeholderRow(name, i + 1, opts.endpoints.nodes[name]!.port));
  }

  current(): ClusterSnapshot | null {
    return this.last;
  }

  subscribe(listener: (snap: ClusterSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Monitor events as they arrive (the RTO timer's phases come from these). */
  onEvent(listener: (ev: ClusterEvent) => void): () => void {
    this.feed?.on('event', listener);
    return () => this.feed?.off('event', listener);
  }

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs ?? 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.monitor.close();
    for (const l of this.nodes.values()) l.close();
    this.feed?.close();
  }

  /** One round: query what is idle, wait at most the budget, assemble, emit. */
  async tick(): Promise<ClusterSnapshot> {
    if (this.ticking && this.last) return this.last;
    this.ticking = true;
    try {
      const tasks: Promise<unknown>[] = [this.pollMonitor()];
      for (const [name, link] of this.nodes) tasks.push(this.pollNode(name, link));
      if (this.feed && !this.feed.connected) void this.feed.ensure();
      await Promise.race([Promise.allSettled(tasks), delay(this.opts.tickBudgetMs ?? 900)]);
      this.ticks += 1;
      return this.emit();
    } finally {
      this.ticking = false;
    }
  }

  private async pollMonitor(): Promise<void> {
    if (this.monitor.busy) return;
    await this.monitor
      .use(async (c) => {
        this.queries += 1;
        const rows = await fetchNodes(c, this.formation);
        if (rows.length > 0) this.rows = rows;
      })
      .catch(() => undefined);
  }

  private async pollNode(name: string, link: Link): Promise<void> {
    if (link.busy) return;
    this.queries += 1;
    try {
      this.probes[name] = await link.use(probeNode);
    } catch {
      this.probes[name] = unreachableProbe(link.downSince ?? this.now(), link.lastError ?? 'unreachable');
    }
  }

  private staleness(link: Link): string | null {
    const silentFor = link.busySince === null ? 0 : this.now() - link.busySince;
    return silentFor > (this.opts.staleAfterMs ?? 2000) ? `no answer for ${Math.round(silentFor / 1000)}s` : null;
  }

  private emit(): ClusterSnapshot {
    const now = this.now();
    const probes: Record<string, NodeProbe> = {};
    for (const [name, link] of this.nodes) {
      const stale = this.staleness(link);
      const p = this.probes[name];
      probes[name] = stale ? unreachableProbe(link.busySince ?? now, stale) : p ?? unreachableProbe(now, 'connecting');
    }
    const monitorStale = this.staleness(this.monitor);
    const monitorDown = this.monitor.downSince !== null || monitorStale !== null;
    const snap = assembleSnapshot({
      at: now,
      formation: this.formation,
      backend: this.opts.backend,
      profile: this.opts.profile(),
      monitor: {
        reachable: !monitorDown,
        unreachableSince: monitorDown ? (this.monitor.downSince ?? this.monitor.busySince) : null,
        error: monitorDown ? (monitorStale ?? this.monitor.lastError) : null,
      },
      rows: this.rows,
      probes,
      events: this.feed ? [...this.feed.events] : [],
    });
    this.last = snap;
    for (const l of this.listeners) l(snap);
    return snap;
  }

  private emitSoon(): void {
    // A state change pushed by the monitor is drawn at once rather than at the next tick.
    if (this.last && !this.ticking) this.emit();
  }
}

function placeholderRow(name: string, nodeId: number, port: number): MonitorNodeRow {
  return {
    nodeId,
    groupId: 0,
    name,
    host: '?',
    port,
    reportedState: 'unknown',
    assignedState: 'unknown',
    health: 'unknown',
    candidatePriority: 0,
    replicationQuorum: true,
    reportedTli: null,
    reportedLsn: null,
    reportTime: null,
    healthCheckTime: null,
    reportedPgIsRunning: null,
  };
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
