import { Text } from 'ink';
import type { MonitorStatus } from '../../cluster/types.js';
import { formatAge, formatClock } from '../format.js';

export function monitorDownText(monitor: MonitorStatus, nowMs: number): string {
  const since =
    monitor.unreachableSince === null
      ? ''
      : ` since ${formatClock(monitor.unreachableSince)} (${formatAge(nowMs, monitor.unreachableSince)})`;
  return `monitor unreachable${since}: ${monitor.error ?? 'no answer'}`;
}

export function MonitorDownBanner({ monitor, nowMs }: { monitor: MonitorStatus; nowMs: number }) {
  return (
    <Text wrap="truncate-end" backgroundColor="red" color="white" bold>
      {` ${monitorDownText(monitor, nowMs)} `}
    </Text>
  );
}
