// npm run bench:tui [-- --seconds 60] — the console's CPU share (of one core), RSS and queries per
// tick over N seconds of refreshing against a live cluster, next to `pg_autoctl watch` measured
// the same way in the same run. Both run in tmux so they draw to a real terminal.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findTools, resolveRunAs } from '../backends/local-env.js';
import { CLI, log, round, runCli, upBenchLab } from './util.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
const seconds = Number(values.seconds ?? 60);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuTicks(pid: number): number {
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/** Start `command` in a fresh tmux session and return the pid of the program the shell runs. */
async function startInTmux(session: string, command: string): Promise<number> {
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '45', `exec ${command}`);
  return Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
}

async function measure(pid: number, warmupMs: number): Promise<{ cpuPercentOfOneCore: number; rssMbMax: number; rssMbEnd: number }> {
  await sleep(warmupMs);
  const t0 = Date.now();
  const c0 = cpuTicks(pid);
  let rssMax = 0;
  while (Date.now() - t0 < seconds * 1000) {
    rssMax = Math.max(rssMax, rssMb(pid));
    await sleep(1000);
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = (cpuTicks(pid) - c0) / CLK_TCK / elapsed;
  return { cpuPercentOfOneCore: round(cpu * 100, 3)!, rssMbMax: round(rssMax, 1)!, rssMbEnd: round(rssMb(pid), 1)! };
}

const { lab, port, flags } = await upBenchLab();
const statsFile = join(lab.dir, '..', 'tui-stats.json');
const s1 = `pgha-bench-tui-${process.pid}`;
const s2 = `pgha-bench-watch-${process.pid}`;
try {
  log(`measuring the console for ${seconds} s…`);
  // Run the bin as `npx pgha-tui` does: through its shebang (which carries the V8 flags).
  const pid = await startInTmux(s1, `env PGHA_TUI_STATS=${statsFile} ${CLI} ${flags.join(' ')}`);
  const ours = await measure(pid, 5000);
  tmux('send-keys', '-t', s1, 'q');
  for (let i = 0; i < 50 && !existsSync(statsFile); i++) await sleep(100);
  const stats = existsSync(statsFile) ? (JSON.parse(readFileSync(statsFile, 'utf8')) as { ticks: number; queries: number }) : null;

  log(`measuring pg_autoctl watch for ${seconds} s…`);
  const tools = findTools();
  const runAs = resolveRunAs();
  const watch = `${runAs ? `setpriv --reuid ${runAs.uid} --regid ${runAs.gid} --init-groups ` : ''}${tools.pgAutoctl} watch --monitor postgres://autoctl_node@127.0.0.1:${port}/pg_auto_failover?sslmode=disable`;
  const wpid = await startInTmux(s2, watch);
  const baseline = await measure(wpid, 5000);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'tui',
      seconds,
      console: { ...ours, ticks: stats?.ticks ?? null, queriesPerTick: stats ? round(stats.queries / stats.ticks, 2) : null },
      baseline: { tool: 'pg_autoctl watch (refreshes every 500 ms)', ...baseline },
      goals: { cpuPercentOfOneCore: 1, rssMb: 80 },
      metGoals: ours.cpuPercentOfOneCore <= 1 && ours.rssMbMax <= 80,
    })}\n`,
  );
} finally {
  for (const s of [s1, s2]) {
    try {
      tmux('kill-session', '-t', s);
    } catch {
      /* ended */
    }
  }
  await runCli(['down', '--volumes', ...flags]);
  lab.cleanup();
}
