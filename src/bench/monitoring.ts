// bench:monitoring — what `up --monitoring` costs and how fast its alert answers, on a fresh local
// lab: seconds `up --monitoring` adds to a running lab; CPU and RSS of the exporter, Prometheus and
// Alertmanager over 60 s (baseline: the cluster's own processes, measured over the same window);
// then one hard kill of the primary with the default profile, timing PghaNoWritablePrimary
// (pending, firing, resolved) against the moment a node is writable again.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { clockTicksPerSecond, readStat, rssMb } from '../lib/proc-stat.js';
import { sleep } from '../lib/time.js';
import { freeRange } from '../lib/ports.js';
import { benchLab, log, round, runCli } from './util.js';

const CLK_TCK = clockTicksPerSecond();
const ticks = (pid: number) => readStat(pid)?.cpuTicks ?? 0;

/** Processes working inside dir (PostgreSQL and pg_autoctl run in the lab's pg/ tree). */
function workingIn(dir: string, except: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cwd = readlinkSync(`/proc/${e}/cwd`);
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && !cwd.startsWith(except)) out.push(Number(e));
    } catch {
      /* gone or not readable */
    }
  }
  return out;
}

async function usage(groups: Record<string, () => number[]>, ms: number) {
  const pids = Object.fromEntries(Object.entries(groups).map(([k, f]) => [k, f()]));
  const t0 = Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, ps.reduce((s, p) => s + ticks(p), 0)]));
  const rss: Record<string, number> = {};
  const start = Date.now();
  while (Date.now() - start < ms) {
    for (const [k, ps] of Object.entries(pids)) rss[k] = Math.max(rss[k] ?? 0, ps.reduce((s, p) => s + rssMb(p), 0));
    await sleep(1000);
  }
  const secs = (Date.now() - start) / 1000;
  return Object.fromEntries(
    Object.entries(pids).map(([k, ps]) => [k, { cpuPercentOfOneCore: round(((ps.reduce((s, p) => s + ticks(p), 0) - t0[k]!) / CLK_TCK / secs) * 100, 2), rssMbMax: round(rss[k] ?? 0, 1) }]),
  );
}

async function alertState(prom: string): Promise<string> {
  const body = (await fetch(`${prom}/api/v1/alerts`).then((r) => r.json())) as { data: { alerts: { state: string; labels: { alertname: string } }[] } };
  return body.data.alerts.find((a) => a.labels.alertname === 'PghaNoWritablePrimary')?.state ?? 'inactive';
}

async function writable(prom: string): Promise<string | null> {
  const q = encodeURIComponent('pgha_node_writable{nodename=~"node.*"} == 1');
  const body = (await fetch(`${prom}/api/v1/query?query=${q}`).then((r) => r.json())) as { data: { result: { metric: { nodename: string } }[] } };
  return body.data.result[0]?.metric.nodename ?? null;
}

async function main(): Promise<void> {
  const lab = benchLab();
  const port = await freeRange(14, 30000);
  const flags = lab.flags(port);
  const prom = `http://127.0.0.1:${port + 11}`;
  try {
    const up = await runCli(['up', ...flags]);
    if (up.code !== 0) throw new Error(up.stderr);
    const withMon = await runCli(['up', '--monitoring', ...flags]);
    if (withMon.code !== 0) throw new Error(withMon.stderr);
    log(`up ${up.seconds.toFixed(1)} s, up --monitoring on the running lab ${withMon.seconds.toFixed(1)} s; warming up 30 s`);
    await sleep(30_000);
    const pidOf = (n: string) => (JSON.parse(readFileSync(join(lab.dir, 'pids', `${n}.json`), 'utf8')) as { pid: number }).pid;
    log('measuring CPU and RSS for 60 s');
    const cost = await usage(
      {
        exporter: () => [pidOf('exporter')],
        prometheus: () => [pidOf('prometheus')],
        alertmanager: () => [pidOf('alertmanager')],
        cluster: () => workingIn(join(lab.dir, 'pg'), join(lab.dir, 'pg', 'monitoring')),
      },
      60_000,
    );
    log('killing the primary (default profile)');
    const kill = await runCli(['kill', 'primary', ...flags]);
    if (kill.code !== 0) throw new Error(kill.stderr);
    const t0 = Date.now();
    const at: Record<string, number> = {};
    while (Date.now() - t0 < 180_000 && !(at.resolved && at.writable)) {
      const state = await alertState(prom).catch(() => 'error');
      if ((state === 'pending' || state === 'firing') && at[state] === undefined) at[state] = Date.now() - t0;
      if (state === 'inactive' && at.firing !== undefined && at.resolved === undefined) at.resolved = Date.now() - t0;
      const w = await writable(prom).catch(() => null);
      if (w && w !== 'node1' && at.writable === undefined) at.writable = Date.now() - t0;
      await sleep(250);
    }
    const s = (k: string) => (at[k] === undefined ? null : round(at[k]! / 1000, 1));
    process.stdout.write(
      `${JSON.stringify({
        bench: 'monitoring',
        upMonitoringSeconds: round(withMon.seconds, 1),
        cost,
        noWritablePrimary: { pendingS: s('pending'), firingS: s('firing'), resolvedS: s('resolved'), newPrimaryWritableSeenS: s('writable') },
      })}\n`,
    );
  } finally {
    await runCli(['down', '--volumes', ...flags]);
    lab.cleanup();
  }
}

main().catch((err: unknown) => {
  log(`bench:monitoring failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exitCode = 1;
});
