// Plain data the actions publish for the console (and the headless drill). No React here.
import type { ConfirmedTarget } from './target.js';
import type { AlertCounts } from '../cluster/alerts-poller.js';
import type { ProcessState } from '../cluster/types.js';

export interface LoadStats {
  running: boolean;
  clients: number;
  /** Epoch ms. */
  startedAt: number | null;
  /** Acknowledged transactions per second over the last second. */
  tps: number;
  acknowledged: number;
  /** Transactions that failed with a definite answer (rolled back, refused, read-only...). */
  errors: number;
  reconnects: number;
  /** COMMITs in flight when the connection broke: committed or not, nobody can say. */
  unknown: number;
  lastError: string | null;
  /** Node the clients last wrote to. */
  target: string | null;
  /** The multi-host URI the clients connect through (attach); absent: the monitor names the primary. */
  route?: string;
  /** Epoch ms of the last acknowledged commit. */
  lastAckAt: number | null;
  /** Acknowledged writes in each of the last 60 whole seconds, oldest first; null before the start. */
  perSecond: (number | null)[];
}

export interface LedgerVerdict {
  /** Epoch ms. */
  checkedAt: number;
  /** Node the ids were read back from. */
  readFrom: string;
  acknowledged: number;
  /** Acknowledged ids found with both their appointment and audit_log rows. */
  present: number;
  /** acknowledged − present; must be 0. */
  lost: number;
  /** A few lost ids, for the record. */
  lostSample: number[];
  unknown: number;
  /** Of the unknown-outcome commits, how many did commit. */
  unknownCommitted: number;
  ok: boolean;
}

export type RtoPhaseName = 'fault' | 'detected' | 'election' | 'promotion' | 'first-write' | 'rejoined';

export interface RtoPhase {
  name: RtoPhaseName;
  /** Epoch ms, null until it happens. */
  at: number | null;
  /** What marked it, e.g. 'node2 reported wait_primary'. */
  detail: string | null;
}

export type Fault = 'kill' | 'stop' | 'freeze' | 'failover';

export interface RtoRun {
  id: number;
  fault: Fault;
  victim: string;
  newPrimary: string | null;
  startedAt: number;
  /** Seconds from the fault to the first acknowledged write on another node; null while running. */
  clientRtoS: number | null;
  phases: RtoPhase[];
  status: 'running' | 'done' | 'aborted' | 'failed';
  error: string | null;
}

export interface RtoSummary {
  runs: number;
  minS: number | null;
  medianS: number | null;
  maxS: number | null;
}

/** Re-exported for the console's consumers: ConsoleState carries it. */
export type { ProcessState } from '../cluster/types.js';

export interface GucSetting {
  name: string;
  value: string;
  /** What raising or lowering it trades. */
  tradeoff: string;
}

export interface ConsoleMessage {
  level: 'info' | 'ok' | 'error';
  text: string;
  at: number;
}

export interface ConsoleState {
  profile: string;
  gucs: GucSetting[];
  /** The destructive action running now, if any. */
  busy: { label: string; since: number } | null;
  message: ConsoleMessage | null;
  load: LoadStats | null;
  verdict: LedgerVerdict | null;
  rto: { current: RtoRun | null; history: RtoRun[]; summary: RtoSummary };
  /** Node name -> process state as the backend sees it (stopped and frozen nodes get s/z toggles). */
  processes: Record<string, ProcessState>;
  /** Whether this backend can cut a node off the network (compose only). */
  canPartition: boolean;
  /** What this backend refuses, with the one-line reason (attach: host keys; without --allow-actions, every action). */
  refusals?: Partial<Record<'host' | 'actions' | 'profile', string>>;
  /** Nodes cut off the lab network by `p`. */
  partitioned: string[];
  /** The split-brain watch on a partitioned old primary, if one is running or finished. */
  splitBrain: SplitBrainWatch | null;
  /** A question the console asks unprompted (faults found at start: "thaw them?"); y = acceptOffer. */
  offer: string | null;
  /** The lab's Prometheus and its alerts, when the lab runs monitoring. */
  monitoring?: AlertCounts | null;
}

/**
 * While the primary is partitioned under load, a client keeps writing to it through its published
 * port; every write it acknowledges after another node was promoted is a split-brain write.
 */
export interface SplitBrainWatch {
  node: string;
  /** Epoch ms when another node reported wait_primary/primary; null until then. */
  promotedAt: number | null;
  promoted: string | null;
  /** Writes the old primary acknowledged, in all. */
  acknowledged: number;
  /** ...of which after the promotion: must be 0. */
  afterPromotion: number;
  /** Writes still waiting for an answer (a synchronous commit with no standby hangs). */
  pending: number;
  /** Epoch ms since when the current write waits; null when none waits. */
  pendingSince: number | null;
  /** How the link to the old primary ended (e.g. it was shut down when it demoted itself). */
  ended: string | null;
  running: boolean;
}

/**
 * What the console's keys call. Every method resolves; failures land in state().message. A
 * target is what the prompt named: when the cluster no longer matches it, the action is refused.
 */
export interface ConsoleActions {
  failover(target?: ConfirmedTarget): Promise<void>;
  /** perform_promotion of this node (a standby). */
  promote(node: string, target?: ConfirmedTarget): Promise<void>;
  killPrimary(target?: ConfirmedTarget): Promise<void>;
  restart(node: string, target?: ConfirmedTarget): Promise<void>;
  toggleStop(node: string, target?: ConfirmedTarget): Promise<void>;
  toggleFreeze(node: string, target?: ConfirmedTarget): Promise<void>;
  togglePartition(node: string, target?: ConfirmedTarget): Promise<void>;
  /** Maintenance on (the monitor fails a primary over first) or off again. */
  toggleMaintenance(node: string, target?: ConfirmedTarget): Promise<void>;
  toggleLoad(): Promise<void>;
  toggleRto(target?: ConfirmedTarget): Promise<void>;
  nextProfile(): Promise<void>;
  /** Yes to state().offer: undo the faults found at start. */
  acceptOffer(): Promise<void>;
  /** No to state().offer: leave them, and say how to undo them by hand. */
  declineOffer(): void;
}

export interface ConsoleController extends ConsoleActions {
  state(): ConsoleState;
  subscribe(listener: (s: ConsoleState) => void): () => void;
}
