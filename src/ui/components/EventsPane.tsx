// The monitor's event log, newest last, cut to the rows the terminal can spare.
import { Box, Text } from 'ink';
import type { ClusterEvent } from '../../cluster/types.js';
import { formatClock, stateColor } from '../format.js';

export interface EventsPaneProps {
  events: readonly ClusterEvent[];
  /** Event lines to show (the title is extra). */
  maxLines: number;
}

export function EventsPane({ events, maxLines }: EventsPaneProps) {
  const shown = maxLines > 0 ? events.slice(-maxLines) : [];
  const nameWidth = Math.max(1, ...shown.map((e) => (e.nodeName ?? '').length));
  return (
    <Box flexDirection="column">
      <Text bold>Events</Text>
      {shown.length === 0 ? <Text dimColor>no events yet</Text> : null}
      {shown.map((e, i) => (
        <Text key={`${e.at}-${i}`} wrap="truncate-end">
          <Text dimColor>{formatClock(e.at)} </Text>
          <Text color={e.reportedState ? stateColor(e.reportedState) : undefined}>
            {(e.nodeName ?? '').padEnd(nameWidth)}
          </Text>
          <Text> {e.text}</Text>
        </Text>
      ))}
    </Box>
  );
}
