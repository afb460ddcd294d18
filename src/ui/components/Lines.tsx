// Draws pre-built lines (panes.ts): one Text per line, truncated rather than wrapped so a pane
// is exactly as tall as the layout counted.
import { Box, Text } from 'ink';
import type { Line } from '../panes.js';

export function Lines({ lines }: { lines: readonly Line[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.map((s, j) => (
            <Text key={j} color={s.color} bold={s.bold} dimColor={s.dim}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
