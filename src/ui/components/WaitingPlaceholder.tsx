import { Text } from 'ink';

export function WaitingPlaceholder() {
  return <Text dimColor>waiting for first snapshot…</Text>;
}
