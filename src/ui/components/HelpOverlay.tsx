// Every binding with its description, straight from the keymap.
import { Box, Text } from 'ink';
import { keysText, type KeyBinding } from '../keymap.js';

export function HelpOverlay({ bindings }: { bindings: readonly KeyBinding[] }) {
  const width = Math.max(...bindings.map((b) => keysText(b).length));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys</Text>
      {bindings.map((b) => (
        <Text key={b.id} wrap="truncate-end">
          <Text bold color="cyan">
            {keysText(b).padEnd(width)}
          </Text>
          <Text>  {b.description}</Text>
        </Text>
      ))}
    </Box>
  );
}
