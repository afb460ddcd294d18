// A ClusterBackend over a FakeCluster: every call is recorded and changes the model (at once, or
// after `delayMs`), and a restarted node rejoins as secondary after `rejoinMs` when another node
// is primary by then.
import type { ProcessState } from '../../src/actions/types.js';
import type { ClusterBackend, Progress } from '../../src/backends/backend.js';
import type { Endpoints } from '../../src/cluster/types.js';
import type { FakeCluster } from './fake-cluster.js';

export interface FakeBackendOptions {
  /** Ms after start() until the node reports secondary; null: the test scripts it. */
  rejoinMs?: number | null;
  /** Offer partition / isPartitioned, as the compose backend does. */
  partitions?: boolean;
  /** How long each fault takes before it lands (a docker exec or pg_ctl takes a while too). */
  delayMs?: number;
  /** Make calls with this verb (kill, stop, start, freeze, thaw, partition, heal, up) fail with this message. */
  failOn?: Record<string, string>;
}

export class FakeBackend implements ClusterBackend {
  readonly kind = 'local' as const;
  readonly where = 'fake lab';
  readonly calls: string[] = [];
  private readonly hooks = new Map<string, () => void>();
  partition?: (node: string, on: boolean) => Promise<void>;
  isPartitioned?: (node: string) => Promise<boolean>;

  constructor(
    readonly cluster: FakeCluster,
    private readonly opts: FakeBackendOptions = {},
  ) {
    if (opts.partitions) {
      this.partition = async (node, on) => {
        await this.record(`${on ? 'partition' : 'heal'} ${node}`);
        cluster.partition(node, on);
      };
      this.isPartitioned = async (node) => cluster.node(node).partitioned;
    }
  }

  /** Run fn right after the given call (e.g. 'kill node1'): a script can start at the fault. */
  when(call: string, fn: () => void): void {
    this.hooks.set(call, fn);
  }

  private async record(call: string): Promise<void> {
    this.calls.push(call);
    if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
    const fail = this.opts.failOn?.[call.split(' ')[0]!];
    if (fail) throw new Error(fail);
    // The caller changes the model right after this returns; the hook runs after that.
    queueMicrotask(() => this.hooks.get(call)?.());
  }

  async up(progress: Progress, signal: AbortSignal): Promise<void> {
    await this.record('up');
    if (signal.aborted) throw new Error('aborted');
    if (!this.cluster.monitorUp) this.cluster.setMonitor(true);
    for (const n of this.cluster.nodes) if (n.process === 'stopped') this.cluster.start(n.name);
    progress('all nodes running');
  }

  async down(opts: { volumes: boolean }): Promise<void> {
    await this.record(`down${opts.volumes ? ' --volumes' : ''}`);
    for (const n of this.cluster.nodes) this.cluster.stop(n.name);
  }

  async exists(): Promise<boolean> {
    return true;
  }

  async needsUp(): Promise<boolean> {
    return !this.cluster.monitorUp || this.cluster.nodes.some((n) => n.process === 'stopped');
  }

  async endpoints(): Promise<Endpoints> {
    return this.cluster.endpoints();
  }

  nodeNames(): string[] {
    return this.cluster.nodes.map((n) => n.name);
  }

  async processState(node: string): Promise<ProcessState> {
    return this.cluster.node(node).process;
  }

  async kill(node: string): Promise<void> {
    await this.record(`kill ${node}`);
    this.cluster.kill(node);
  }

  async stop(node: string): Promise<void> {
    await this.record(`stop ${node}`);
    this.cluster.stop(node);
  }

  async start(node: string): Promise<void> {
    await this.record(`start ${node}`);
    this.cluster.start(node);
    const rejoin = this.opts.rejoinMs === undefined ? 1000 : this.opts.rejoinMs;
    if (rejoin === null) return;
    setTimeout(() => {
      const n = this.cluster.node(node);
      const other = this.cluster.nodes.some((o) => o !== n && o.promoted && o.process === 'running');
      if (n.process === 'running' && other) this.cluster.set(node, { reportedState: 'secondary', assignedState: 'secondary', health: 'good', promoted: false, readOnly: false });
    }, rejoin);
  }

  async freeze(node: string, on: boolean): Promise<void> {
    await this.record(`${on ? 'freeze' : 'thaw'} ${node}`);
    this.cluster.freeze(node, on);
  }
}
