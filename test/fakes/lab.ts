// One fake lab per test on vitest's fake clock: the cluster model, its pg connection factory and
// backend. Time moves only when the test advances it, so durations are exact.
import { vi } from 'vitest';
import { FakeBackend, type FakeBackendOptions } from './fake-backend.js';
import { FakeCluster } from './fake-cluster.js';
import { FakePg } from './fake-pg.js';

/** The fake clock's start (any fixed instant: event times are checked relative to it). */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function fakeLab(opts: FakeBackendOptions = {}) {
  vi.useFakeTimers({ now: T0 });
  const cluster = new FakeCluster();
  const pg = new FakePg(cluster);
  const backend = new FakeBackend(cluster, opts);
  return {
    cluster,
    pg,
    backend,
    endpoints: cluster.endpoints(),
    connect: pg.connect,
    /** Ms since T0 on the fake clock. */
    t: () => Date.now() - T0,
    /** Move the fake clock on, running every timer and promise due meanwhile. */
    advance: (ms: number) => vi.advanceTimersByTimeAsync(ms),
  };
}

export type FakeLab = ReturnType<typeof fakeLab>;
