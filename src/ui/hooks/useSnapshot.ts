// The latest snapshot of a SnapshotSource. useSyncExternalStore subscribes before the first
// commit and unsubscribes on unmount, so no snapshot pushed in between is missed.
import { useCallback, useSyncExternalStore } from 'react';
import type { ClusterSnapshot } from '../../cluster/types.js';
import type { SnapshotSource } from '../../cluster/snapshot-source.js';

export function useSnapshot(source: SnapshotSource): ClusterSnapshot | null {
  const subscribe = useCallback((onChange: () => void) => source.subscribe(onChange), [source]);
  const current = useCallback(() => source.current(), [source]);
  return useSyncExternalStore(subscribe, current);
}
