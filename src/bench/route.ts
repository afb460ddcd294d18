// npm run bench:route [-- --runs 3 --clients 4] — client RTO by client route on one fresh local lab
// with the fast profile: load clients that ask the monitor for the primary ("monitor-guided")
// against clients that connect as applications do, through the formation's multi-host URI with
// target_session_attrs=read-write, for a hard kill of the primary and for a switchover.
import { parseArgs } from 'node:util';
import { drill } from '../actions/drill.js';
import { ensureOwnTable } from '../actions/own-table.js';
import { LocalBackend } from '../backends/local/local-backend.js';
import type { Fault } from '../actions/types.js';
import { log, runCli, upBenchLab } from './util.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, clients: { type: 'string' } } });
const runs = Number(values.runs ?? 3);
const clients = Number(values.clients ?? 4);

const { lab, port, flags } = await upBenchLab();
const backend = new LocalBackend({ labDir: lab.dir, basePort: port, basePortExplicit: true, scale: 0.2 });
const out: Record<string, unknown> = { bench: 'route', backend: 'local', profile: 'fast', clients, runs };
try {
  const endpoints = await backend.endpoints();
  const route = backend.nodeNames().map((name) => ({ name, ci: endpoints.nodes[name]! }));
  await ensureOwnTable(route);
  const results: Record<string, unknown> = {};
  for (const fault of ['kill', 'failover'] as Fault[]) {
    for (const via of ['monitor', 'multi-host'] as const) {
      log(`${fault}, clients ${via === 'monitor' ? 'monitor-guided' : 'through the multi-host URI'}: ${runs} runs…`);
      const d = await drill({ backend, endpoints, fault, runs, clients, profile: 'fast', progress: log, onRun: (l) => log(JSON.stringify(l)), ...(via === 'multi-host' ? { route } : {}) });
      results[`${fault}/${via}`] = {
        medianRtoS: d.medianRtoS,
        maxRtoS: d.maxRtoS,
        rtosS: d.runsDetail.map((r) => r.clientRtoS),
        acknowledged: d.acknowledged,
        lost: d.lost,
        failedRuns: d.failedRuns,
      };
    }
  }
  out.results = results;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await runCli(['down', '--volumes', ...flags]);
  lab.cleanup();
}
