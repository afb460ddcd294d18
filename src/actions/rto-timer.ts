// The timed RTO measurement: make sure writes are flowing, inject a fault into the primary, time
// until the first acknowledged write on another node (client RTO), record the phases from the
// monitor's notifications, restore the victim and wait for it to rejoin as secondary.
import { EventEmitter } from 'node:events';
import type { ClusterBackend } from '../backends/backend.js';
import type { ClusterEvent } from '../cluster/types.js';
import { sleep } from '../lib/time.js';
import type { AckEvent, LoadTest } from './loadtest.js';
import { applyAck, applyEvent, newRun, phaseAt, summarize } from './rto-phases.js';
import type { Fault, RtoRun, RtoSummary } from './types.js';

export interface RtoDeps {
  backend: ClusterBackend;
  /** The running load test (started by the caller). */
  load: LoadTest;
  /** Subscribe to monitor events; returns an unsubscribe function. */
  onEvent: (listener: (ev: ClusterEvent) => void) => () => void;
  /** The node that currently reports read-write. */
  currentPrimary: () => string | null;
  /** Controlled failover through the monitor. */
  failover: () => Promise<void>;
  now?: () => number;
}

export interface RunOptions {
  /** Give up waiting for the first write after this long. */
  rtoTimeoutMs?: number;
  /** Give up waiting for the victim to rejoin after this long (the RTO still counts). */
  rejoinTimeoutMs?: number;
  /** The primary the user confirmed: refuse, injecting nothing, if another node is primary. */
  victim?: string;
}

class Aborted extends Error {}


export class RtoTimer extends EventEmitter {
  private run: RtoRun | null = null;
  readonly history: RtoRun[] = [];
  private aborted = false;
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly deps: RtoDeps) {
    super();
    this.now = deps.now ?? Date.now;
  }

  get current(): RtoRun | null {
    return this.run;
  }

  get running(): boolean {
    return this.run?.status === 'running';
  }

  summary(): RtoSummary {
    return summarize(this.history.filter((r) => r.status === 'done'));
  }

  abort(): void {
    this.aborted = true;
  }

  private update(r: RtoRun): void {
    this.run = r;
    this.emit('change', r);
  }

  private async waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const until = this.now() + timeoutMs;
    while (!pred()) {
      if (this.aborted) throw new Aborted('aborted');
      if (this.now() > until) throw new Error(`${what} did not happen within ${Math.round(timeoutMs / 1000)} s`);
      await sleep(25);
    }
  }

  async measure(fault: Fault, opts: RunOptions = {}): Promise<RtoRun> {
    if (this.running) throw new Error('an RTO run is already in progress');
    this.aborted = false;
    const victim = this.deps.currentPrimary();
    if (!victim) throw new Error('no primary to fail: wait for the cluster to have one');
    if (opts.victim !== undefined && victim !== opts.victim) throw new Error(`the primary moved from ${opts.victim} to ${victim}: nothing injected`);

    // Writes must be flowing to the victim first, or we would time the load test's start-up.
    let lastVictimAck = 0;
    const warm = (a: AckEvent) => {
      if (a.node === victim) lastVictimAck = a.at;
    };
    this.deps.load.on('ack', warm);
    const t0 = this.now();
    try {
      await this.waitFor(() => lastVictimAck >= t0, 15_000, `a write on ${victim}`);
    } finally {
      this.deps.load.off('ack', warm);
    }
    const still = this.deps.currentPrimary();
    if (opts.victim !== undefined && still !== victim) throw new Error(`${victim} stopped being the primary (now ${still ?? 'none'}): nothing injected`);

    const startedAt = this.now();
    this.update(newRun(this.nextId++, fault, victim, startedAt));
    const offEvent = this.deps.onEvent((ev) => {
      if (this.run?.status === 'running') this.update(applyEvent(this.run, ev));
    });
    const onAck = (a: AckEvent) => {
      if (this.run?.status === 'running') this.update(applyAck(this.run, a));
    };
    this.deps.load.on('ack', onAck);
    let injected = false;
    try {
      await this.inject(fault, victim);
      injected = true;
      await this.waitFor(() => this.run!.clientRtoS !== null, opts.rtoTimeoutMs ?? 300_000, 'a write on a new primary');
      await this.restore(fault, victim);
      injected = false;
      await this.waitFor(() => phaseAt(this.run!, 'rejoined') !== null, opts.rejoinTimeoutMs ?? 180_000, `${victim} rejoining as secondary`).catch(
        (err: unknown) => {
          if (err instanceof Aborted) throw err;
          this.update({ ...this.run!, error: (err as Error).message });
        },
      );
      this.update({ ...this.run!, status: 'done' });
    } catch (err) {
      if (injected) await this.restore(fault, victim).catch(() => undefined);
      this.update({ ...this.run!, status: err instanceof Aborted ? 'aborted' : 'failed', error: err instanceof Aborted ? null : (err as Error).message });
    } finally {
      offEvent();
      this.deps.load.off('ack', onAck);
      this.history.push(this.run!);
      this.emit('change', this.run);
    }
    return this.run!;
  }

  private async inject(fault: Fault, victim: string): Promise<void> {
    const b = this.deps.backend;
    if (fault === 'kill') await b.kill(victim);
    else if (fault === 'stop') await b.stop(victim);
    else if (fault === 'freeze') await b.freeze(victim, true);
    else await this.deps.failover();
  }

  private async restore(fault: Fault, victim: string): Promise<void> {
    const b = this.deps.backend;
    if (fault === 'kill' || fault === 'stop') await b.start(victim);
    else if (fault === 'freeze') await b.freeze(victim, false);
  }
}
