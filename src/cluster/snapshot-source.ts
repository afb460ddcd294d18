import type { ClusterSnapshot } from './types.js';

/**
 * Where the UI gets its snapshots from: the ClusterPoller, which polls the cluster once a second;
 * UI tests push fixed snapshots through their own source. Subscribers get every new snapshot.
 */
export interface SnapshotSource {
  current(): ClusterSnapshot | null;
  subscribe(listener: (snap: ClusterSnapshot) => void): () => void;
}
