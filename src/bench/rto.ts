// npm run bench:rto [-- --backend local|compose --runs 5 --soak-seconds 300 --clients 4] — client
// RTO of a hard kill of the primary under load, for each tuning profile, on one fresh lab (local:
// pg_autoctl processes; compose: the Docker Compose lab, offline build); then the fast profile
// under load with no fault for the soak period, counting failovers nobody asked for.
import { parseArgs } from 'node:util';
import { drill, type DrillSummary } from '../actions/drill.js';
import { LoadTest } from '../actions/loadtest.js';
import { applyProfile } from '../actions/profile.js';
import { fileURLToPath } from 'node:url';
import type { ClusterBackend } from '../backends/backend.js';
import { LocalBackend } from '../backends/local/local-backend.js';
import { ClusterPoller } from '../cluster/poller.js';
import type { ClusterEvent } from '../cluster/types.js';
import { PROFILE_NAMES } from '../cluster/profiles.js';
import { log, runCli, upBenchLab } from './util.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    'soak-seconds': { type: 'string' },
    clients: { type: 'string' },
    profiles: { type: 'string' },
    backend: { type: 'string' },
  },
});
const kind = values.backend ?? 'local';
if (kind !== 'local' && kind !== 'compose') {
  log(`--backend ${kind}: expected local or compose`);
  process.exit(2);
}
const runs = Number(values.runs ?? 5);
const soakSeconds = Number(values['soak-seconds'] ?? 300);
const clients = Number(values.clients ?? 4);
const profiles = values.profiles ? values.profiles.split(',') : PROFILE_NAMES;

interface BenchLab {
  backend: ClusterBackend;
  teardown: () => Promise<void>;
}

async function upComposeLab(): Promise<BenchLab> {
  const flags = ['--backend', 'compose', '--offline'];
  const up = await runCli(['up', ...flags]);
  if (up.code !== 0) {
    log(up.stderr);
    await runCli(['down', '--volumes', ...flags]);
    process.exit(1);
  }
  const { ComposeBackend } = await import('../backends/compose/compose-backend.js');
  return {
    backend: new ComposeBackend({ envFile: fileURLToPath(new URL('../../.env.test', import.meta.url)), offline: true }),
    teardown: async () => {
      await runCli(['down', '--volumes', ...flags]);
    },
  };
}

async function upLocalLab(): Promise<BenchLab> {
  const { lab, port, flags } = await upBenchLab();
  return {
    backend: new LocalBackend({ labDir: lab.dir, basePort: port, basePortExplicit: true, scale: 0.2 }),
    teardown: async () => {
      await runCli(['down', '--volumes', ...flags]);
      lab.cleanup();
    },
  };
}

const FAILOVER_GOALS = new Set(['draining', 'demote_timeout', 'report_lsn', 'prepare_promotion', 'stop_replication']);

const lab = kind === 'local' ? await upLocalLab() : await upComposeLab();
const backend = lab.backend;
const endpoints = await backend.endpoints();
const out: Record<string, unknown> = { bench: 'rto', backend: kind, fault: 'kill', clients, runsPerProfile: runs };
try {
  const results: Record<string, Omit<DrillSummary, 'acknowledgedIds' | 'verdict'>> = {};
  for (const profile of profiles) {
    log(`profile ${profile}: ${runs} kills of the primary under load…`);
    const d = await drill({ backend, endpoints, fault: 'kill', runs, clients, profile, progress: log, onRun: (l) => log(JSON.stringify(l)) });
    const { acknowledgedIds: _ids, verdict: _v, ...summary } = d;
    results[profile] = summary;
  }
  out.profiles = results;

  if (soakSeconds > 0) {
    log(`soak: profile fast, load, no fault, ${soakSeconds} s…`);
    await applyProfile(endpoints.monitorAdmin, 'fast');
    const poller = new ClusterPoller({ endpoints, backend: kind, profile: () => 'fast' });
    const failoverEvents: ClusterEvent[] = [];
    let unhealthyMarks = 0;
    poller.onEvent((ev) => {
      if (ev.kind === 'state' && FAILOVER_GOALS.has(ev.goalState ?? '')) failoverEvents.push(ev);
      if (ev.kind === 'log' && /marked as unhealthy/.test(ev.text)) unhealthyMarks += 1;
    });
    poller.start();
    await new Promise((r) => setTimeout(r, 2000));
    const before = poller.current()?.primary ?? null;
    const load = new LoadTest({ endpoints, clients });
    load.start();
    await new Promise((r) => setTimeout(r, soakSeconds * 1000));
    const verdict = await load.stop();
    const after = (await poller.tick()).primary;
    poller.stop();
    // One failover shows as several goal changes; count distinct demotions of a primary.
    const unintendedFailovers = failoverEvents.filter((e) => e.goalState === 'draining' || e.goalState === 'demote_timeout').length;
    out.soak = {
      profile: 'fast',
      seconds: soakSeconds,
      primaryBefore: before,
      primaryAfter: after,
      unintendedFailovers,
      failoverStateChanges: failoverEvents.length,
      nodesMarkedUnhealthy: unhealthyMarks,
      acknowledged: verdict.acknowledged,
      lost: verdict.lost,
      goal: 0,
    };
  }
  const fast = results.fast;
  out.goals = { fastMedianRtoS: 5, fastP95RtoS: 8, lost: 0, unintendedFailovers: 0 };
  out.metGoals =
    fast !== undefined &&
    (fast.medianRtoS ?? Infinity) <= 5 &&
    (fast.p95RtoS ?? Infinity) <= 8 &&
    Object.values(results).every((r) => r.lost === 0) &&
    ((out.soak as { unintendedFailovers?: number } | undefined)?.unintendedFailovers ?? 0) === 0;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await lab.teardown();
}
