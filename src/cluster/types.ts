// Plain data shared by the domain, the CLI and the UI. No React, no pg objects: components and
// `status` render a snapshot without touching the cluster, and tests build one by hand.

export type BackendKind = 'local' | 'compose' | 'attach';

/** Monitor health code: -1 unknown, 0 bad, 1 good. */
export type Health = 'good' | 'bad' | 'unknown';

/** Whether a node's processes run, are stopped, or are frozen (SIGSTOP / docker pause). */
export type ProcessState = 'running' | 'stopped' | 'frozen';

export interface ConnInfo {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Never printed; passed to libpq through the client config only. */
  password?: string;
  /**
   * The name the node registered when host/port are another address for it (--resolve): TLS
   * verify-full and the password file go by this name, as libpq's go by `host`, not `hostaddr`.
   */
  registeredHost?: string;
  /** libpq's sslmode; absent: no TLS (the labs). */
  sslmode?: SslMode;
  /** Certificate files for TLS (sslrootcert, sslcert, sslkey), as libpq names them. */
  tls?: { rootcert: string | null; cert: string | null; key: string | null };
  /**
   * No password given: take PGPASSWORD, then the password file, as libpq does (attach mode).
   * The labs always carry their own password.
   */
  passwordFromEnv?: boolean;
}

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface Endpoints {
  /** As pg_auto_failover's own role (autoctl_node): enough to watch and fail over. */
  monitor: ConnInfo;
  /** As a superuser of the monitor: needed to change its GUCs (tuning profiles). */
  monitorAdmin: ConnInfo;
  /** Node name -> how a host client reaches it. */
  nodes: Record<string, ConnInfo>;
}

/** One row of pgautofailover.current_state joined with pgautofailover.node. */
export interface MonitorNodeRow {
  nodeId: number;
  groupId: number;
  name: string;
  host: string;
  port: number;
  reportedState: string;
  assignedState: string;
  health: Health;
  candidatePriority: number;
  replicationQuorum: boolean;
  reportedTli: number | null;
  reportedLsn: string | null;
  /** Epoch ms of the keeper's last report to the monitor. */
  reportTime: number | null;
  /** Epoch ms of the monitor's last health check of this node. */
  healthCheckTime: number | null;
  reportedPgIsRunning: boolean | null;
}

/** One standby as the primary sees it in pg_stat_replication. */
export interface ReplicationRow {
  applicationName: string;
  /** Node id parsed from pg_auto_failover's application_name pgautofailover_standby_<id>. */
  nodeId: number | null;
  state: string;
  replayLagBytes: number | null;
  replayLagSeconds: number | null;
}

/** What a node says about itself (or why it could not say). */
export interface NodeProbe {
  reachable: boolean;
  /** Epoch ms since when the node has been unreachable; null while reachable. */
  unreachableSince: number | null;
  error: string | null;
  inRecovery: boolean | null;
  /** Not in recovery and transaction_read_only off. */
  readWrite: boolean | null;
  lsn: string | null;
  /** Epoch ms of pg_last_xact_replay_timestamp() on a standby. */
  replayTimestamp: number | null;
  /** Only on a primary. */
  replication: ReplicationRow[];
}

export interface NodeSnapshot extends MonitorNodeRow {
  probe: NodeProbe;
  /** Replay lag of this node as seen from the primary; 0 on the primary itself. */
  lagBytes: number | null;
  lagSeconds: number | null;
}

export interface ClusterEvent {
  /** Epoch ms. */
  at: number;
  kind: 'state' | 'log';
  nodeName: string | null;
  nodeId: number | null;
  reportedState: string | null;
  goalState: string | null;
  /** Health in a `state` notification ('good', 'bad', 'unknown'); null for log lines. */
  health?: string | null;
  text: string;
}

export interface MonitorStatus {
  reachable: boolean;
  unreachableSince: number | null;
  error: string | null;
}

export interface ClusterSnapshot {
  /** Epoch ms when the snapshot was assembled. */
  at: number;
  formation: string;
  backend: BackendKind;
  profile: string;
  monitor: MonitorStatus;
  nodes: NodeSnapshot[];
  /**
   * The node that itself reports read-write; when several do, the one the monitor assigns
   * primary; null when none does or the monitor's assignment does not settle it. With several
   * groups, the lowest group's (Citus: the coordinator's).
   */
  primary: string | null;
  /**
   * The nodes that report read-write; with several groups, only those of a group where more than
   * one does. More than one here: split brain, the UI must shout.
   */
  writableNodes: string[];
  /** Several groups only (Citus): each group's primary by group id; `primary` is the lowest group's. */
  groupPrimaries?: Record<number, string | null>;
  events: ClusterEvent[];
}

/** pg_auto_failover states in which Postgres accepts writes. */
export const WRITABLE_STATES: ReadonlySet<string> = new Set([
  'single',
  'wait_primary',
  'primary',
  'apply_settings',
  'prepare_maintenance',
]);
