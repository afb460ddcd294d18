import { Text } from 'ink';

/** More than one node accepts writes: the one thing an HA console must never hide. */
export function SplitBrainBanner({ writableNodes }: { writableNodes: readonly string[] }) {
  return (
    <Text wrap="truncate-end" backgroundColor="red" color="white" bold>
      {` SPLIT BRAIN: ${writableNodes.join(', ')} ${writableNodes.length === 2 ? 'both' : 'all'} accept writes `}
    </Text>
  );
}
