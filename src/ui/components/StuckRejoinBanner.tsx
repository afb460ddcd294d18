import { Text } from 'ink';
import type { StuckRejoin } from '../../cluster/stuck-rejoin.js';
import type { BackendKind } from '../../cluster/types.js';
import { formatAge } from '../format.js';

const WHEN = 'if its log says "no rewind required" or "recovery stop point" (README Troubleshooting)';

/** What to do about it depends on who owns the node: only the compose lab has `rebuild`. The command comes first: a narrow terminal cuts the end. */
function remedy(backend: BackendKind, node: string): string {
  if (backend === 'compose') return `pgha-tui rebuild ${node} ${WHEN}`;
  if (backend === 'local') return `pgha-tui down --volumes, then up, ${WHEN}`;
  return 'see README Troubleshooting';
}

export function stuckRejoinText(stuck: readonly StuckRejoin[], backend: BackendKind, nowMs: number): string {
  const first = stuck[0]!;
  const others = stuck.length > 1 ? ` (and ${stuck.slice(1).map((s) => s.node).join(', ')})` : '';
  return `${first.node}${others} rejoining (${first.state}) for ${formatAge(nowMs, first.sinceMs)}: ${remedy(backend, first.node)}`;
}

export function StuckRejoinBanner({ stuck, backend, nowMs }: { stuck: readonly StuckRejoin[]; backend: BackendKind; nowMs: number }) {
  return (
    <Text wrap="truncate-end" color="yellow" bold>
      {stuckRejoinText(stuck, backend, nowMs)}
    </Text>
  );
}
