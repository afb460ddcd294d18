import type { ClusterSnapshot } from './types.js';

/**
 * Where the UI gets its snapshots from. The live implementation polls the cluster once a second;
 * tests feed fixed snapshots. Subscribers are called on every new snapshot.
 */
export interface SnapshotSource {
  current(): ClusterSnapshot | null;
  subscribe(listener: (snap: ClusterSnapshot) => void): () => void;
}

/** A source fed by hand: used by UI tests and by the live poller underneath. */
export class ManualSnapshotSource implements SnapshotSource {
  private last: ClusterSnapshot | null = null;
  private readonly listeners = new Set<(snap: ClusterSnapshot) => void>();

  current(): ClusterSnapshot | null {
    return this.last;
  }

  subscribe(listener: (snap: ClusterSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(snap: ClusterSnapshot): void {
    this.last = snap;
    for (const l of this.listeners) l(snap);
  }
}
