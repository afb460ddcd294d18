// A ConsoleController for UI tests: state is set by hand and pushed to subscribers; every
// action is a vi.fn that resolves and changes nothing (tests set the state they want to see).
import { vi, type Mock } from 'vitest';
import type {
  ConsoleActions,
  ConsoleController,
  ConsoleState,
  LedgerVerdict,
  LoadStats,
  RtoRun,
} from '../../src/actions/types.js';
import { NOW } from './fixtures.js';

export function consoleState(overrides: Partial<ConsoleState> = {}): ConsoleState {
  return {
    profile: 'fast',
    gucs: [
      { name: 'health_check_period', value: '1000', tradeoff: 'how often the monitor probes each node' },
      { name: 'node_considered_unhealthy_timeout', value: '2000', tradeoff: 'silence before failover starts' },
    ],
    busy: null,
    message: null,
    load: null,
    verdict: null,
    rto: { current: null, history: [], summary: { runs: 0, minS: null, medianS: null, maxS: null } },
    processes: { node1: 'running', node2: 'running', node3: 'running' },
    canPartition: false,
    partitioned: [],
    splitBrain: null,
    offer: null,
    ...overrides,
  };
}

export class FakeController implements ConsoleController {
  private current: ConsoleState;
  private readonly listeners = new Set<(s: ConsoleState) => void>();

  readonly failover = vi.fn(async (): Promise<void> => undefined);
  readonly promote = vi.fn(async (): Promise<void> => undefined);
  readonly killPrimary = vi.fn(async (): Promise<void> => undefined);
  readonly restart = vi.fn(async (_node: string): Promise<void> => undefined);
  readonly toggleStop = vi.fn(async (_node: string): Promise<void> => undefined);
  readonly toggleFreeze = vi.fn(async (_node: string): Promise<void> => undefined);
  readonly togglePartition = vi.fn(async (_node: string): Promise<void> => undefined);
  readonly toggleMaintenance = vi.fn(async (_node: string): Promise<void> => undefined);
  readonly toggleLoad = vi.fn(async (): Promise<void> => undefined);
  readonly toggleRto = vi.fn(async (): Promise<void> => undefined);
  readonly nextProfile = vi.fn(async (): Promise<void> => undefined);
  readonly acceptOffer = vi.fn(async (): Promise<void> => undefined);
  readonly declineOffer = vi.fn((): void => undefined);

  constructor(initial: Partial<ConsoleState> = {}) {
    this.current = consoleState(initial);
  }

  state(): ConsoleState {
    return this.current;
  }

  subscribe(listener: (s: ConsoleState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replace part of the state and tell every subscriber, like the real controller. */
  set(partial: Partial<ConsoleState>): void {
    this.current = { ...this.current, ...partial };
    for (const l of this.listeners) l(this.current);
  }

  /** Every action mock by its method name (the compiler checks that none is missing). */
  mocks(): { [M in keyof ConsoleActions]: Mock } {
    return {
      failover: this.failover,
      promote: this.promote,
      killPrimary: this.killPrimary,
      restart: this.restart,
      toggleStop: this.toggleStop,
      toggleFreeze: this.toggleFreeze,
      togglePartition: this.togglePartition,
      toggleMaintenance: this.toggleMaintenance,
      toggleLoad: this.toggleLoad,
      toggleRto: this.toggleRto,
      nextProfile: this.nextProfile,
      acceptOffer: this.acceptOffer,
      declineOffer: this.declineOffer,
    };
  }

  /** Every action mock, for "nothing was called" checks. */
  actions(): Mock[] {
    return Object.values(this.mocks());
  }
}

export function loadStats(overrides: Partial<LoadStats> = {}): LoadStats {
  return {
    running: true,
    clients: 8,
    startedAt: NOW - 60_000,
    tps: 412.4,
    acknowledged: 12345,
    errors: 3,
    reconnects: 2,
    unknown: 1,
    lastError: 'terminating connection due to administrator command',
    target: 'node1',
    lastAckAt: NOW - 100,
    // A minute of load with a failover in it: 6 s without an acknowledged write.
    perSecond: [...Array(40).fill(410), ...Array(6).fill(0), 120, ...Array(13).fill(405)],
    ...overrides,
  };
}

export function verdict(overrides: Partial<LedgerVerdict> = {}): LedgerVerdict {
  return {
    checkedAt: NOW,
    readFrom: 'node2',
    acknowledged: 12345,
    present: 12345,
    lost: 0,
    lostSample: [],
    unknown: 1,
    unknownCommitted: 1,
    ok: true,
    ...overrides,
  };
}

/** A kill run on node1 that node2 took over: fault at T, first write 4.3 s later. */
export function finishedRun(id: number, clientRtoS: number, overrides: Partial<RtoRun> = {}): RtoRun {
  const t = NOW - 30_000;
  return {
    id,
    fault: 'kill',
    victim: 'node1',
    newPrimary: 'node2',
    startedAt: t - 50,
    clientRtoS,
    phases: [
      { name: 'fault', at: t, detail: 'SIGKILL node1' },
      { name: 'detected', at: t + 1_250, detail: 'monitor marked node1 unhealthy' },
      { name: 'election', at: t + 2_000, detail: 'node2 reported report_lsn' },
      { name: 'promotion', at: t + 3_500, detail: 'node2 reported wait_primary' },
      { name: 'first-write', at: t + clientRtoS * 1000, detail: 'ack from node2' },
      { name: 'rejoined', at: null, detail: null },
    ],
    status: 'done',
    error: null,
    ...overrides,
  };
}
