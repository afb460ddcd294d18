// An in-memory pg_auto_failover cluster for unit tests: a monitor and three nodes whose states,
// processes and data are plain fields. Tests change them directly or by a script on the fake
// clock ("node1 dies at t=3 s, node2 reports report_lsn at t=4 s"); the fake pg client (fake-pg.ts)
// answers the project's SQL from this model, and the monitor pushes a `state` notification for
// every change of a node's reported state, goal or health, as the real one does.
import type { ProcessState } from '../../src/actions/types.js';
import type { Endpoints, Health } from '../../src/cluster/types.js';
import { PROFILES, type GucName } from '../../src/cluster/profiles.js';

export interface FakeNode {
  name: string;
  nodeId: number;
  port: number;
  candidatePriority: number;
  reportedState: string;
  assignedState: string;
  health: Health;
  process: ProcessState;
  /** Out of recovery (a primary, or a standby promoted in stop_replication). */
  promoted: boolean;
  /** default_transaction_read_only: set on a promoted node until the monitor assigns wait_primary. */
  readOnly: boolean;
  lsn: string;
  /** Cut off the lab network: the monitor and peers lose it, host clients still reach it. */
  partitioned: boolean;
}

export type StatePatch = Partial<Pick<FakeNode, 'reportedState' | 'assignedState' | 'health' | 'promoted' | 'readOnly' | 'lsn'>>;

export interface Notification {
  channel: 'state' | 'log';
  payload: string;
}

export interface ScriptStep {
  /** Ms after script() was called, on the (fake) clock. */
  at: number;
  do: (c: FakeCluster) => void;
}

export const MONITOR_PORT = 7000;
/** Row counts of the reference tables the load generator draws ids from. */
const REFS = { patients: 100, providers: 10, facilities: 5 };

export class FakeCluster {
  readonly nodes: FakeNode[];
  monitorUp = true;
  /** Every standby has replication quorum: a cut-off primary cannot commit (its commits wait). */
  synchronous = true;
  /** Ids committed somewhere in the cluster (replicated: every node has them). */
  readonly committed = new Set<number>();
  /** Committed ids the cluster has lost (to make the ledger's verdict fail on purpose). */
  readonly lost = new Set<number>();
  /** Commits per node. */
  readonly commits: Record<string, number> = {};
  readonly gucs: Record<string, number>;
  private staged: Record<string, number> = {};
  /** perform_failover calls; the test decides what the cluster does about them. */
  failovers = 0;
  /** perform_promotion calls, by node name. */
  readonly promotions: string[] = [];
  onPerformFailover: (c: FakeCluster) => void = () => undefined;
  /** What pgautofailover.last_events returns: every change, as it was then. */
  readonly events: { at: number; nodeId: number | null; nodeName: string | null; reportedState: string | null; goalState: string | null; text: string }[] = [];
  private readonly listeners = new Set<(n: Notification) => void>();
  /** Called when a node's processes or network change (kill, stop, freeze, partition…) or the monitor's, so open connections can react. */
  onProcessChange: (node: FakeNode | 'monitor') => void = () => undefined;

  constructor(names: string[] = ['node1', 'node2', 'node3']) {
    this.nodes = names.map((name, i) => ({
      name,
      nodeId: i + 1,
      port: MONITOR_PORT + 1 + i,
      candidatePriority: 100 - i * 10,
      reportedState: i === 0 ? 'primary' : 'secondary',
      assignedState: i === 0 ? 'primary' : 'secondary',
      health: 'good',
      process: 'running',
      promoted: i === 0,
      readOnly: false,
      lsn: '0/3000000',
      partitioned: false,
    }));
    for (const n of names) this.commits[n] = 0;
    this.gucs = Object.fromEntries(Object.entries(PROFILES.default!.gucs).map(([g, v]) => [`pgautofailover.${g}`, v]));
  }

  endpoints(): Endpoints {
    // A reserved name that never resolves: a connection that bypassed the fake fails at once
    // instead of reaching whatever listens on a port of this host.
    const ci = (port: number, user: string, database: string) => ({ host: 'fake-lab.invalid', port, user, database, password: 'fake-secret' });
    return {
      monitor: ci(MONITOR_PORT, 'autoctl_node', 'pg_auto_failover'),
      monitorAdmin: ci(MONITOR_PORT, 'postgres', 'pg_auto_failover'),
      nodes: Object.fromEntries(this.nodes.map((n) => [n.name, ci(n.port, 'postgres', 'healthcare_db')])),
    };
  }

  node(name: string): FakeNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no fake node ${name}`);
    return n;
  }

  byPort(port: number): FakeNode | 'monitor' | null {
    if (port === MONITOR_PORT) return 'monitor';
    return this.nodes.find((n) => n.port === port) ?? null;
  }

  /** Accepts writes: out of recovery, not read-only, running. */
  writable(n: FakeNode): boolean {
    return n.process === 'running' && n.promoted && !n.readOnly;
  }

  /**
   * A standby can confirm this node's commits: it is on the network and the only promoted node
   * (once another is promoted, the standbys follow that one).
   */
  hasStandby(n: FakeNode): boolean {
    return !n.partitioned && !this.nodes.some((o) => o !== n && o.promoted && o.process === 'running');
  }

  listen(fn: (n: Notification) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Change what the monitor knows of a node; a change of state, goal or health is notified. */
  set(name: string, patch: StatePatch): void {
    const n = this.node(name);
    const before = `${n.reportedState}/${n.assignedState}/${n.health}`;
    Object.assign(n, patch);
    if (`${n.reportedState}/${n.assignedState}/${n.health}` === before) return;
    const text = `${n.name} ${n.reportedState} -> ${n.assignedState}`;
    this.events.push({ at: Date.now(), nodeId: n.nodeId, nodeName: n.name, reportedState: n.reportedState, goalState: n.assignedState, text });
    if (!this.monitorUp) return;
    const payload = JSON.stringify({ formation: 'default', groupId: 0, nodeId: n.nodeId, name: n.name, host: '127.0.0.1', port: n.port, reportedState: n.reportedState, goalState: n.assignedState, health: n.health });
    for (const l of this.listeners) l({ channel: 'state', payload });
  }

  log(text: string): void {
    this.events.push({ at: Date.now(), nodeId: null, nodeName: null, reportedState: null, goalState: null, text });
    if (this.monitorUp) for (const l of this.listeners) l({ channel: 'log', payload: text });
  }

  private setProcess(name: string, p: ProcessState): void {
    const n = this.node(name);
    n.process = p;
    this.onProcessChange(n);
  }

  kill(name: string): void {
    this.setProcess(name, 'stopped');
  }

  stop(name: string): void {
    this.setProcess(name, 'stopped');
  }

  start(name: string): void {
    this.setProcess(name, 'running');
  }

  freeze(name: string, on: boolean): void {
    this.setProcess(name, on ? 'frozen' : 'running');
  }

  partition(name: string, on: boolean): void {
    this.node(name).partitioned = on;
    this.onProcessChange(this.node(name));
  }

  /** The monitor goes away (its clients are dropped) or comes back. */
  setMonitor(up: boolean): void {
    this.monitorUp = up;
    this.onProcessChange('monitor');
  }

  /** Run steps at their times on the (fake) clock, counted from now. */
  script(steps: ScriptStep[]): void {
    for (const s of steps) setTimeout(() => s.do(this), s.at);
  }

  // --- what the SQL layer asks ---

  refs(): typeof REFS {
    return REFS;
  }

  commit(node: FakeNode, id: number): void {
    this.committed.add(id);
    this.commits[node.name] = (this.commits[node.name] ?? 0) + 1;
  }

  present(ids: number[]): number[] {
    return ids.filter((id) => this.committed.has(id) && !this.lost.has(id));
  }

  stageGuc(name: string, value: number): void {
    this.staged[name] = value;
  }

  reloadConf(): void {
    Object.assign(this.gucs, this.staged);
    this.staged = {};
  }

  guc(name: GucName): number | undefined {
    return this.gucs[`pgautofailover.${name}`];
  }
}

/**
 * The states pg_auto_failover walks through after the primary dies, from `t` (ms after script())
 * on, half a second apart (the times are the script's own, not a measurement). The winner is
 * promoted read-only in stop_replication, opens for writes in wait_primary, then becomes primary.
 */
export function failoverSteps(victim: string, winner: string, other: string, t = 0): ScriptStep[] {
  return [
    { at: t + 1000, do: (c) => c.set(victim, { health: 'bad', assignedState: 'demote_timeout' }) },
    { at: t + 2000, do: (c) => (c.set(winner, { assignedState: 'report_lsn' }), c.set(other, { assignedState: 'report_lsn' })) },
    { at: t + 2500, do: (c) => (c.set(winner, { reportedState: 'report_lsn' }), c.set(other, { reportedState: 'report_lsn' })) },
    { at: t + 3000, do: (c) => c.set(winner, { assignedState: 'prepare_promotion' }) },
    { at: t + 3500, do: (c) => c.set(winner, { reportedState: 'prepare_promotion', assignedState: 'stop_replication' }) },
    { at: t + 4000, do: (c) => c.set(winner, { reportedState: 'stop_replication', promoted: true, readOnly: true }) },
    // The goal leads: until its keeper reports wait_primary the winner still refuses writes.
    { at: t + 5500, do: (c) => c.set(winner, { assignedState: 'wait_primary' }) },
    { at: t + 6000, do: (c) => (c.set(winner, { reportedState: 'wait_primary', readOnly: false }), c.set(other, { reportedState: 'secondary', assignedState: 'secondary' })) },
    { at: t + 6500, do: (c) => c.set(winner, { assignedState: 'primary' }) },
    { at: t + 7000, do: (c) => c.set(winner, { reportedState: 'primary' }) },
  ];
}
