// The monitor's events, newest last, in as many lines as the terminal can spare: short lines, or
// the monitor's own sentences (the events key switches).
import { Box, Text } from 'ink';
import type { PlainEvent } from '../../cluster/event-words.js';
import { eventPaneLines, type EventView } from '../event-lines.js';
import { Lines } from './Lines.js';

export interface EventsPaneProps {
  events: readonly PlainEvent[];
  /** Event lines to show (the title is extra). */
  maxLines: number;
  view: EventView;
  width: number;
  /** The key that switches the view, for the title. */
  switchKey: string;
}

export function EventsPane({ events, maxLines, view, width, switchKey }: EventsPaneProps) {
  const hint = view === 'short' ? `${switchKey}: the monitor's full messages` : `${switchKey}: short lines`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Events</Text>
        <Text dimColor>{`  ${hint}`}</Text>
      </Text>
      {events.length === 0 ? <Text dimColor>no events yet</Text> : <Lines lines={eventPaneLines(events, view, width, maxLines)} />}
    </Box>
  );
}
