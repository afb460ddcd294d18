// The console's own measurements as Prometheus metrics (prom-client): load-test counters, the
// client RTO of each finished run by profile and fault, its phase durations, snapshot staleness.
// Fed from the controller's plain state; served on loopback only.
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConsoleState, LoadStats, RtoRun } from './types.js';

// Client RTO ranges from ~1 s (fast profile, controlled failover) to ~60 s (default, hard kill).
const RTO_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60, 90, 120];

const LOAD_FIELDS = ['acknowledged', 'errors', 'reconnects', 'unknown'] as const;

export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly load: Record<(typeof LOAD_FIELDS)[number], Counter>;
  private readonly lost: Counter;
  private readonly rto: Histogram<'profile' | 'fault'>;
  private readonly phase: Histogram<'phase' | 'profile' | 'fault'>;
  /** Load-test values already counted; a new load test starts again from 0. */
  private seen: Record<string, number> = {};
  private loadStartedAt: number | null = null;
  private lastVerdictAt: number | null = null;
  private readonly observedRuns = new Set<string>();

  constructor(snapshotAt: () => number | null, now: () => number = Date.now) {
    const r = [this.registry];
    const help = {
      acknowledged: 'Load-test transactions whose COMMIT was acknowledged',
      errors: 'Load-test transactions that failed with a definite answer (rolled back, read-only, refused)',
      reconnects: 'Load-test client reconnections',
      unknown: 'Load-test COMMITs in flight when the connection broke (outcome unknown)',
    };
    this.load = Object.fromEntries(
      LOAD_FIELDS.map((f) => [f, new Counter({ name: `pgha_console_load_${f}_total`, help: help[f], registers: r })]),
    ) as ConsoleMetrics['load'];
    this.lost = new Counter({ name: 'pgha_console_load_lost_total', help: 'Acknowledged writes missing when the ledger was read back (must stay 0)', registers: r });
    this.rto = new Histogram({ name: 'pgha_console_client_rto_seconds', help: 'Client RTO of finished runs: fault to first acknowledged write on the new primary', labelNames: ['profile', 'fault'], buckets: RTO_BUCKETS, registers: r });
    this.phase = new Histogram({ name: 'pgha_console_rto_phase_seconds', help: 'Seconds from the fault to each failover phase of finished runs', labelNames: ['phase', 'profile', 'fault'], buckets: RTO_BUCKETS, registers: r });
    new Gauge({
      name: 'pgha_console_snapshot_staleness_seconds',
      help: 'Age of the newest cluster snapshot the console holds (-1 before the first one)',
      registers: r,
      collect() {
        const at = snapshotAt();
        this.set(at === null ? -1 : Math.max(0, (now() - at) / 1000));
      },
    });
  }

  /** Count what changed since the last state. */
  update(s: ConsoleState): void {
    if (s.load) this.updateLoad(s.load);
    if (s.verdict && s.verdict.checkedAt !== this.lastVerdictAt) {
      this.lastVerdictAt = s.verdict.checkedAt;
      this.lost.inc(s.verdict.lost);
    }
    for (const run of s.rto.history) this.observe(run, s.profile);
  }

  private updateLoad(load: LoadStats): void {
    if (load.startedAt !== this.loadStartedAt) {
      this.loadStartedAt = load.startedAt;
      this.seen = {};
    }
    for (const f of LOAD_FIELDS) {
      const delta = load[f] - (this.seen[f] ?? 0);
      if (delta > 0) this.load[f].inc(delta);
      this.seen[f] = load[f];
    }
  }

  private observe(run: RtoRun, profile: string): void {
    const key = `${run.startedAt}:${run.id}`;
    if (run.status !== 'done' || run.clientRtoS === null || this.observedRuns.has(key)) return;
    this.observedRuns.add(key);
    this.rto.observe({ profile, fault: run.fault }, run.clientRtoS);
    const fault = run.phases.find((p) => p.name === 'fault')?.at ?? run.startedAt;
    for (const p of run.phases) {
      if (p.name !== 'fault' && p.at !== null) this.phase.observe({ phase: p.name, profile, fault: run.fault }, Math.max(0, (p.at - fault) / 1000));
    }
  }

  /** Serve /metrics on 127.0.0.1:port; resolves once listening, rejects with a one-line reason. */
  serve(port: number): Promise<Server> {
    const srv = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    return new Promise((resolve, reject) => {
      srv.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`--metrics-port ${port}: ${err.code === 'EADDRINUSE' ? 'already in use' : err.code ?? err.message}`)));
      srv.listen({ port, host: '127.0.0.1' }, () => resolve(srv));
    });
  }
}
