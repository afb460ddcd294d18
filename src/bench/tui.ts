// npm run bench:tui [-- --seconds 60] [-- --walkthrough] — the console's CPU share (of one core), RSS
// and queries per tick over N seconds of refreshing against a live cluster, next to `pg_autoctl
// watch` measured the same way in the same run (and, with --walkthrough, the console once more with
// the walkthrough pane open). All run in tmux so they draw to a real terminal.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findTools, resolveRunAs } from '../backends/local/env.js';
import { clockTicksPerSecond, readStat, rssMb } from '../lib/proc-stat.js';
import { sleep } from '../lib/time.js';
import { CLI, log, round, runCli, upBenchLab } from './util.js';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, walkthrough: { type: 'boolean' } } });
const seconds = Number(values.seconds ?? 60);
const CLK_TCK = clockTicksPerSecond();


// Our own tmux server: the bench neither joins nor ends a server someone else is using.
const TMUX_SERVER = `pgha-bench-${process.pid}`;
function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', TMUX_SERVER, ...args], { encoding: 'utf8' });
}

/** Start `command` in a fresh tmux session and return the pid of the program the shell runs. */
async function startInTmux(session: string, command: string): Promise<number> {
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '45', `exec ${command}`);
  return Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
}

async function measure(pid: number, warmupMs: number): Promise<{ cpuPercentOfOneCore: number; rssMbMax: number; rssMbEnd: number }> {
  await sleep(warmupMs);
  const t0 = Date.now();
  const c0 = readStat(pid)?.cpuTicks ?? 0;
  let rssMax = 0;
  while (Date.now() - t0 < seconds * 1000) {
    rssMax = Math.max(rssMax, rssMb(pid));
    await sleep(1000);
  }
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = ((readStat(pid)?.cpuTicks ?? 0) - c0) / CLK_TCK / elapsed;
  return { cpuPercentOfOneCore: round(cpu * 100, 3)!, rssMbMax: round(rssMax, 1)!, rssMbEnd: round(rssMb(pid), 1)! };
}

const { lab, port, flags } = await upBenchLab();
const statsFile = join(lab.dir, '..', 'tui-stats.json');
const s1 = `pgha-bench-tui-${process.pid}`;
const s2 = `pgha-bench-watch-${process.pid}`;
const s3 = `pgha-bench-learn-${process.pid}`;
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
  tmux('kill-session', '-t', s2);

  let learn: Awaited<ReturnType<typeof measure>> | null = null;
  if (values.walkthrough) {
    log(`measuring the console with the walkthrough open (lesson 3) for ${seconds} s…`);
    learn = await measure(await startInTmux(s3, `${CLI} learn 3 ${flags.join(' ')}`), 5000);
    tmux('send-keys', '-t', s3, 'q');
  }

  process.stdout.write(
    `${JSON.stringify({
      bench: 'tui',
      seconds,
      console: { ...ours, ticks: stats?.ticks ?? null, queriesPerTick: stats ? round(stats.queries / stats.ticks, 2) : null },
      baseline: { tool: 'pg_autoctl watch (refreshes every 500 ms)', ...baseline },
      ...(learn ? { walkthroughOpen: learn } : {}),
      goals: { cpuPercentOfOneCore: 1, rssMb: 80 },
      metGoals: ours.cpuPercentOfOneCore <= 1 && ours.rssMbMax <= 80,
    })}\n`,
  );
} finally {
  for (const s of [s1, s2, s3]) {
    try {
      execFileSync('tmux', ['-L', TMUX_SERVER, 'kill-session', '-t', s], { stdio: 'ignore' });
    } catch {
      /* ended */
    }
  }
  await runCli(['down', '--volumes', ...flags]);
  lab.cleanup();
}
