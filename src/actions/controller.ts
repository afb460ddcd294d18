// The console's actions behind its keys, as plain state plus methods (no React). One destructive
// action at a time; every failure becomes a message, never an exception out of here.
import type { ClusterBackend, Permission } from '../backends/backend.js';
import type { RouteHost } from '../cluster/multi-host.js';
import { connect, errorLine, type Connect } from '../cluster/pg.js';
import type { AlertsPoller } from '../cluster/alerts-poller.js';
import type { ClusterPoller } from '../cluster/poller.js';
import type { Endpoints, ProcessState } from '../cluster/types.js';
import { nextProfileName } from '../cluster/profiles.js';
import type { ExitReport } from './exit-report.js';
import { controlledFailover, controlledPromotion } from './failover.js';
import { labAdvice, declined, type LabFindings } from './lab-check.js';
import { LoadTest } from './loadtest.js';
import { inMaintenance, setMaintenance } from './maintenance.js';
import { applyProfile, readProfile } from './profile.js';
import { RtoTimer } from './rto-timer.js';
import { SplitBrainWatcher } from './split-brain.js';
import { targetRefusal, type ConfirmedTarget } from './target.js';
import type { ConsoleController, ConsoleMessage, ConsoleState } from './types.js';

export interface ControllerDeps {
  backend: ClusterBackend;
  endpoints: Endpoints;
  poller: ClusterPoller;
  clients: number;
  now?: () => number;
  connect?: Connect;
  /** The lab's alerts, when it runs monitoring. */
  alerts?: AlertsPoller | null;
  /** Attach mode: load clients use the formation's multi-host route (see LoadTest). */
  route?: RouteHost[];
}

export class LiveController implements ConsoleController {
  private st: ConsoleState;
  private readonly listeners = new Set<(s: ConsoleState) => void>();
  private load: LoadTest | null = null;
  private rto: RtoTimer | null = null;
  private readonly now: () => number;
  private readonly connect: Connect;
  private readonly unsubscribe: () => void;
  private liveTimer: NodeJS.Timeout | null = null;
  /** The destructive action running now: quitting waits for it (an RTO run is aborted first). */
  private inflight: Promise<void> | null = null;
  /** Aborts a lab start the user accepted from the start-up offer. */
  private readonly starting = new AbortController();
  private findings: LabFindings | null = null;
  private closed = false;

  constructor(private readonly deps: ControllerDeps) {
    this.now = deps.now ?? Date.now;
    this.connect = deps.connect ?? connect;
    this.st = {
      profile: '…',
      gucs: [],
      busy: null,
      message: null,
      load: null,
      verdict: null,
      rto: { current: null, history: [], summary: { runs: 0, minS: null, medianS: null, maxS: null } },
      processes: {},
      canPartition: typeof deps.backend.partition === 'function',
      refusals: refusalsOf(deps.backend),
      partitioned: [],
      splitBrain: null,
      offer: null,
    };
    // Process states are cheap to read (/proc or the Docker API); refresh them with each snapshot.
    const offSnap = deps.poller.subscribe(() => void this.refreshProcesses());
    const offAlerts = deps.alerts?.subscribe((monitoring) => this.set({ monitoring }));
    if (deps.alerts) this.st.monitoring = deps.alerts.current();
    this.unsubscribe = () => {
      offSnap();
      offAlerts?.();
    };
  }

  state(): ConsoleState {
    return this.st;
  }

  subscribe(listener: (s: ConsoleState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ConsoleState>): void {
    this.st = { ...this.st, ...patch };
    for (const l of this.listeners) l(this.st);
  }

  private say(level: ConsoleMessage['level'], text: string): void {
    this.set({ message: { level, text, at: this.now() } });
  }

  /** Read (or first apply) the monitor's profile and find cut-off nodes. Never throws. */
  async init(profile?: string): Promise<void> {
    try {
      const live = profile ? await applyProfile(this.deps.endpoints.monitorAdmin, profile, this.connect) : await readProfile(this.deps.endpoints.monitorAdmin, this.connect);
      this.set({ profile: live.name, gucs: live.gucs });
    } catch (err) {
      this.say('error', `could not read the monitor's settings: ${errorLine(err)}`);
    }
    // A node cut off by an earlier console (or `pgha-tui partition`) is still cut off.
    const backend = this.deps.backend;
    if (backend.isPartitioned) {
      const cut: string[] = [];
      for (const n of backend.nodeNames()) if (await backend.isPartitioned(n).catch(() => false)) cut.push(n);
      if (cut.length > 0) this.set({ partitioned: cut });
    }
  }

  private async refreshProcesses(): Promise<void> {
    const processes: Record<string, ProcessState> = {};
    for (const n of this.deps.backend.nodeNames()) {
      processes[n] = await this.deps.backend.processState(n).catch(() => 'stopped' as const);
    }
    if (JSON.stringify(processes) !== JSON.stringify(this.st.processes)) this.set({ processes });
  }

  /** Run one destructive action; a second one while it runs is refused with the reason. */
  private async exclusive(label: string, fn: () => Promise<string | void>): Promise<void> {
    if (this.st.busy) {
      this.say('info', `waiting: ${this.st.busy.label} is still running`);
      return;
    }
    if (this.closed) return;
    this.set({ busy: { label, since: this.now() }, message: null });
    const run = (async () => {
      try {
        const done = await fn();
        this.set({ busy: null });
        this.say('ok', done || `${label}: done`);
      } catch (err) {
        this.set({ busy: null });
        this.say('error', `${label} failed: ${errorLine(err)}`);
      } finally {
        void this.refreshProcesses();
      }
    })();
    this.inflight = run;
    await run;
    if (this.inflight === run) this.inflight = null;
  }

  /** True (and the reason said) when the cluster no longer matches what the prompt named. */
  private async refused(t: ConfirmedTarget | undefined): Promise<boolean> {
    if (!t) return false;
    const backend = this.deps.backend;
    const snap = this.deps.poller.current();
    const process = t.process === undefined ? undefined : await backend.processState(t.node).catch(() => undefined);
    const cut = t.cut === undefined ? undefined : backend.isPartitioned ? await backend.isPartitioned(t.node).catch(() => undefined) : this.st.partitioned.includes(t.node);
    const maintenance = t.maintenance === undefined ? undefined : this.inMaintenance(t.node);
    const why = targetRefusal(t, { primary: snap?.primary ?? null, nodes: snap ? snap.nodes.map((n) => n.name) : backend.nodeNames(), process, cut, maintenance });
    if (why) this.say('error', why);
    return why !== null;
  }

  /** False (and the reason said) when the backend does not allow this kind of action. */
  private allowed(p: Permission): boolean {
    const why = this.st.refusals?.[p];
    if (why) this.say('error', why);
    return !why;
  }

  private primary(): string | null {
    return this.deps.poller.current()?.primary ?? null;
  }

  async failover(target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('actions')) return;
    if (await this.refused(target)) return;
    return this.exclusive('controlled failover', async () => {
      await controlledFailover(this.deps.endpoints.monitor, this.deps.poller.formation, this.connect);
      return 'failover requested: watch the states move';
    });
  }

  async promote(node: string, target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('actions')) return;
    if (await this.refused(target)) return;
    if (this.primary() === node) {
      this.say('error', `${node} is the primary already: nothing to promote`);
      return;
    }
    return this.exclusive(`promote ${node}`, async () => {
      const started = await controlledPromotion(this.deps.endpoints.monitor, this.deps.poller.formation, node, this.connect);
      return started ? `promotion of ${node} requested: watch the states move` : `${node} is the primary already: nothing done`;
    });
  }

  async killPrimary(target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('host')) return;
    if (await this.refused(target)) return;
    // The node the prompt named, not whichever is primary by now.
    const p = target?.node ?? this.primary();
    if (!p) {
      this.say('error', 'no primary to kill right now');
      return Promise.resolve();
    }
    return this.exclusive(`kill ${p}`, async () => {
      await this.deps.backend.kill(p);
      return `${p} killed (SIGKILL): start it again with s`;
    });
  }

  async restart(node: string, target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('host')) return;
    if (await this.refused(target)) return;
    return this.exclusive(`restart ${node}`, async () => {
      if ((await this.deps.backend.processState(node)) !== 'stopped') await this.deps.backend.stop(node);
      await this.deps.backend.start(node);
      return `${node} restarted`;
    });
  }

  async toggleStop(node: string, target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('host')) return;
    if (await this.refused(target)) return;
    const stopped = (await this.deps.backend.processState(node)) === 'stopped';
    return this.exclusive(`${stopped ? 'start' : 'stop'} ${node}`, async () => {
      if (stopped) await this.deps.backend.start(node);
      else await this.deps.backend.stop(node);
    });
  }

  async toggleFreeze(node: string, target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('host')) return;
    if (await this.refused(target)) return;
    const frozen = (await this.deps.backend.processState(node)) === 'frozen';
    return this.exclusive(`${frozen ? 'thaw' : 'freeze'} ${node}`, async () => {
      await this.deps.backend.freeze(node, !frozen);
    });
  }

  /**
   * Cut a node off the lab network, or reconnect it. Cutting off the primary also starts the
   * split-brain watch (and the load test, so the cluster is under load while it fails over).
   */
  async togglePartition(node: string, target?: ConfirmedTarget): Promise<void> {
    if (!this.allowed('host')) return;
    const backend = this.deps.backend;
    if (!backend.partition) {
      this.say('error', 'network partitions need the compose backend');
      return;
    }
    if (await this.refused(target)) return;
    const remembered = this.st.partitioned.includes(node);
    const cut = backend.isPartitioned ? await backend.isPartitioned(node).catch(() => remembered) : remembered;
    return this.exclusive(`${cut ? 'heal' : 'partition'} ${node}`, async () => {
      if (cut) {
        await backend.partition!(node, false);
        this.set({ partitioned: this.st.partitioned.filter((n) => n !== node) });
        if (this.watcher) {
          const w = this.watcher;
          this.watcher = null;
          this.offWatch?.();
          const final = await w.stop();
          this.set({ splitBrain: final });
          return `${node} reconnected; split-brain writes: ${final.afterPromotion}`;
        }
        return `${node} reconnected`;
      }
      if (node === this.primary()) {
        this.ensureLoad();
        const w = new SplitBrainWatcher(node, this.deps.endpoints.nodes[node]!, this.now, this.connect);
        // Listen before the first write: when the cut lands at once, that write hangs and start()
        // has already shown the watch's state only through these events.
        w.on('change', (s) => this.set({ splitBrain: s }));
        this.offWatch = this.deps.poller.onEvent((ev) => w.onEvent(ev));
        this.watcher = w;
        try {
          await w.start();
        } catch (err) {
          this.offWatch();
          this.offWatch = null;
          this.watcher = null;
          throw err;
        }
        this.set({ splitBrain: w.state() });
      }
      await backend.partition!(node, true);
      this.set({ partitioned: [...this.st.partitioned, node] });
      return `${node} cut off the lab network${this.watcher ? ': watching it for split-brain writes' : ''}`;
    });
  }

  /** As the monitor last said (undefined when the node is not in the snapshot). */
  private inMaintenance(node: string): boolean | undefined {
    const row = this.deps.poller.current()?.nodes.find((n) => n.name === node);
    return row ? inMaintenance(row) : undefined;
  }

  async toggleMaintenance(node: string, target?: ConfirmedTarget): Promise<void> {
    if (await this.refused(target)) return;
    const on = !(target?.maintenance ?? this.inMaintenance(node) ?? false);
    const wasPrimary = node === this.primary();
    return this.exclusive(`maintenance ${on ? 'on' : 'off'} for ${node}`, async () => {
      await setMaintenance(this.deps.endpoints.monitor, this.deps.poller.formation, node, on, this.connect);
      if (!on) return `${node} leaves maintenance: catchingup, then secondary`;
      return wasPrimary ? `${node} goes into maintenance: the monitor fails over first` : `${node} goes into maintenance: wait_maintenance, then maintenance`;
    });
  }

  private watcher: SplitBrainWatcher | null = null;
  private offWatch: (() => void) | null = null;

  private ensureLoad(): LoadTest {
    if (this.load?.isRunning) return this.load;
    this.load = new LoadTest({ endpoints: this.deps.endpoints, clients: this.deps.clients, formation: this.deps.poller.formation, route: this.deps.route, now: this.now, connect: this.connect });
    this.load.start();
    this.set({ verdict: null });
    this.startLiveUpdates();
    return this.load;
  }

  /** Push load counters and the RTO clock while either runs. */
  private startLiveUpdates(): void {
    if (this.liveTimer) return;
    this.liveTimer = setInterval(() => {
      const loadRunning = this.load?.isRunning ?? false;
      this.set({ load: this.load ? this.load.snapshot() : null });
      if (!loadRunning && !this.rto?.running && this.liveTimer) {
        clearInterval(this.liveTimer);
        this.liveTimer = null;
      }
    }, 250);
  }

  async toggleLoad(): Promise<void> {
    if (this.rto?.running) {
      this.say('info', 'waiting: the RTO measurement uses the load test; press t to abort it first');
      return;
    }
    if (this.load?.isRunning) {
      const load = this.load;
      this.say('info', `stopping the load test and reading ${load.ledger.acknowledged.length} ids back…`);
      try {
        const verdict = await load.stop();
        this.set({ verdict, load: load.snapshot() });
        this.say(verdict.ok ? 'ok' : 'error', verdict.ok ? `0 lost of ${verdict.acknowledged} acknowledged` : `${verdict.lost} LOST of ${verdict.acknowledged} acknowledged`);
      } catch (err) {
        this.say('error', `ledger check failed: ${errorLine(err)}`);
      }
      return;
    }
    if (!this.allowed('actions')) return;
    this.ensureLoad();
    this.say('info', `load test started with ${this.deps.clients} clients`);
  }

  async toggleRto(target?: ConfirmedTarget): Promise<void> {
    if (this.rto?.running) {
      this.rto.abort();
      this.say('info', 'aborting the RTO measurement (the victim is restored)');
      return;
    }
    if (this.st.busy) {
      this.say('info', `waiting: ${this.st.busy.label} is still running`);
      return;
    }
    if (!this.allowed('host') || !this.allowed('actions')) return;
    if (await this.refused(target)) return;
    const load = this.ensureLoad();
    const rto = new RtoTimer({
      backend: this.deps.backend,
      load,
      onEvent: (l) => this.deps.poller.onEvent(l),
      currentPrimary: () => this.primary(),
      failover: () => controlledFailover(this.deps.endpoints.monitor, this.deps.poller.formation, this.connect),
      now: this.now,
    });
    // Keep the history across runs: carry the previous timer's runs over.
    if (this.rto) rto.history.push(...this.rto.history);
    this.rto = rto;
    rto.on('change', () => this.set({ rto: { current: rto.current, history: [...rto.history], summary: rto.summary() } }));
    await this.exclusive('RTO measurement', async () => {
      const run = await rto.measure('kill', { victim: target?.node });
      if (run.status === 'aborted') return 'RTO measurement aborted; the victim was restored';
      if (run.status === 'failed') throw new Error(run.error ?? 'failed');
      return `client RTO ${run.clientRtoS?.toFixed(2)} s (${run.victim} -> ${run.newPrimary})`;
    });
  }

  nextProfile(): Promise<void> {
    if (!this.allowed('profile')) return Promise.resolve();
    const next = nextProfileName(this.st.profile);
    return this.exclusive(`switch to profile ${next}`, async () => {
      const live = await applyProfile(this.deps.endpoints.monitorAdmin, next, this.connect);
      this.set({ profile: live.name, gucs: live.gucs });
      return `profile ${live.name} active on the monitor`;
    });
  }

  /**
   * Look at the lab once the console is drawn: faults an earlier session (or a crash) left
   * behind are named with what undoes them, and offered as one y/Esc question.
   */
  async inspectLab(): Promise<void> {
    const backend = this.deps.backend;
    // Processes it cannot see, a formation it must not start: nothing to inspect or offer.
    if (this.st.refusals?.host) return;
    // The first snapshot says whether the monitor answers and who is primary (at most ~1 s).
    const until = this.now() + 3000;
    while (!this.deps.poller.current() && this.now() < until && !this.closed) await new Promise((r) => setTimeout(r, 100));
    const snap = this.deps.poller.current();
    const frozen: string[] = [];
    const stopped: string[] = [];
    for (const n of backend.nodeNames()) {
      const st = await backend.processState(n).catch(() => 'running' as const);
      if (st === 'frozen') frozen.push(n);
      else if (st === 'stopped') stopped.push(n);
    }
    const findings: LabFindings = { frozen, stopped, monitorDown: snap ? !snap.monitor.reachable : false, partitioned: this.st.partitioned, primary: snap?.primary ?? null };
    const advice = labAdvice(findings);
    if (this.closed) return;
    this.findings = findings;
    if (advice.offer) this.set({ offer: advice.offer });
    else if (advice.text) this.say('info', advice.text);
  }

  acceptOffer(): Promise<void> {
    const f = this.findings;
    this.set({ offer: null });
    if (!f) return Promise.resolve();
    const starts = f.stopped.length > 0 || f.monitorDown;
    return this.exclusive(starts ? 'starting the lab' : `thawing ${f.frozen.join(', ')}`, async () => {
      const backend = this.deps.backend;
      // Thaw first: a frozen node counts as running, and a start would wait on it in vain.
      for (const n of f.frozen) if ((await backend.processState(n)) === 'frozen') await backend.freeze(n, false);
      if (starts) await backend.up((line) => this.say('info', line), this.starting.signal);
      return starts ? 'the lab is up: 1 primary + 2 secondaries' : `${f.frozen.join(', ')} thawed`;
    });
  }

  declineOffer(): void {
    this.set({ offer: null });
    if (this.findings) this.say('info', `left as they are: ${declined(this.findings)}`);
  }

  /**
   * The one way out, for q and for signals alike: abort what runs (an RTO run undoes its fault,
   * a lab start stops what it started), stop the clients, check the ledger of a running load
   * test, and report the faults set with keys, which stay as they are.
   */
  async close(progress: (line: string) => void = () => undefined): Promise<ExitReport> {
    this.closed = true;
    this.unsubscribe();
    const report: ExitReport = { verdict: null, verdictError: null, abortedRun: null, frozen: [], stopped: [], partitioned: [] };
    const run = this.rto?.running ? this.rto.current : null;
    if (run) {
      progress(`aborting the RTO run: undoing the ${run.fault} of ${run.victim}…`);
      this.rto!.abort();
      report.abortedRun = { victim: run.victim, fault: run.fault, restored: false };
    }
    if (this.st.busy?.label === 'starting the lab') progress('quitting during the lab start: what it started is stopped again…');
    this.starting.abort();
    await this.inflight;
    if (this.liveTimer) clearInterval(this.liveTimer);
    await this.watcher?.stop();
    if (this.load?.isRunning) {
      progress(`stopping the load test and reading ${this.load.ledger.acknowledged.length} acknowledged ids back…`);
      report.verdict = await this.load.stop().catch((err: unknown) => {
        report.verdictError = errorLine(err);
        return null;
      });
    }
    const backend = this.deps.backend;
    for (const n of backend.nodeNames()) {
      const st = await backend.processState(n).catch(() => 'running' as const);
      if (st === 'frozen') report.frozen.push(n);
      else if (st === 'stopped') report.stopped.push(n);
      const cut = backend.isPartitioned ? await backend.isPartitioned(n).catch(() => false) : false;
      if (cut) report.partitioned.push(n);
      if (report.abortedRun?.victim === n) {
        report.abortedRun.restored = st === 'running';
        // The victim is the run's to report, not a fault someone left.
        if (st === 'stopped' && report.abortedRun.fault !== 'freeze') report.stopped.pop();
        if (st === 'frozen' && report.abortedRun.fault === 'freeze') report.frozen.pop();
      }
    }
    return report;
  }
}

function refusalsOf(backend: ClusterBackend): Partial<Record<Permission, string>> {
  const out: Partial<Record<Permission, string>> = {};
  for (const p of ['host', 'actions', 'profile'] as const) {
    const why = backend.refusal?.(p);
    if (why) out[p] = why;
  }
  return out;
}
