// npm run bench:bootstrap [-- --runs N] — seconds from `pgha-tui up` on an empty lab dir to
// "1 primary + 2 secondaries" (with the healthcare dataset loaded), N fresh labs in a row.
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.js';
import { freeRange } from '../lib/ports.js';
import { benchLab, log, round, runCli } from './util.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, scale: { type: 'string' } } });
const runs = Number(values.runs ?? 3);
const scale = values.scale ?? '0.2';

const results: Array<{ seconds: number; readyAtSeconds: number | null }> = [];
for (let i = 0; i < runs; i++) {
  const lab = benchLab();
  const port = await freeRange();
  const flags = lab.flags(port);
  const up = await runCli(['up', ...flags, '--scale', scale]);
  const ready = /\[(\d+\.\d)s\] cluster ready/.exec(up.stderr);
  await runCli(['down', '--volumes', ...flags]);
  lab.cleanup();
  if (up.code !== 0) {
    log(up.stderr);
    throw new Error(`run ${i + 1}: up failed with ${up.code}`);
  }
  results.push({ seconds: round(up.seconds)!, readyAtSeconds: ready ? Number(ready[1]) : null });
  log(`run ${i + 1}/${runs}: ${up.seconds.toFixed(2)} s`);
}
const secs = results.map((r) => r.seconds);
process.stdout.write(
  `${JSON.stringify({
    bench: 'bootstrap',
    backend: 'local',
    scale: Number(scale),
    runs: results,
    medianSeconds: round(median(secs)),
    minSeconds: Math.min(...secs),
    maxSeconds: Math.max(...secs),
    goalSeconds: 10,
    metGoal: (median(secs) ?? Infinity) <= 10,
    note: 'from spawning `pgha-tui up` on an empty lab dir until it exits: monitor + 3 nodes created, dataset loaded, 1 primary + 2 secondaries reported',
  })}\n`,
);
