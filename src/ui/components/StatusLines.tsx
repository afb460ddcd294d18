// The lines just above the help bar: what is running now, then the prompt or the latest message.
// A long message (an error naming a node, a log file) wraps onto a second line rather than losing
// its end; the layout counts the lines through statusLineCount.
import { Box, Text } from 'ink';
import type { ConsoleMessage } from '../../actions/types.js';
import { formatAge } from '../format.js';
import { CONFIRM_HINT } from '../commands.js';
import { lineText, wrapLine } from '../panes.js';

export interface StatusLinesProps {
  busy: { label: string; since: number } | null;
  /** An open confirmation question; it takes the message line. */
  question: string | null;
  /** UI-local message (until the next key), else the controller's. */
  message: Pick<ConsoleMessage, 'level' | 'text'> | null;
  nowMs: number;
  /** Terminal columns; a message wraps at this width. */
  width: number;
}

const LEVEL_COLOR = { error: 'red', ok: 'green', info: undefined } as const;

/** At most this many lines for one message: enough for a path or a reason, and the table stays. */
export const MESSAGE_LINES = 2;

function messageLines(text: string, width: number): string[] {
  return wrapLine([{ text: text.replace(/\s+/g, ' ').trim() }], width).slice(0, MESSAGE_LINES).map(lineText);
}

export function statusLineCount({ busy, question, message, width }: Omit<StatusLinesProps, 'nowMs'>): number {
  const messageCount = question !== null ? 1 : message !== null ? messageLines(message.text, width).length : 0;
  return Number(busy !== null) + messageCount;
}

export function StatusLines({ busy, question, message, nowMs, width }: StatusLinesProps) {
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
        messageLines(message.text, width).map((line, i) => (
          <Text key={i} wrap="truncate-end" color={LEVEL_COLOR[message.level]}>
            {line}
          </Text>
        ))
      ) : null}
    </Box>
  );
}
