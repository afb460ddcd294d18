// The seam between the console and whatever runs the cluster. Controlled failover,
// promotion and tuning go through the monitor's SQL API instead, so they work on every backend.
import type { BackendKind, ConnInfo, Endpoints, ProcessState } from '../cluster/types.js';

export type Progress = (step: string) => void;

/**
 * What a key or command may need beyond watching: host access (kill, stop, freeze, restart,
 * partition), the monitor's actions (failover, the load test and drill), or the monitor's GUCs.
 */
export type Permission = 'host' | 'actions' | 'profile';

export interface ClusterBackend {
  readonly kind: BackendKind;
  /** Human description of where the lab lives (lab dir, compose project). */
  readonly where: string;
  /** Bring the lab up (create or restart) and return once 1 primary + 2 secondaries report. */
  up(progress: Progress, signal: AbortSignal): Promise<void>;
  /** Stop everything this lab runs; with volumes, remove its data too. */
  down(opts: { volumes: boolean }, progress: Progress): Promise<void>;
  /** True when a lab exists (created by an earlier `up`). */
  exists(): Promise<boolean>;
  /** True when `up` has something to do: no lab yet, or a part of it is not running. */
  needsUp(): Promise<boolean>;
  endpoints(): Promise<Endpoints>;
  /** Node names in candidate-priority order. */
  nodeNames(): string[];
  /** Whether a node's processes run, are stopped, or are frozen (SIGSTOP / docker pause). */
  processState(node: string): Promise<ProcessState>;
  kill(node: string): Promise<void>;
  stop(node: string): Promise<void>;
  start(node: string): Promise<void>;
  freeze(node: string, on: boolean): Promise<void>;
  partition?(node: string, on: boolean): Promise<void>;
  /**
   * Make a standby again from an empty data directory cloned from the primary: the way back for a
   * node that cannot rejoin by itself. Refuses the primary.
   */
  rebuild?(node: string, progress: Progress, signal?: AbortSignal): Promise<void>;
  /** Whether the node is cut off now (asked of the engine, so it survives a console restart). */
  isPartitioned?(node: string): Promise<boolean>;
  /** Where the lab's Prometheus and Alertmanager answer, when it runs them. */
  monitoring?(): { prometheus: string; alertmanager: string } | null;
  /** Why this backend refuses what needs `p`, in one line; null or absent: allowed. */
  refusal?(p: Permission): string | null;
  /** The nodes at the addresses they registered, when endpoints() reaches some at others (attach --resolve). */
  registeredNodes?(): ConnInfo[];
  /** Tell the lab's Prometheus where the console serves its own /metrics (null: nowhere). */
  announceConsoleMetrics?(port: number | null): void;
}
