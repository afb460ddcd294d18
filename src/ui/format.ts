// Pure formatting for the console: plain data in, strings (and colour names) out. Nothing here
// renders, so every figure the table shows is unit-tested without Ink.
import { nodeAccess, type Access } from '../cluster/access.js';
import type { ClusterSnapshot, NodeSnapshot } from '../cluster/types.js';
import { formatBytes, UNKNOWN } from '../lib/bytes.js';

export { formatBytes, UNKNOWN };

/** The Ink colour names this console uses. */
export type UiColor = 'green' | 'cyan' | 'yellow' | 'magenta' | 'blue' | 'red' | 'gray' | 'white';

/** A lag duration: sub-second precision while small, minutes once it is long enough to matter. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return UNKNOWN;
  if (seconds < 0) return `-${formatSeconds(-seconds)}`;
  if (seconds === 0) return '0 s';
  // Compare after rounding, so 9.999 reads "10.0 s", not "10.00 s".
  if (Number(seconds.toFixed(2)) < 10) return `${seconds.toFixed(2)} s`;
  if (Number(seconds.toFixed(1)) < 60) return `${seconds.toFixed(1)} s`;
  return formatDuration(Math.round(seconds));
}

/** Whole seconds as "42s", "2m05s", "1h02m". */
function formatDuration(totalSeconds: number): string {
  if (totalSeconds < 60) return `${totalSeconds}s`;
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    return `${m}m${pad2(totalSeconds % 60)}s`;
  }
  const h = Math.floor(totalSeconds / 3600);
  return `${h}h${pad2(Math.floor((totalSeconds % 3600) / 60))}m`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** How long ago `thenMs` was. A timestamp from the future (clock skew) counts as "0s". */
export function formatAge(nowMs: number, thenMs: number | null): string {
  if (thenMs === null || !Number.isFinite(thenMs)) return UNKNOWN;
  return formatDuration(Math.max(0, Math.floor((nowMs - thenMs) / 1000)));
}

/** Local wall-clock time, HH:MM:SS. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

// Colour families of pg_auto_failover states: serving writes, replicating, in transition,
// being taken down, maintenance, lost.
const STATE_COLORS: Record<string, UiColor> = {
  single: 'green',
  wait_primary: 'green',
  primary: 'green',
  join_primary: 'green',
  apply_settings: 'green',
  secondary: 'cyan',
  init: 'yellow',
  catchingup: 'yellow',
  wait_standby: 'yellow',
  join_secondary: 'yellow',
  report_lsn: 'yellow',
  fast_forward: 'yellow',
  draining: 'magenta',
  demoted: 'magenta',
  demote_timeout: 'magenta',
  stop_replication: 'magenta',
  prepare_promotion: 'magenta',
  maintenance: 'blue',
  wait_maintenance: 'blue',
  prepare_maintenance: 'blue',
  unknown: 'red',
  dropped: 'red',
};

/** Ink colour for a pg_auto_failover state; a state we have never heard of stays plain. */
export function stateColor(state: string | null): UiColor {
  if (state === null) return 'red';
  return STATE_COLORS[state] ?? 'white';
}

export function healthColor(health: string): UiColor {
  if (health === 'good') return 'green';
  if (health === 'bad') return 'red';
  return 'gray';
}

export const ROLE_DOWN = 'down';

/** Out of recovery yet refusing writes (see cluster/access.ts); short enough for 80 columns. */
export const ROLE_PROMOTED_READ_ONLY = 'promoted r/o';

const ACCESS_LABEL: Record<Access, string> = {
  'read-write': 'read-write',
  'read-only': 'read-only',
  'promoted-read-only': ROLE_PROMOTED_READ_ONLY,
  down: ROLE_DOWN,
  unknown: '?',
};

/** What the node says about itself, not what the monitor assigned. */
export function accessLabel(access: Access): string {
  return ACCESS_LABEL[access];
}

export function roleColor(role: string): UiColor {
  if (role === 'read-write') return 'green';
  if (role === 'read-only') return 'cyan';
  if (role === ROLE_PROMOTED_READ_ONLY) return 'yellow';
  if (role === ROLE_DOWN) return 'red';
  return 'gray';
}

// ---- Node table: columns and rows ----

export type NodeColumnKey =
  | 'node'
  | 'reported'
  | 'assigned'
  | 'health'
  | 'role'
  | 'tli'
  | 'lsn'
  | 'lag'
  | 'lagSeconds'
  | 'priority'
  | 'hostPort'
  | 'reportAge';

/** One display row: every cell already a string. */
export type NodeRow = Record<NodeColumnKey, string>;

export interface NodeColumn {
  key: NodeColumnKey;
  header: string;
  align: 'left' | 'right';
  /** Dropped on narrow terminals. */
  wideOnly: boolean;
  /** Comes from the monitor, so it goes stale while the monitor is unreachable. */
  fromMonitor: boolean;
}

export const NODE_COLUMNS: readonly NodeColumn[] = [
  { key: 'node', header: 'Node', align: 'left', wideOnly: false, fromMonitor: false },
  { key: 'reported', header: 'Reported', align: 'left', wideOnly: false, fromMonitor: true },
  { key: 'assigned', header: 'Assigned', align: 'left', wideOnly: false, fromMonitor: true },
  { key: 'health', header: 'Health', align: 'left', wideOnly: false, fromMonitor: true },
  { key: 'role', header: 'Role', align: 'left', wideOnly: false, fromMonitor: false },
  { key: 'tli', header: 'TL', align: 'right', wideOnly: false, fromMonitor: true },
  { key: 'lsn', header: 'LSN', align: 'left', wideOnly: false, fromMonitor: false },
  { key: 'lag', header: 'Lag', align: 'right', wideOnly: false, fromMonitor: false },
  { key: 'lagSeconds', header: 'Lag s', align: 'right', wideOnly: false, fromMonitor: false },
  { key: 'priority', header: 'Prio', align: 'right', wideOnly: false, fromMonitor: true },
  { key: 'hostPort', header: 'Host:Port', align: 'left', wideOnly: true, fromMonitor: true },
  { key: 'reportAge', header: 'Report age', align: 'right', wideOnly: true, fromMonitor: true },
];

/** Below this width the table drops its wide-only columns. */
export const NARROW_COLUMNS = 100;

export function columnsForWidth(width: number): NodeColumn[] {
  return NODE_COLUMNS.filter((c) => width >= NARROW_COLUMNS || !c.wideOnly);
}

export function nodeRow(node: NodeSnapshot, nowMs: number): NodeRow {
  return {
    node: node.name,
    reported: node.reportedState,
    assigned: node.assignedState,
    health: node.health,
    role: accessLabel(nodeAccess(node.probe)),
    tli: node.reportedTli === null ? UNKNOWN : String(node.reportedTli),
    // The node's own LSN is fresher than the monitor's last report; fall back while it is down.
    lsn: node.probe.lsn ?? node.reportedLsn ?? UNKNOWN,
    lag: formatBytes(node.lagBytes),
    lagSeconds: formatSeconds(node.lagSeconds),
    priority: String(node.candidatePriority),
    hostPort: `${node.host}:${node.port}`,
    reportAge: formatAge(nowMs, node.reportTime),
  };
}

export function nodeRows(snapshot: Pick<ClusterSnapshot, 'nodes'>, nowMs: number): NodeRow[] {
  return snapshot.nodes.map((n) => nodeRow(n, nowMs));
}

/**
 * For each node row, the title line drawn above it: `group N` where a group starts, in a
 * formation of several groups (Citus); null everywhere for one group.
 */
export function groupTitles(nodes: readonly Pick<NodeSnapshot, 'groupId'>[]): (string | null)[] {
  if (new Set(nodes.map((n) => n.groupId)).size <= 1) return nodes.map(() => null);
  return nodes.map((n, i) => (i === 0 || nodes[i - 1]!.groupId !== n.groupId ? `group ${n.groupId}` : null));
}

/** Width of each column: the longest of its header and cells. */
export function columnWidths(rows: readonly NodeRow[], columns: readonly NodeColumn[]): number[] {
  return columns.map((c) => Math.max(c.header.length, ...rows.map((r) => r[c.key].length)));
}

export function padCell(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/** Colour of one table cell, decided from its column and text. */
export function cellColor(key: NodeColumnKey, text: string): UiColor | undefined {
  switch (key) {
    case 'reported':
    case 'assigned':
      return stateColor(text);
    case 'health':
      return healthColor(text);
    case 'role':
      return roleColor(text);
    default:
      return undefined;
  }
}
