import { Box, Text } from 'ink';
import { formatClock } from '../format.js';

export interface HeaderProps {
  formation: string | null;
  backend: string;
  profile: string;
  nowMs: number;
  /** Null when no node reports read-write (or before the first snapshot). */
  primary: string | null;
  /** False until the first snapshot: "no primary" is not news then. */
  known: boolean;
  /** Firing alerts in the lab's Prometheus (null: it does not answer); absent without monitoring. */
  alertsFiring?: number | null;
}

// Most telling first (primary, profile, alerts): a narrow terminal cuts the formation, never
// those; the clock never shrinks.
export function Header({ formation, backend, profile, nowMs, primary, known, alertsFiring }: HeaderProps) {
  return (
    <Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end">
          <Text bold>pgha-tui</Text>
          <Text dimColor>  primary </Text>
          {primary !== null ? (
            <Text color="green" bold>
              {primary}
            </Text>
          ) : (
            <Text color={known ? 'red' : undefined} bold={known}>
              {known ? 'none' : '–'}
            </Text>
          )}
          <Text dimColor>  profile </Text>
          <Text>{profile}</Text>
          {alertsFiring !== undefined ? (
            <>
              <Text dimColor>  alerts </Text>
              <Text color={alertsFiring ? 'red' : alertsFiring === 0 ? 'green' : undefined} bold={!!alertsFiring}>
                {alertsFiring === null ? '?' : `${alertsFiring} firing`}
              </Text>
            </>
          ) : null}
          <Text dimColor>  backend </Text>
          <Text>{backend}</Text>
          <Text dimColor>  formation </Text>
          <Text>{formation ?? '–'}</Text>
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text>{formatClock(nowMs)}</Text>
      </Box>
    </Box>
  );
}
