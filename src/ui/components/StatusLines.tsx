// The lines just above the help bar: what is running now, then the prompt or the latest message.
import { Box, Text } from 'ink';
import type { ConsoleMessage } from '../../actions/types.js';
import { formatAge } from '../format.js';
import { CONFIRM_HINT } from '../commands.js';

export interface StatusLinesProps {
  busy: { label: string; since: number } | null;
  /** An open confirmation question; it takes the message line. */
  question: string | null;
  /** UI-local message (until the next key), else the controller's. */
  message: Pick<ConsoleMessage, 'level' | 'text'> | null;
  nowMs: number;
}

const LEVEL_COLOR = { error: 'red', ok: 'green', info: undefined } as const;

export function statusLineCount({ busy, question, message }: Omit<StatusLinesProps, 'nowMs'>): number {
  return Number(busy !== null) + Number(question !== null || message !== null);
}

export function StatusLines({ busy, question, message, nowMs }: StatusLinesProps) {
  return (
    <Box flexDirection="column">
      {busy ? (
        <Text wrap="truncate-end" color="yellow">
          ⏳ {busy.label} … {formatAge(nowMs, busy.since)}
        </Text>
      ) : null}
      {question !== null ? (
        // The question may be cut on a narrow terminal; the answer keys never are.
        <Box>
          <Box flexShrink={1}>
            <Text wrap="truncate-end" bold color="yellow">
              {question}
            </Text>
          </Box>
          <Box flexShrink={0}>
            <Text> {CONFIRM_HINT}</Text>
          </Box>
        </Box>
      ) : message !== null ? (
        <Text wrap="truncate-end" color={LEVEL_COLOR[message.level]}>
          {message.text}
        </Text>
      ) : null}
    </Box>
  );
}
