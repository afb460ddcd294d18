import type { SnapshotSource } from '../../src/cluster/snapshot-source.js';
import type { ClusterSnapshot } from '../../src/cluster/types.js';

/** A source fed by hand: UI tests push the snapshots a scene needs. */
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
